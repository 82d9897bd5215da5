"""Ask Amazon before money moves: has the order been refunded, claimed or charged back?

Intake can misread Amazon's notices (a refund notice taken for a buyer's request), and the
policy would then refund an order Amazon already refunded. So just before an automatic
refund is recorded, Amazon's Finances API (`listFinancialEventsByOrderId`, every page) is
asked; what it answers decides:

- a refund, a granted A-to-z guarantee claim or a chargeback listed for the order: no
  automatic refund. Each is noted in the ledger as a refund made elsewhere (so no later
  automatic refund is tried either) and a person is told, with what Amazon lists;
- 403 (the seller's app lacks the Finance role): the check is skipped and counted in the
  `FinancesCheckSkipped` metric — unless the tenant sets `finances_check_required`, in which
  case a person decides;
- throttling (429), 5xx and timeouts are retried by the SP-API layer (tenacity) within the
  deadline and then raised: the action is tried again later, never let through unchecked;
- any other refusal or an answer that does not match Amazon's model: a person decides.

An empty answer is not proof: Amazon lists an order's events up to 48 hours late.
"""

from __future__ import annotations

from dataclasses import dataclass

from spconnector.domain import Tenant
from spconnector.jobs.services import Services
from spconnector.observability import get_logger
from spconnector.sp.auth import LWA_OPERATION
from spconnector.sp.errors import AuthError, SpApiError
from spconnector.sp.finances import MoneyBackEvent

log = get_logger(__name__)

SOURCE = "Amazon Finances"  # how the ledger names refunds found here


@dataclass(frozen=True, slots=True)
class FinancesCheck:
    """What Amazon's Finances API says about one order, for the refund about to be made."""

    refusal: str | None = None  # why no automatic refund may be made (a person decides)
    money_back: tuple[MoneyBackEvent, ...] = ()  # what Amazon lists as already given back

    @property
    def clear(self) -> bool:
        return self.refusal is None


def check_order(services: Services, tenant: Tenant, order_id: str) -> FinancesCheck:
    """Ask Finances about `order_id`; raises the SP-API layer's retryable errors."""
    try:
        events = services.sp(tenant).money_back_events(order_id)
    except AuthError as exc:
        if exc.status != 403 or exc.operation == LWA_OPERATION:
            return FinancesCheck(_cannot_check(order_id, exc))
        return _without_finance_role(tenant, order_id)
    except SpApiError as exc:
        if exc.retryable:
            raise
        return FinancesCheck(_cannot_check(order_id, exc))
    if not events:
        return FinancesCheck()
    listed = "; ".join(e.describe() for e in events)
    return FinancesCheck(
        f"Amazon's Finances API lists for order {order_id}: {listed}. The buyer has had money "
        "back already: no automatic refund is made, a person decides",
        tuple(events),
    )


def _without_finance_role(tenant: Tenant, order_id: str) -> FinancesCheck:
    if tenant.finances_check_required:
        return FinancesCheck(
            f"Amazon's Finances API refused to say whether order {order_id} was refunded "
            "already (403: the app lacks the Finance role) and tenant "
            f"{tenant.tenant_id} requires that check: a person decides"
        )
    from spconnector.impact.metrics import TenantMetrics

    log.warning("finances check skipped: the app lacks the Finance role")
    with TenantMetrics(tenant.tenant_id) as metrics:
        metrics.finances_check_skipped()
    return FinancesCheck()


def _cannot_check(order_id: str, exc: SpApiError) -> str:
    return (
        f"cannot ask Amazon's Finances API whether order {order_id} was refunded already "
        f"({exc}): a person decides"
    )
