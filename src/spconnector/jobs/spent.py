"""What a tenant has committed to refunds today and this month, read for a decision.

The counters and the reservations that move them are jobs/spend.py's. Reading them needs
neither the refund ledger nor the refund models, so ProcessCase, which decides and never
refunds, imports this without the refund machinery (its cold start: see
tests/unit/test_cold_imports.py).
"""

from __future__ import annotations

from datetime import datetime

from spconnector.domain import Money, Tenant
from spconnector.jobs.services import Services


def budget_currency(tenant: Tenant) -> str | None:
    """The currency the tenant's budgets are kept in; None when it has no budget."""
    budget = tenant.budgets.daily_refunds or tenant.budgets.monthly_refunds
    budget = budget or tenant.budgets.autonomy_limit
    return budget.currency if budget else None


def refund_spend(
    services: Services, tenant: Tenant, now: datetime
) -> tuple[Money | None, Money | None]:
    """(today, this month) in the budgets' currency; (None, None) when no budget is set."""
    currency = budget_currency(tenant)
    if currency is None:
        return None, None
    today, month = services.spend.spent(tenant.tenant_id, currency, now)
    return Money(amount=today, currency=currency), Money(amount=month, currency=currency)


def counts_spend(tenant: Tenant) -> bool:
    """Whether `reserve` adds to the counters for this tenant (a daily or monthly budget)."""
    return tenant.budgets.daily_refunds is not None or tenant.budgets.monthly_refunds is not None
