"""What a buyer did with this seller in the last 365 days — the policy's abuse signal.

Buyers are known only by Amazon's anonymized relay alias, stable per buyer and seller. We keep
no alias: the key is an HMAC of (tenant, alias) under the deployment's secret key (so a table
reader cannot test guessed aliases), and the items hold order ids, refund amounts and dates,
nothing else — they expire after 365 days (DynamoDB TTL), the window the policy reads.
Return-only cases carry no alias and get no history (the guard cannot bite); without a
configured key nothing is recorded and every buyer reads as new.
This is the DynamoDB adapter of the `BuyerHistoryStore` port (`services.buyer_history`).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from spconnector.domain import BuyerHistory, Money

WINDOW = timedelta(days=365)


def buyer_key(secret: bytes, tenant: str, alias: str) -> str:
    message = f"{tenant}\x1f{alias.strip().lower()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


class DynamoBuyerHistory:
    def __init__(self, client: Any, table: str, secret: bytes | None) -> None:
        self._ddb = client
        self._table = table
        self._secret = secret

    def _pk(self, tenant: str, alias: str) -> dict[str, str]:
        assert self._secret is not None
        return {"S": f"{tenant}#buyer#{buyer_key(self._secret, tenant, alias)}"}

    def _put_once(self, item: dict[str, dict[str, str]]) -> None:
        try:
            self._ddb.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def record_order(self, tenant: str, alias: str, order_id: str, at: datetime) -> None:
        if self._secret is None:
            return  # no key configured: nothing is kept about buyers
        self._put_once(
            {
                "pk": self._pk(tenant, alias),
                "sk": {"S": f"order#{order_id}"},
                "at": {"S": at.isoformat()},
                "expires_at": {"N": str(int((at + WINDOW).timestamp()))},
            }
        )

    def record_refund(
        self, tenant: str, alias: str, adjustment_id: str, amount: Money, at: datetime
    ) -> None:
        if self._secret is None:
            return
        self._put_once(
            {
                "pk": self._pk(tenant, alias),
                "sk": {"S": f"refund#{adjustment_id}"},
                "at": {"S": at.isoformat()},
                "amount": {"S": format(amount.amount, "f")},
                "currency": {"S": amount.currency},
                "expires_at": {"N": str(int((at + WINDOW).timestamp()))},
            }
        )

    def history(self, tenant: str, alias: str, now: datetime, currency: str) -> BuyerHistory:
        if self._secret is None:
            return BuyerHistory()
        since = now - WINDOW
        orders = refunds = 0
        spent = Decimal(0)
        pages = self._ddb.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": self._pk(tenant, alias)},
        )
        for page in pages:
            for item in page.get("Items", []):
                if datetime.fromisoformat(item["at"]["S"]) < since:
                    continue  # TTL deletes late; the window is exact here
                kind = item["sk"]["S"].split("#", 1)[0]
                if kind == "order":
                    orders += 1
                elif kind == "refund":
                    refunds += 1
                    if item["currency"]["S"] == currency:
                        spent += Decimal(item["amount"]["S"])
        return BuyerHistory(
            orders_365d=orders,
            refunds_365d=refunds,
            refund_amount_365d=Money(amount=spent, currency=currency),
        )
