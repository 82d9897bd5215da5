"""What a tenant has committed to refunds today and this month, and the atomic reservation
that keeps concurrent workers inside the budgets.

Two counters per tenant and currency — one for the day, one for the month — in the single
table. A refund is approved only after `reserve` added its amount to both in ONE conditional
transaction that fails if either would pass its budget, so two Act invocations can never both
spend the last of a budget. A reservation that is not used (the refund was refused for
another reason, or waits for a person) is given back with `release`. Money Amazon later
rejects stays counted: the budget errs on the side of spending less.

Only a cancelled transaction whose reasons name ConditionalCheckFailed means "budget
exceeded"; one cancelled by a TransactionConflict (another reservation on the same counter
at the same moment) wrote nothing and is tried again, a bounded number of times.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from decimal import Decimal

from botocore.exceptions import ClientError

from spconnector.aws.clients import client
from spconnector.domain import Money, Tenant
from spconnector.jobs.services import Services

# Counters outlive their period a little, then DynamoDB's TTL removes them.
_KEEP_SECONDS = 40 * 24 * 3600
# A conflict lasts as long as the other transaction: a few short, jittered waits suffice.
CONFLICT_ATTEMPTS = 5
_CONFLICT_BACKOFF = 0.05


class ReservationConflict(RuntimeError):
    """Every attempt met another transaction on the counters: not a budget verdict."""


def _keys(tenant: str, currency: str, now: datetime) -> tuple[dict[str, dict[str, str]], ...]:
    pk = {"S": f"{tenant}#spend#{currency}"}
    return (
        {"pk": pk, "sk": {"S": f"day#{now:%Y-%m-%d}"}},
        {"pk": pk, "sk": {"S": f"month#{now:%Y-%m}"}},
    )


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
    ddb = client("dynamodb")
    values = []
    for key in _keys(tenant.tenant_id, currency, now):
        item = ddb.get_item(TableName=services.settings.table, Key=key, ConsistentRead=True).get(
            "Item", {}
        )
        values.append(Money(amount=Decimal(item.get("spent", {}).get("N", "0")), currency=currency))
    return values[0], values[1]


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
    items = []
    for key, budget in zip(
        _keys(tenant.tenant_id, amount.currency, now), (daily, monthly), strict=True
    ):
        update = {
            "TableName": services.settings.table,
            "Key": key,
            "UpdateExpression": "ADD spent :amount SET expires_at = :expires",
            "ExpressionAttributeValues": {
                ":amount": {"N": str(amount.amount)},
                ":expires": {"N": str(int(now.timestamp()) + _KEEP_SECONDS)},
            },
        }
        if budget is not None:
            update["ConditionExpression"] = "attribute_not_exists(spent) OR spent <= :room"
            update["ExpressionAttributeValues"][":room"] = {  # type: ignore[index]
                "N": str(budget.amount - amount.amount)
            }
        items.append({"Update": update})
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            client("dynamodb").transact_write_items(TransactItems=items)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            codes = {r.get("Code") for r in exc.response.get("CancellationReasons", [])}
            if "ConditionalCheckFailed" in codes:
                return False  # a budget would be passed
            if "TransactionConflict" not in codes:
                raise  # cancelled for a reason that says nothing about the budget
            time.sleep(_CONFLICT_BACKOFF * (attempt + 1) * random.random())
            continue
        return True
    raise ReservationConflict("the budget counters stayed in conflict; the action is retried")


def release(services: Services, tenant: Tenant, amount: Money, now: datetime) -> None:
    """Give back a reservation that was not used."""
    if tenant.budgets.daily_refunds is None and tenant.budgets.monthly_refunds is None:
        return
    for key in _keys(tenant.tenant_id, amount.currency, now):
        client("dynamodb").update_item(
            TableName=services.settings.table,
            Key=key,
            UpdateExpression="ADD spent :amount",
            ExpressionAttributeValues={":amount": {"N": str(-amount.amount)}},
        )
