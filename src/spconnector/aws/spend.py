"""The refund spend counters in DynamoDB: a day item and a month item per (tenant, currency).

`add_within` adds to both in ONE conditional transaction that fails if either would pass its
limit. Only a cancellation whose reasons name ConditionalCheckFailed means "over a limit"; one
cancelled by a TransactionConflict (another reservation on the same counter at the same
moment) wrote nothing and is tried again, a bounded number of times.

`give_back` returns a refund's reservation exactly once: a marker item per refund
(sk "given_back#<token>", created only if absent) is written in the same transaction as the
two decrements, so a redelivery or a second worker finds the marker and changes nothing.
Each decrement is conditional on the counter still holding it, so none goes below zero.

With a `token` (the refund's adjustment id) a reservation is held at most once: a marker
(sk "reserved#<token>", with when it was reserved) is created in the same transaction as the
increments, so a redelivery after a crash between reserving and approving adds nothing again;
`subtract` with the token deletes the marker in the same transaction as the decrements (on
the day and month it was reserved in), so a reservation is released at most once.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from spconnector.aws.errors import ReservationConflict


def cancellation_reasons(exc: ClientError) -> list[str | None]:
    """Each item's cancellation code of a cancelled transaction; any other error is re-raised."""
    if exc.response["Error"]["Code"] != "TransactionCanceledException":
        raise exc
    return [r.get("Code") for r in exc.response.get("CancellationReasons", [])]


# Counters outlive their period a little, then DynamoDB's TTL removes them.
_KEEP_SECONDS = 40 * 24 * 3600
# A conflict lasts as long as the other transaction: a few short, jittered waits suffice.
CONFLICT_ATTEMPTS = 5
_CONFLICT_BACKOFF = 0.05


def _keys(tenant: str, currency: str, now: datetime) -> tuple[dict[str, dict[str, str]], ...]:
    pk = {"S": f"{tenant}#spend#{currency}"}
    return (
        {"pk": pk, "sk": {"S": f"day#{now:%Y-%m-%d}"}},
        {"pk": pk, "sk": {"S": f"month#{now:%Y-%m}"}},
    )


