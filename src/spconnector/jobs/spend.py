"""What a tenant has committed to refunds today and this month, and the atomic reservation
that keeps concurrent workers inside the budgets.

Two counters per tenant and currency — one for the day, one for the month (the
`SpendCounters` port). A refund is approved only after `reserve` added its amount to both in
ONE atomic step that fails if either would pass its budget, so two Act invocations can never
both spend the last of a budget. A reservation that is not used (the refund was refused for
another reason, or waits for a person) is given back with `release`. Both are keyed by the
refund (`token`, its adjustment id): a worker that dies between reserving and approving, or
before releasing, is redelivered and neither reserves twice nor keeps an unused hold.

A refund that ends without money moving for good — Amazon rejected it (retries used up or
not retryable), it was never sent in time, or a person settled an unknown outcome as not
paid — gives its reservation back with `give_back_unspent`, to the day and month it was
reserved in (`Refund.reserved_at`), exactly once: the counters' own marker per refund is
written in the same transaction as the decrements, so a crash or redelivery cannot give it
back twice (which would let spending pass the budget). Never for `unknown` (it may have
been paid) and never for a failed refund its batch may still retry. A step the store could
not complete for other writers raises ReservationConflict (nothing added; the action is
retried), never a budget verdict.
"""

from __future__ import annotations

from datetime import datetime

from spconnector.aws.errors import ReservationConflict
from spconnector.domain import Money, Tenant
from spconnector.jobs.services import Services
from spconnector.jobs.spent import counts_spend, refund_spend
from spconnector.observability import get_logger
from spconnector.refunds.model import Refund, RefundState
from spconnector.refunds.outcomes import mark_budget_returned, moved_no_money_for_good

__all__ = [
    "ReservationConflict",
    "counts_spend",
    "give_back_all_unspent",
    "give_back_unspent",
    "refund_spend",
    "release",
    "reserve",
    "reserved_since",
]

log = get_logger(__name__)


def reserve(
    services: Services, tenant: Tenant, amount: Money, now: datetime, *, token: str
) -> bool:
    """Add `amount` to today's and this month's spend if both stay within budget — at once,
    and once per `token` while it is held (a redelivery finds its own reservation).

    True when there is no budget to respect (nothing to reserve) or the reservation holds;
    False when a budget would be passed (nothing was added).
    """
    daily, monthly = tenant.budgets.daily_refunds, tenant.budgets.monthly_refunds
    if daily is None and monthly is None:
        return True
    if any(b is not None and b.currency != amount.currency for b in (daily, monthly)):
        return False  # budgets are per currency: a person decides
    limits = (daily.amount if daily else None, monthly.amount if monthly else None)
    return services.spend.add_within(
        tenant.tenant_id, amount.currency, amount.amount, now, limits, token=token
    )


def reserved_since(
    services: Services, tenant: Tenant, currency: str, token: str
) -> datetime | None:
    """When the counters took `token`'s reservation (None: no budget counted, or not held)."""
    if not counts_spend(tenant):
        return None
    return services.spend.held_since(tenant.tenant_id, currency, token)


def release(services: Services, tenant: Tenant, amount: Money, *, token: str) -> None:
    """Give back `token`'s reservation if it is held and was not used (at most once)."""
    if not counts_spend(tenant):
        return
    services.spend.subtract(
        tenant.tenant_id, amount.currency, amount.amount, datetime.min, token=token
    )


def give_back_unspent(services: Services, refund: Refund) -> bool:
    """Give a refund's reservation back if it ended for good without money moving; True if
    the counters were lowered by this call (False: not final, never reserved, or given back
    before — by this or any other worker)."""
    ledger = services.refund_ledger
    if refund.reserved_at is None or refund.budget_returned_at is not None:
        return False
    if not moved_no_money_for_good(ledger, refund):
        return False
    given = services.spend.give_back(
        refund.tenant,
        refund.currency,
        refund.total.amount,
        refund.reserved_at,
        token=refund.adjustment_id,
    )
    # recorded after the counters moved; a crash in between only means the next run asks
    # the counters again, and their marker answers "given back before"
    mark_budget_returned(ledger, services, refund)
    return given


def give_back_all_unspent(services: Services, tenant_id: str, marketplace_id: str) -> int:
    """Every failed refund of (tenant, marketplace) whose reservation is still held: given
    back if final. Returns how many were given back now."""
    given = 0
    for refund in services.refund_ledger.refunds_in_state(
        tenant_id, marketplace_id, RefundState.FAILED
    ):
        try:
            given += give_back_unspent(services, refund)
        except ReservationConflict:  # the counters were busy: the next run asks again
            log.warning("budget give-back deferred", extra={"case_id": refund.case_id})
    return given
