"""A person settles what the refund machinery could not know, or records what it did not do.

- `unsettled`: refunds whose outcome is unknown (the money may have moved); each blocks any
  further automatic refund on its order until settled.
- `settle`: the person checked Seller Central and says whether the money moved; recorded
  with who and why (a compare-and-set: a second settlement of the same refund is refused).
  Settled as not paid, its budget reservation is given back (exactly once).
- `mark_external`: a refund made outside spconnector (Seller Central, an Amazon notice);
  the order never gets an automatic refund afterwards.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from spconnector.domain import Money, Tenant
from spconnector.jobs.services import Services
from spconnector.jobs.spend import give_back_unspent
from spconnector.observability import tenant_scope
from spconnector.refunds.model import Refund, RefundState
from spconnector.refunds.outcomes import NotSettleable, settle_unknown
from spconnector.refunds.submit import RefundNotFound


class SettlementError(ValueError):
    """The request cannot be carried out (unknown tenant or refund, not unknown, bad amount)."""


def _view(refund: Refund) -> dict[str, Any]:
    return {
        "tenant": refund.tenant,
        "amazon_order_id": refund.amazon_order_id,
        "adjustment_id": refund.adjustment_id,
        "case_id": refund.case_id,
        "state": refund.state.value,
        "amount": format(refund.total.amount, "f"),
        "currency": refund.currency,
        "why": refund.failure,
        "resolved_by": refund.resolved_by,
    }


def _known_tenant(services: Services, tenant_id: str) -> Tenant:
    """The tenant, or a SettlementError: the stores raise a bare ValueError on a string that
    is no tenant id at all (a typo at the keyboard is a one-line error, not a traceback)."""
    try:
        tenant = services.tenants.get(tenant_id)
    except ValueError as exc:
        raise SettlementError(f"tenant {tenant_id[:100]!r}: {exc}") from None
    if tenant is None:
        raise SettlementError(f"no tenant {tenant_id[:100]!r}")
    return tenant


def unsettled(services: Services, tenant_id: str) -> list[dict[str, Any]]:
    tenant = _known_tenant(services, tenant_id)
    return [
        _view(refund)
        for market in tenant.marketplace_ids
        for refund in services.refund_ledger.refunds_in_state(
            tenant_id, market, RefundState.UNKNOWN
        )
    ]


def settle(
    services: Services,
    tenant_id: str,
    amazon_order_id: str,
    adjustment_id: str,
    *,
    paid: bool,
    by: str,
    note: str,
) -> dict[str, Any]:
    _known_tenant(services, tenant_id)
    with tenant_scope(tenant_id):
        try:
            refund = settle_unknown(
                services.refund_ledger,
                services,
                (tenant_id, amazon_order_id, adjustment_id),
                paid=paid,
                by=by,
                note=note,
            )
        except RefundNotFound:
            raise SettlementError(
                f"no refund {adjustment_id} for order {amazon_order_id} of {tenant_id}"
            ) from None
        except NotSettleable as exc:
            raise SettlementError(str(exc)) from None
        if not paid:
            # no money moved: its budget reservation is given back (once; if its batch is
            # still being tracked, TrackFeeds gives it back when the batch closes)
            give_back_unspent(services, refund)
    return _view(refund)


def mark_external(
    services: Services,
    tenant_id: str,
    amazon_order_id: str,
    amount: str,
    currency: str,
    *,
    source: str,
) -> dict[str, Any]:
    _known_tenant(services, tenant_id)
    if not source.strip():
        raise SettlementError("say where the refund was made (--source)")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise SettlementError(f"amount {amount!r} is not a number like 12.99") from None
    try:
        # (quantize raises on an exponent too large for the context, e.g. "1e999999999")
        two_decimals = value.is_finite() and value == value.quantize(Decimal("0.01"))
    except InvalidOperation:
        two_decimals = False
    if not two_decimals or value <= 0:
        raise SettlementError(f"amount {amount!r} must be positive with at most 2 decimals")
    try:
        money = Money(amount=value, currency=currency)
    except ValueError as exc:
        raise SettlementError(f"currency {currency!r}: {exc}") from None
    services.refund_ledger.mark_external_refund(tenant_id, amazon_order_id, money, source)
    claim = services.refund_ledger.order_claim(tenant_id, amazon_order_id)
    return {
        "tenant": tenant_id,
        "amazon_order_id": amazon_order_id,
        "refunded_elsewhere": list(claim.external) if claim else [],
    }
