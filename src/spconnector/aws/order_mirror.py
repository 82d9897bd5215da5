"""The order mirror in the shared table (see spconnector.mirror for its guarantees).

Items: pk "<tenant>#ordermirror#<order id>", sk "order": the domain Order as JSON, read_at
and changed_at (epoch seconds), expires_at (TTL: 30 days after delivery, or 30 days after the
last read while the order is undelivered). pk "<tenant>#ordermirror", sk "cursor": the
incremental searchOrders cursor. The table is encrypted at rest (SSESpecification).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from spconnector.aws import clients
from spconnector.aws.items import checked_tenant, is_conditional_failure, value
from spconnector.aws.retention import ttl_after_delivery, ttl_for
from spconnector.aws.table import PK, SK, TTL_ATTRIBUTE, table_name
from spconnector.domain import Order
from spconnector.mirror.store import MirroredOrder

ORDER_SK = "order"
CURSOR_SK = "cursor"


def _epoch(at: datetime) -> str:
    return repr(at.timestamp())


def _time(attribute: dict[str, Any] | None) -> datetime | None:
    if not attribute:
        return None
    return datetime.fromtimestamp(float(attribute["N"]), UTC)


class DynamoOrderMirror:
    def __init__(self, *, table: str | None = None, client: Any | None = None) -> None:
        self._table = table or table_name()
        self._client = client

    @property
    def _ddb(self) -> Any:
        if self._client is None:
            self._client = clients.client("dynamodb")
        return self._client

    @staticmethod
    def _key(tenant: str, order_id: str) -> dict[str, Any]:
        return {
            PK: {"S": f"{checked_tenant(tenant)}#ordermirror#{order_id}"},
            SK: {"S": ORDER_SK},
        }

    def get(self, tenant: str, order_id: str) -> MirroredOrder | None:
        item = self._ddb.get_item(TableName=self._table, Key=self._key(tenant, order_id)).get(
            "Item"
        )
        if not item or "order" not in item:
            return None
        read_at = _time(item.get("read_at"))
        assert read_at is not None  # written together with the order
        return MirroredOrder(
            Order.model_validate_json(item["order"]["S"]), read_at, _time(item.get("changed_at"))
        )

    def put(self, tenant: str, order: Order, *, read_at: datetime, now: datetime) -> bool:
        expires = (
            ttl_after_delivery(order.delivered_at, now)
            if order.delivered_at is not None
            else ttl_for(now, now)
        )
        try:
            self._ddb.update_item(
                TableName=self._table,
                Key=self._key(tenant, order.amazon_order_id),
                UpdateExpression="SET #order = :order, read_at = :read, #ttl = :expires",
                ConditionExpression="attribute_not_exists(read_at) OR read_at <= :read",
                ExpressionAttributeNames={"#order": "order", "#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":order": {"S": order.model_dump_json()},
                    ":read": {"N": _epoch(read_at)},
                    ":expires": value(expires),
                },
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                return False  # a later read is stored already
            raise
        return True

    def mark_changed(self, tenant: str, order_id: str, at: datetime) -> None:
        # Kept even when the order is not mirrored (yet): a search that read it before the
        # change and stores it afterwards must not look fresh. Such a marker alone expires
        # after 30 days like the rest.
        try:
            self._ddb.update_item(
                TableName=self._table,
                Key=self._key(tenant, order_id),
                UpdateExpression="SET changed_at = :at, #ttl = if_not_exists(#ttl, :expires)",
                ConditionExpression="attribute_not_exists(changed_at) OR changed_at < :at",
                ExpressionAttributeNames={"#ttl": TTL_ATTRIBUTE},
                ExpressionAttributeValues={
                    ":at": {"N": _epoch(at)},
                    ":expires": value(ttl_for(at, at)),
                },
            )
        except Exception as exc:
            if not is_conditional_failure(exc):  # a later change is recorded already
                raise

    def _cursor_key(self, tenant: str) -> dict[str, Any]:
        return {PK: {"S": f"{checked_tenant(tenant)}#ordermirror"}, SK: {"S": CURSOR_SK}}

    def cursor(self, tenant: str) -> datetime | None:
        item = self._ddb.get_item(
            TableName=self._table, Key=self._cursor_key(tenant), ConsistentRead=True
        ).get("Item")
        return _time(item.get("at")) if item else None

    def set_cursor(self, tenant: str, at: datetime) -> None:
        try:
            self._ddb.update_item(
                TableName=self._table,
                Key=self._cursor_key(tenant),
                UpdateExpression="SET #at = :at",
                ConditionExpression="attribute_not_exists(#at) OR #at < :at",
                ExpressionAttributeNames={"#at": "at"},
                ExpressionAttributeValues={":at": {"N": _epoch(at)}},
            )
        except Exception as exc:
            if not is_conditional_failure(exc):  # never moves back
                raise
