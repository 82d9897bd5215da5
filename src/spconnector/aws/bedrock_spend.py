"""Each tenant's Bedrock spend per calendar month, in the one table (the `SpendLedger` port of
understanding/converse.py), so the monthly cost cap holds across every Lambda container, not
per process.

Key: `{tenant}#bedrock-spend` / `month#YYYY-MM` (template.yaml's LeadingKeys conditions name
it). `add` is one atomic UpdateItem ADD, so concurrent calls never lose each other's cost; the
cap is checked before a call, so concurrent calls may pass it by at most their own cost.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

# A month's item outlives its month a little, then DynamoDB's TTL removes it.
_KEEP_SECONDS = 40 * 24 * 3600


def _key(tenant: str, month: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": f"{tenant}#bedrock-spend"}, "sk": {"S": f"month#{month}"}}


class DynamoBedrockSpend:
    def __init__(self, client: Any, table: str) -> None:
        self._ddb = client
        self._table = table

    def spent(self, tenant: str, month: str) -> Decimal:
        item = self._ddb.get_item(
            TableName=self._table, Key=_key(tenant, month), ConsistentRead=True
        ).get("Item")
        return Decimal(item["usd"]["N"]) if item and "usd" in item else Decimal(0)

    def add(self, tenant: str, month: str, amount: Decimal) -> None:
        self._ddb.update_item(
            TableName=self._table,
            Key=_key(tenant, month),
            UpdateExpression="ADD usd :amount SET expires_at = :ttl",
            ExpressionAttributeValues={
                ":amount": {"N": str(amount)},
                ":ttl": {"N": str(int(time.time()) + _KEEP_SECONDS)},
            },
        )
