"""What a tenant has already committed to refunds today and this month (budgets' input)."""

from __future__ import annotations

from datetime import datetime

from spconnector.domain import Money, Tenant
from spconnector.jobs.services import Services
from spconnector.refunds.model import RefundState

# Money already promised: approved or beyond. Failed and needs-person refunds did not move it.
_COMMITTED = (RefundState.APPROVED, RefundState.SUBMITTED, RefundState.CONFIRMED)


def refund_spend(
    services: Services, tenant: Tenant, now: datetime
) -> tuple[Money | None, Money | None]:
    """(today, this month) in the budgets' currency; (None, None) when no budget is set."""
    budget = tenant.budgets.daily_refunds or tenant.budgets.monthly_refunds
    budget = budget or tenant.budgets.autonomy_limit
    if budget is None:
        return None, None
    currency = budget.currency
    today = Money.zero(currency)
    month = Money.zero(currency)
    for marketplace_id in tenant.marketplace_ids:
        for state in _COMMITTED:
            for refund in services.refund_ledger.refunds_in_state(
                tenant.tenant_id, marketplace_id, state
            ):
                if refund.currency != currency:
                    continue  # another marketplace's currency: budgets are per currency
                created = refund.created_at
                if (created.year, created.month) == (now.year, now.month):
                    month = month + refund.total
                    if created.date() == now.date():
                        today = today + refund.total
    return today, month
