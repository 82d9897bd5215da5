"""What a tenant has committed to refunds today and this month, and the atomic reservation
that keeps concurrent workers inside the budgets.

Two counters per tenant and currency — one for the day, one for the month (the
`SpendCounters` port). A refund is approved only after `reserve` added its amount to both in
ONE atomic step that fails if either would pass its budget, so two Act invocations can never
both spend the last of a budget. A reservation that is not used (the refund was refused for
another reason, or waits for a person) is given back with `release`. Money Amazon later
rejects stays counted: the budget errs on the side of spending less. A step the store could
not complete for other writers raises ReservationConflict (nothing added; the action is
retried), never a budget verdict.
"""

from __future__ import annotations

from datetime import datetime

from spconnector.aws.errors import ReservationConflict
from spconnector.domain import Money, Tenant
from spconnector.jobs.services import Services

__all__ = ["ReservationConflict", "refund_spend", "release", "reserve"]


def _currency(tenant: Tenant) -> str | None:
    budget = tenant.budgets.daily_refunds or tenant.budgets.monthly_refunds
    budget = budget or tenant.budgets.autonomy_limit
    return budget.currency if budget else None


def refund_spend(
    services: Services, tenant: Tenant, now: datetime
) -> tuple[Money | None, Money | None]:
    """(today, this month) in the budgets' currency; (None, None) when no budget is set."""
    currency = _currency(tenant)
    if currency is None:
        return None, None
    today, month = services.spend.spent(tenant.tenant_id, currency, now)
    return Money(amount=today, currency=currency), Money(amount=month, currency=currency)


def reserve(services: Services, tenant: Tenant, amount: Money, now: datetime) -> bool:
    """Add `amount` to today's and this month's spend if both stay within budget — at once.

    True when there is no budget to respect (nothing to reserve) or the reservation holds;
    False when a budget would be passed (nothing was added).
    """
    daily, monthly = tenant.budgets.daily_refunds, tenant.budgets.monthly_refunds
    if daily is None and monthly is None:
        return True
    if any(b is not None and b.currency != amount.currency for b in (daily, monthly)):
        return False  # budgets are per currency: a person decides
    limits = (daily.amount if daily else None, monthly.amount if monthly else None)
    return services.spend.add_within(tenant.tenant_id, amount.currency, amount.amount, now, limits)


def release(services: Services, tenant: Tenant, amount: Money, now: datetime) -> None:
    """Give back a reservation that was not used."""
    if tenant.budgets.daily_refunds is None and tenant.budgets.monthly_refunds is None:
        return
    services.spend.subtract(tenant.tenant_id, amount.currency, amount.amount, now)
