"""From a refund decision to a refund record: propose, then approve under mode and budgets.

The money moves later, in a batched feed (jobs/track_feeds.py). Here only the ledger is
written — a conditional create keyed (tenant, order, adjustment), so a redelivered action
finds the same refund and never makes a second one.

One automatic refund per order: before anything is recorded the order's claim item is taken
in one conditional write (RefundLedger.claim_order), so two actions for one order in flight
at once cannot both pass. It is given back only when the refund moved no money (refused
here, rejected by Amazon, settled as not paid); an order refunded elsewhere
(mark_external_refund) never gets an automatic refund. Refunds <= 0 and refunds for a
marketplace the tenant does not list are refused before the buyer is told anything, and
so are orders that the re-read at Act finds not shipped (cancelled, pending, unfulfillable,
or a status it cannot read). Last, Amazon's Finances API is asked whether the buyer already
had money back for the order — a refund, a granted A-to-z claim, a chargeback — and if so
the refund is refused, noted as made elsewhere, and a person told (jobs/amazon_finances.py).
Just before that, and for the same refunds (a first attempt, or a person approving one that
waited), the case's stored returns are read again: a later returns report may have replaced
one with a listing that says Amazon paid (jobs/ingest.ingest_returns); such a refund is
refused the same way — noted as made elsewhere, the claim given back, a person told
(`refused_as_settled_by_amazon`). A redelivery of an approved refund is asked neither: our
own refund shows in Amazon's later listings too; an approved refund that a later listing
reaches before its feed is stopped by TrackFeeds (jobs/track_feeds.stop_paid_by_amazon).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from spconnector.domain import Case, Decision, Money, Order, ReturnRequest, Tenant
from spconnector.jobs.results import RefundOutcome
from spconnector.jobs.services import Services
from spconnector.jobs.spend import refund_spend, release, reserve, reserved_since
from spconnector.refunds.feed import adjustment_reason_for
from spconnector.refunds.model import RefundItem, RefundState, adjustment_id_for
from spconnector.refunds.submit import approve, propose

# Orders' statuses (sp/mapping.py spells both APIs' values as Orders 2026 does) for which the
# buyer was charged and goods left: the only ones an automatic refund may pay back.
REFUNDABLE_STATUSES = frozenset({"SHIPPED", "PARTIALLY_SHIPPED"})
# A refund recorded in these states has not been let through yet: Finances is asked again.
_NOT_YET_APPROVED = frozenset({RefundState.PROPOSED, RefundState.NEEDS_PERSON})
# A refund of ours in these states reached Amazon in a feed (or may have): Amazon's later
# returns reports may list it. An approved one still waits for TrackFeeds: not yet.
_REACHED_AMAZON = frozenset({RefundState.SUBMITTED, RefundState.CONFIRMED, RefundState.UNKNOWN})
RETURNS_REPORT = "Amazon returns report"  # how the ledger names refunds a return row shows


def record_refund(
    services: Services,
    tenant: Tenant,
    case: Case,
    decision: Decision,
    seq: int,
    approved_by: str | None,
) -> dict[str, Any]:
    assert decision.refund is not None and case.amazon_order_id is not None
    order: Order = services.sp(tenant).get_order(case.amazon_order_id)
    clock = services  # Services.now() is the refunds Clock
    step = f"decision-{seq}"
    ledger = services.refund_ledger
    own = adjustment_id_for(tenant.tenant_id, case.case_id, step)
    refusal = _refused_before_recording(tenant, order, decision)
    if refusal is not None:
        return {"state": RefundOutcome.REFUSED, "reason": refusal}
    # One automatic refund per order: a later message or return on the same case (or an
    # older decision carried out late) must never pay again. The order's claim item decides
    # it in one conditional write (two actions in flight cannot both pass a read); records
    # from before claims existed are checked too. Amazon-rejected (failed) ones do not count;
    # an unknown outcome (unknown) does, until a person resolves it.
    earlier = [
        r
        for r in ledger.refunds_for_order(tenant.tenant_id, order.amazon_order_id)
        if r.adjustment_id != own and r.state is not RefundState.FAILED
    ]
    blocker = (
        f"a refund of {earlier[0].total} ({earlier[0].state.value})"
        if earlier
        else _blocking_claim(ledger, tenant.tenant_id, order.amazon_order_id, own)
    )
    if blocker is not None:
        return {
            "state": RefundOutcome.REFUSED,
            "reason": (
                f"order {order.amazon_order_id} already has {blocker}; "
                "a further refund needs a person"
            ),
        }
    recorded = ledger.get_refund(tenant.tenant_id, order.amazon_order_id, own)
    if recorded is None or recorded.state in _NOT_YET_APPROVED:
        # First time for this refund, or a person approving it now (Amazon may have refunded
        # while it waited); a redelivery of an approved one is not asked again (Amazon would
        # list that refund itself). The claim is held: the case's stored return is read again
        # (a later returns report may have said Amazon paid since the decision), then Amazon
        # is asked whether money went back.
        refusal = refused_as_settled_by_amazon(services, tenant, case, own)
        if refusal is None:
            refusal = _refused_by_amazon_finances(services, tenant, order.amazon_order_id, own)
        if refusal is not None:
            return {"state": RefundOutcome.REFUSED, "reason": refusal}
    try:
        items = refund_items(order, decision.refund.money)
        refund = propose(
            ledger,
            clock,
            tenant=tenant.tenant_id,
            marketplace_id=order.marketplace_id,
            amazon_order_id=order.amazon_order_id,
            case_id=case.case_id,
            decision_step=step,
            fulfillment=order.fulfillment_channel,
            items=items,
            reason=adjustment_reason_for(decision.action, decision.intent),
        )
    except ValueError as exc:  # more than charged, no item code, a zero amount: say why
        ledger.release_order(tenant.tenant_id, order.amazon_order_id, own)
        return {"state": RefundOutcome.REFUSED, "reason": str(exc)}
    if refund.state is RefundState.FAILED:  # a redelivery after Amazon rejected it
        ledger.release_order(tenant.tenant_id, order.amazon_order_id, own)
    now = services.now()
    currency = refund.currency
    token = refund.adjustment_id
    # Budgets hold under concurrency: the amount is reserved atomically first, and approve()
    # judges against what was spent before it. A failed reservation leaves the counters
    # showing the budget spent, so approve() refuses with that reason. The reservation is
    # keyed by the refund: a redelivery after a crash finds it held and adds nothing.
    reserved = refund.state is RefundState.PROPOSED and reserve(
        services, tenant, refund.total, now, token=token
    )
    held_since = reserved_since(services, tenant, currency, token) if reserved else None
    spent_today, spent_month = refund_spend(services, tenant, now)
    spent_today = spent_today or Money.zero(currency)
    spent_month = spent_month or Money.zero(currency)
    if held_since is not None and spent_today.currency == currency:
        # the counters hold this refund's own reservation (made on this day and month or an
        # earlier one): judge against what was spent before it
        if held_since.date() == now.date():
            spent_today = spent_today - refund.total
        if (held_since.year, held_since.month) == (now.year, now.month):
            spent_month = spent_month - refund.total
    refund = approve(
        services.refund_ledger,
        clock,
        refund.key,
        mode=tenant.mode,
        budgets=tenant.budgets,
        spent_today=spent_today,
        spent_month=spent_month,
        paused=tenant.paused,
        approved_by=approved_by,
        # only an amount the counters really hold may ever be given back, to the day it was
        # reserved in
        reserved_at=held_since,
    )
    if refund.reserved_at is None:
        # refused, waiting, or approved with nothing counted: a hold this refund's record
        # does not carry (this attempt's, or one left by a worker that died) is not spent
        release(services, tenant, refund.total, token=token)
    if refund.state in (RefundState.APPROVED, RefundState.SUBMITTED, RefundState.CONFIRMED):
        alias = _buyer_alias(services, tenant, case)
        if alias:
            services.buyer_history.record_refund(
                tenant.tenant_id, alias, refund.adjustment_id, refund.total, refund.created_at
            )
    outcome: dict[str, Any] = {
        "state": RefundOutcome(refund.state.value),
        "amount": format(refund.total.amount, "f"),
        "currency": currency,
        "adjustment_id": refund.adjustment_id,
    }
    if outcome["state"].held:
        outcome["reason"] = refund.failure or refund.state.value
    return outcome


def _refused_before_recording(tenant: Tenant, order: Order, decision: Decision) -> str | None:
    """Why this refund must not even be recorded: a person decides (before the buyer is told)."""
    assert decision.refund is not None
    if decision.refund.amount <= 0:
        return f"a refund of {decision.refund.money} is not positive"
    if order.order_status not in REFUNDABLE_STATUSES:
        # re-read now, at Act: a cancelled (never charged) or not-yet-shipped order has
        # nothing an adjustment feed may pay back, and a status we cannot read is unsure
        return (
            f"order {order.amazon_order_id} is {order.order_status or 'of unknown status'} "
            "now, not shipped: an automatic refund is not sent"
        )
    if order.marketplace_id not in tenant.marketplace_ids:
        # TrackFeeds sends feeds only for the tenant's listed marketplaces: the refund would
        # never leave. The tenant model does not say where else the seller account sells.
        return (
            f"order {order.amazon_order_id} is in marketplace {order.marketplace_id}, which "
            f"tenant {tenant.tenant_id} does not list: no adjustment feed would carry it"
        )
    return None


def refused_as_settled_by_amazon(
    services: Services, tenant: Tenant, case: Case, own: str | None
) -> str | None:
    """Why no refund of ours may follow: the case's stored return, read now, says Amazon pays
    or paid it (`paid_by_amazon`). The refund is then noted in the ledger as made elsewhere
    (no later automatic refund is tried either) and the order's claim held by `own` is given
    back. None when no return says so. Act asks it for automatic and approved refunds and
    for a refund a person would make once the return arrives."""
    assert case.amazon_order_id is not None
    paid = paid_by_amazon(services, tenant.tenant_id, case.case_id)
    if paid is None:
        return None
    note_paid_by_amazon(services, tenant.tenant_id, case.amazon_order_id, paid)
    if own is not None:
        services.refund_ledger.release_order(tenant.tenant_id, case.amazon_order_id, own)
    return paid_reason(paid)


def paid_by_amazon(services: Services, tenant: str, case_id: str) -> ReturnRequest | None:
    """The case's first stored return that says Amazon pays or paid it, read now
    (ReturnRequest.settled_by_amazon, the policy's return_settled_by_amazon guard; a later
    returns report replaces the stored return, see jobs/ingest.ingest_returns). The one
    place a refund about to be made, or sent, reads a return's money facts."""
    return next((r for r in services.cases.returns(tenant, case_id) if r.settled_by_amazon), None)