class DynamoSpendCounters:
    def __init__(self, client: Any, table: str) -> None:
        self._ddb = client
        self._table = table

    def spent(self, tenant: str, currency: str, now: datetime) -> tuple[Decimal, Decimal]:
        values = []
        for key in _keys(tenant, currency, now):
            item = self._ddb.get_item(TableName=self._table, Key=key, ConsistentRead=True).get(
                "Item", {}
            )
            values.append(Decimal(item.get("spent", {}).get("N", "0")))
        return values[0], values[1]

    def add_within(
        self,
        tenant: str,
        currency: str,
        amount: Decimal,
        now: datetime,
        limits: tuple[Decimal | None, Decimal | None],
        token: str | None = None,
    ) -> bool:
        if any(limit is not None and amount > limit for limit in limits):
            # alone past a budget: the condition below lets a counter never written take any
            # amount, so the first refund of a day could otherwise pass the whole budget
            return False
        items = []
        for key, limit in zip(_keys(tenant, currency, now), limits, strict=True):
            values: dict[str, Any] = {
                ":amount": {"N": str(amount)},
                ":expires": {"N": str(int(now.timestamp()) + _KEEP_SECONDS)},
            }
            update: dict[str, Any] = {
                "TableName": self._table,
                "Key": key,
                "UpdateExpression": "ADD spent :amount SET expires_at = :expires",
                "ExpressionAttributeValues": values,
            }
            if limit is not None:
                update["ConditionExpression"] = "attribute_not_exists(spent) OR spent <= :room"
                values[":room"] = {"N": str(limit - amount)}
            items.append({"Update": update})
        if token is not None:
            items.insert(0, self._hold(tenant, currency, token, amount, now))
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                self._ddb.transact_write_items(TransactItems=items)
            except ClientError as exc:
                reasons = cancellation_reasons(exc)
                if token is not None and reasons and reasons[0] == "ConditionalCheckFailed":
                    return True  # held since an earlier attempt: nothing added twice
                codes = set(reasons)
                if "ConditionalCheckFailed" in codes:
                    return False  # a limit would be passed
                if "TransactionConflict" not in codes:
                    raise  # cancelled for a reason that says nothing about the limits
                time.sleep(_CONFLICT_BACKOFF * (attempt + 1) * random.random())
                continue
            return True
        raise ReservationConflict("the budget counters stayed in conflict; the action is retried")

    def _hold(
        self, tenant: str, currency: str, token: str, amount: Decimal, now: datetime
    ) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table,
                "Item": {
                    "pk": {"S": f"{tenant}#spend#{currency}"},
                    "sk": {"S": f"reserved#{token}"},
                    "entity": {"S": "spend_reserved"},
                    "amount": {"N": str(amount)},
                    "reserved_at": {"S": now.isoformat()},
                    "expires_at": {"N": str(int(now.timestamp()) + _KEEP_SECONDS)},
                },
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def held_since(self, tenant: str, currency: str, token: str) -> datetime | None:
        item = self._ddb.get_item(
            TableName=self._table,
            Key={"pk": {"S": f"{tenant}#spend#{currency}"}, "sk": {"S": f"reserved#{token}"}},
            ConsistentRead=True,
        ).get("Item")
        return None if item is None else datetime.fromisoformat(item["reserved_at"]["S"])

    def give_back(
        self, tenant: str, currency: str, amount: Decimal, reserved_at: datetime, token: str
    ) -> bool:
        pk = {"S": f"{tenant}#spend#{currency}"}
        marker = {
            "Put": {
                "TableName": self._table,
                "Item": {
                    "pk": pk,
                    "sk": {"S": f"given_back#{token}"},
                    "entity": {"S": "spend_given_back"},
                    "amount": {"N": str(amount)},
                    "reserved_at": {"S": reserved_at.isoformat()},
                },
                # no TTL: a marker must outlive the counters it guards
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
        for attempt in range(CONFLICT_ATTEMPTS):
            items: list[dict[str, Any]] = [marker]
            for key in _keys(tenant, currency, reserved_at):
                item = self._ddb.get_item(TableName=self._table, Key=key, ConsistentRead=True)
                held = Decimal(item.get("Item", {}).get("spent", {}).get("N", "0"))
                taken = min(amount, held)
                if taken <= 0:
                    continue  # nothing left on this counter (or it expired)
                items.append(
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key,
                            "UpdateExpression": "ADD spent :minus",
                            "ConditionExpression": "spent >= :taken",
                            "ExpressionAttributeValues": {
                                ":minus": {"N": str(-taken)},
                                ":taken": {"N": str(taken)},
                            },
                        }
                    }
                )
            try:
                self._ddb.transact_write_items(TransactItems=items)
            except ClientError as exc:
                codes = cancellation_reasons(exc)
                if codes and codes[0] == "ConditionalCheckFailed":
                    return False  # given back before
                if "ConditionalCheckFailed" in codes[1:]:
                    continue  # another give-back lowered a counter meanwhile: read again
                if "TransactionConflict" not in codes:
                    raise
                time.sleep(_CONFLICT_BACKOFF * (attempt + 1) * random.random())
                continue
            return True
        raise ReservationConflict("the budget counters stayed busy; the give-back is retried")

    def subtract(
        self, tenant: str, currency: str, amount: Decimal, now: datetime, token: str | None = None
    ) -> None:
        if token is not None:
            self._release_hold(tenant, currency, amount, token)
            return
        for key in _keys(tenant, currency, now):
            self._ddb.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression="ADD spent :amount",
                ExpressionAttributeValues={":amount": {"N": str(-amount)}},
            )

    def _release_hold(self, tenant: str, currency: str, amount: Decimal, token: str) -> None:
        for attempt in range(CONFLICT_ATTEMPTS):
            reserved_at = self.held_since(tenant, currency, token)
            if reserved_at is None:
                return  # never held, or released before
            pk = {"S": f"{tenant}#spend#{currency}"}
            items: list[dict[str, Any]] = [
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": {"pk": pk, "sk": {"S": f"reserved#{token}"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                }
            ]
            for key in _keys(tenant, currency, reserved_at):
                items.append(
                    {
                        "Update": {
                            "TableName": self._table,
                            "Key": key,
                            "UpdateExpression": "ADD spent :minus",
                            "ExpressionAttributeValues": {":minus": {"N": str(-amount)}},
                        }
                    }
                )
            try:
                self._ddb.transact_write_items(TransactItems=items)
            except ClientError as exc:
                codes = cancellation_reasons(exc)
                if codes and codes[0] == "ConditionalCheckFailed":
                    return  # another worker released it meanwhile
                if "TransactionConflict" not in codes:
                    raise
                time.sleep(_CONFLICT_BACKOFF * (attempt + 1) * random.random())
                continue
            return
        raise ReservationConflict("the budget counters stayed busy; the release is retried")