def paid_reason(ret: ReturnRequest) -> str:
    return (
        f"the case's return ({ret.dedup_key}) now says: {ret.settled_by_amazon}. A refund of "
        "ours would be a second one: no refund is made, a person decides"
    )


def note_paid_by_amazon(services: Services, tenant: str, order_id: str, ret: ReturnRequest) -> None:
    """The ledger's note that the order was refunded elsewhere, as the return row shows it."""
    paid = ret.refunded_amount
    services.refund_ledger.mark_external_refund(
        tenant,
        order_id,
        paid if paid is not None and paid.amount > 0 else None,
        f"{RETURNS_REPORT}: {ret.dedup_key}",
    )


def refund_of_ours_reached_amazon(services: Services, tenant: str, order_id: str) -> bool:
    """True when a refund of ours for the order was sent to Amazon (or may have been)."""
    refunds = services.refund_ledger.refunds_for_order(tenant, order_id)
    return any(r.state in _REACHED_AMAZON for r in refunds)


def _refused_by_amazon_finances(
    services: Services, tenant: Tenant, order_id: str, own: str
) -> str | None:
    """Why Amazon's Finances answer stops this refund (jobs/amazon_finances.py), with the
    order's claim given back; a refund Amazon lists is noted as made elsewhere first."""
    from spconnector.jobs.amazon_finances import SOURCE, check_order

    ledger = services.refund_ledger
    try:
        check = check_order(services, tenant, order_id)
    except BaseException:
        # throttled or down after the retries: nothing recorded, the action comes back
        ledger.release_order(tenant.tenant_id, order_id, own)
        raise
    if check.clear:
        return None
    for event in check.money_back:
        ledger.mark_external_refund(
            tenant.tenant_id, order_id, event.amount, f"{SOURCE}: {event.kind}"
        )
    ledger.release_order(tenant.tenant_id, order_id, own)
    return check.refusal


def _blocking_claim(ledger: Any, tenant: str, order_id: str, own: str) -> str | None:
    claim = ledger.claim_order(tenant, order_id, own)
    return None if claim is None else claim.describe()


def _buyer_alias(services: Services, tenant: Tenant, case: Case) -> str | None:
    messages = services.cases.messages(tenant.tenant_id, case.case_id)
    return next((m.buyer_address for m in reversed(messages) if m.buyer_address), None)


def refund_items(order: Order, amount: Money) -> list[RefundItem]:
    """Spread a refund over the order's lines, most valuable first, never above a line's
    charge; what is left beyond the items goes to the shipping charge of the first line."""
    lines = sorted(
        (i for i in order.items if i.order_item_id), key=lambda i: i.line_total.amount, reverse=True
    )
    remaining = amount.amount
    items: list[RefundItem] = []
    for line in lines:
        if remaining <= 0:
            break
        principal = min(remaining, line.line_total.amount)
        items.append(
            RefundItem(
                amazon_order_item_code=line.order_item_id or "",
                principal=Money(amount=principal, currency=amount.currency).rounded(),
            )
        )
        remaining -= principal
    if remaining > 0 and items and order.shipping_price is not None:
        shipping = min(remaining, order.shipping_price.amount)
        first = items[0]
        items[0] = first.model_copy(
            update={"shipping": Money(amount=shipping, currency=amount.currency).rounded()}
        )
        remaining -= shipping
    if not items:
        raise ValueError("no order item carries Amazon's item code: cannot address a refund")
    if remaining > Decimal("0.005"):
        raise ValueError(f"{amount} is more than the order's charge: refund not sent")
    return items
