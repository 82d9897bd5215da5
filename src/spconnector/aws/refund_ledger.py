"""RefundLedger on the single DynamoDB table (aws/table.py), with conditional writes.

Items (pk is always tenant-prefixed):
- refund:  pk "<tenant>#refund#<order>", sk "adj#<adjustment_id>";
           gsi1pk "<tenant>#refund#<marketplace>#<state>" to find refunds by state.
- batch:   pk "<tenant>#refundbatch#<marketplace>", sk "batch#<batch_id>";
           gsi1pk "<tenant>#refundbatch#<marketplace>#open" only while open (sparse).
- feed:    pk "<tenant>#refundfeed#<feed_id>", sk "feed" → the batch it carries.
- claim:   pk "<tenant>#refundclaim#<order>", sk "claim": the ONE item that holds the
           order's automatic refund (`holder`, an adjustment id) and the refunds made
           elsewhere (`external`); taken and released with conditional writes on it alone.
- lease:   pk "<tenant>#refundlease#<marketplace>", sk "lease".
Refunds hold no buyer PII (order ids, item codes and amounts only), so they carry no TTL.
The GSI is eventually consistent: a just-approved refund may wait for the next run, and the
conditional writes keep a stale read from doing harm.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from spconnector.aws.table import GSI1, PK, SK, table_name
from spconnector.domain.money import Money
from spconnector.refunds.model import BatchStatus, Refund, RefundBatch, RefundState
from spconnector.refunds.ports import OrderClaim

_OPEN = (BatchStatus.SUBMITTING, BatchStatus.SUBMITTED)


def _conditional_failed(exc: ClientError) -> bool:
    return bool(exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


def _epoch(moment: datetime) -> Decimal:
    return Decimal(str(round(moment.timestamp(), 6)))


_Stored = TypeVar("_Stored", Refund, RefundBatch)


class DynamoRefundLedger:
    def __init__(self, client: Any, table: str | None = None) -> None:
        self._client = client
        self._table = table or table_name()

    # ---- refunds
    @staticmethod
    def _refund_key(tenant: str, order: str, adjustment: str) -> dict[str, Any]:
        return {PK: {"S": f"{tenant}#refund#{order}"}, SK: {"S": f"adj#{adjustment}"}}

    def _refund_item(self, refund: Refund, version: int) -> dict[str, Any]:
        stored = refund.model_copy(update={"version": version})
        return {
            **self._refund_key(*refund.key),
            "entity": {"S": "refund"},
            "version": {"N": str(version)},
            "state": {"S": refund.state.value},
            "data": {"S": stored.model_dump_json()},
            "gsi1pk": {"S": f"{refund.tenant}#refund#{refund.marketplace_id}#{refund.state}"},
            "gsi1sk": {
                "S": f"{refund.created_at.isoformat()}#{refund.amazon_order_id}"
                f"#{refund.adjustment_id}"
            },
        }

    def _create(self, item: dict[str, Any]) -> bool:
        """Put only if the key is new; False (nothing written) when it exists."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": PK},
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def _get(self, key: dict[str, Any], model: type[_Stored]) -> _Stored | None:
        item = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True).get(
            "Item"
        )
        return model.model_validate_json(item["data"]["S"]) if item else None

    def create_refund(self, refund: Refund) -> bool:
        return self._create(self._refund_item(refund, 0))

    def get_refund(self, tenant: str, amazon_order_id: str, adjustment_id: str) -> Refund | None:
        return self._get(self._refund_key(tenant, amazon_order_id, adjustment_id), Refund)

    def replace_refund(self, refund: Refund, expected_version: int) -> Refund | None:
        if not self._cas(self._refund_item(refund, expected_version + 1), expected_version):
            return None
        return refund.model_copy(update={"version": expected_version + 1})

    def refunds_for_order(self, tenant: str, amazon_order_id: str) -> list[Refund]:
        """Every refund recorded for the order, any state (strongly consistent: one key)."""
        pages = self._client.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": PK},
            ExpressionAttributeValues={":pk": {"S": f"{tenant}#refund#{amazon_order_id}"}},
            ConsistentRead=True,
        )
        return [
            Refund.model_validate_json(item["data"]["S"])
            for page in pages
            for item in page.get("Items", [])
        ]

    def refunds_in_state(
        self, tenant: str, marketplace_id: str, state: RefundState
    ) -> list[Refund]:
        items = self._query_gsi(f"{tenant}#refund#{marketplace_id}#{state}")
        found = [Refund.model_validate_json(i["data"]["S"]) for i in items]
        return [r for r in found if r.state is state]

    # ---- the one claim per order
    @staticmethod
    def _claim_key(tenant: str, order: str) -> dict[str, Any]:
        return {PK: {"S": f"{tenant}#refundclaim#{order}"}, SK: {"S": "claim"}}

    def claim_order(
        self, tenant: str, amazon_order_id: str, adjustment_id: str
    ) -> OrderClaim | None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._claim_key(tenant, amazon_order_id),
                UpdateExpression="SET #holder = :adj, entity = :entity",
                ConditionExpression=(
                    "attribute_not_exists(#external) AND "
                    "(attribute_not_exists(#holder) OR #holder = :adj)"
                ),
                ExpressionAttributeNames={"#holder": "holder", "#external": "external"},
                ExpressionAttributeValues={
                    ":adj": {"S": adjustment_id},
                    ":entity": {"S": "refund_claim"},
                },
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            held = self.order_claim(tenant, amazon_order_id)
            return held or OrderClaim(amazon_order_id, holder="(unknown)")
        return None

    def release_order(self, tenant: str, amazon_order_id: str, adjustment_id: str) -> None:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=self._claim_key(tenant, amazon_order_id),
                UpdateExpression="REMOVE #holder",
                ConditionExpression="#holder = :adj",
                ExpressionAttributeNames={"#holder": "holder"},
                ExpressionAttributeValues={":adj": {"S": adjustment_id}},
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise

    def mark_external_refund(
        self, tenant: str, amazon_order_id: str, amount: Money | None, source: str
    ) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=self._claim_key(tenant, amazon_order_id),
            UpdateExpression=(
                "SET #external = list_append(if_not_exists(#external, :none), :note), "
                "entity = :entity"
            ),
            ExpressionAttributeNames={"#external": "external"},
            ExpressionAttributeValues={
                ":none": {"L": []},
                ":note": {"L": [{"S": f"{source}: {amount or 'amount not stated'}"}]},
                ":entity": {"S": "refund_claim"},
            },
        )

    def order_claim(self, tenant: str, amazon_order_id: str) -> OrderClaim | None:
        item = self._client.get_item(
            TableName=self._table, Key=self._claim_key(tenant, amazon_order_id), ConsistentRead=True
        ).get("Item")
        if item is None:
            return None
        return OrderClaim(
            amazon_order_id,
            holder=item["holder"]["S"] if "holder" in item else None,
            external=tuple(n["S"] for n in item.get("external", {}).get("L", [])),
        )

    # ---- batches
    @staticmethod
    def _batch_key(tenant: str, marketplace_id: str, batch_id: str) -> dict[str, Any]:
        return {
            PK: {"S": f"{tenant}#refundbatch#{marketplace_id}"},
            SK: {"S": f"batch#{batch_id}"},
        }

    def _batch_item(self, batch: RefundBatch, version: int) -> dict[str, Any]:
        stored = batch.model_copy(update={"version": version})
        item: dict[str, Any] = {
            **self._batch_key(batch.tenant, batch.marketplace_id, batch.batch_id),
            "entity": {"S": "refund_batch"},
            "version": {"N": str(version)},
            "status": {"S": batch.status.value},
            "data": {"S": stored.model_dump_json()},
        }
        if batch.status in _OPEN:
            item["gsi1pk"] = {"S": f"{batch.tenant}#refundbatch#{batch.marketplace_id}#open"}
            item["gsi1sk"] = {"S": batch.batch_id}
        return item

    def create_batch(self, batch: RefundBatch) -> bool:
        return self._create(self._batch_item(batch, 0))

    def get_batch(self, tenant: str, marketplace_id: str, batch_id: str) -> RefundBatch | None:
        return self._get(self._batch_key(tenant, marketplace_id, batch_id), RefundBatch)

    def replace_batch(self, batch: RefundBatch, expected_version: int) -> RefundBatch | None:
        if not self._cas(self._batch_item(batch, expected_version + 1), expected_version):
            return None
        return batch.model_copy(update={"version": expected_version + 1})

    def open_batches(self, tenant: str, marketplace_id: str) -> list[RefundBatch]:
        items = self._query_gsi(f"{tenant}#refundbatch#{marketplace_id}#open")
        found: list[RefundBatch] = []
        for item in items:
            # re-read strongly: the index may lag behind the item
            batch_id = item[SK]["S"].removeprefix("batch#")
            batch = self.get_batch(tenant, marketplace_id, batch_id)
            if batch is not None and batch.status in _OPEN:
                found.append(batch)
        return sorted(found, key=lambda b: b.batch_id)

    # ---- feeds
    def record_feed(self, tenant: str, feed_id: str, batch_id: str) -> None:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    PK: {"S": f"{tenant}#refundfeed#{feed_id}"},
                    SK: {"S": "feed"},
                    "entity": {"S": "refund_feed"},
                    "batch_id": {"S": batch_id},
                },
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": PK},
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise

    def feed_owner(self, tenant: str, feed_id: str) -> str | None:
        answer = self._client.get_item(
            TableName=self._table,
            Key={PK: {"S": f"{tenant}#refundfeed#{feed_id}"}, SK: {"S": "feed"}},
            ConsistentRead=True,
        )
        item = answer.get("Item")
        return str(item["batch_id"]["S"]) if item else None

    # ---- lease
    @staticmethod
    def _lease_key(tenant: str, marketplace_id: str) -> dict[str, Any]:
        return {PK: {"S": f"{tenant}#refundlease#{marketplace_id}"}, SK: {"S": "lease"}}

    def acquire_lease(
        self, tenant: str, marketplace_id: str, owner: str, now: datetime, ttl_seconds: float
    ) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item={
                    **self._lease_key(tenant, marketplace_id),
                    "entity": {"S": "refund_lease"},
                    "owner": {"S": owner},
                    "lease_until": {"N": str(_epoch(now + timedelta(seconds=ttl_seconds)))},
                },
                ConditionExpression=(
                    "attribute_not_exists(#pk) OR #owner = :owner OR lease_until <= :now"
                ),
                ExpressionAttributeNames={"#pk": PK, "#owner": "owner"},
                ExpressionAttributeValues={
                    ":owner": {"S": owner},
                    ":now": {"N": str(_epoch(now))},
                },
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def holds_lease(
        self, tenant: str, marketplace_id: str, owner: str, now: datetime, margin_seconds: float
    ) -> bool:
        answer = self._client.get_item(
            TableName=self._table, Key=self._lease_key(tenant, marketplace_id), ConsistentRead=True
        )
        item = answer.get("Item")
        if not item or item["owner"]["S"] != owner:
            return False
        return Decimal(item["lease_until"]["N"]) > _epoch(now + timedelta(seconds=margin_seconds))

    def release_lease(self, tenant: str, marketplace_id: str, owner: str) -> None:
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=self._lease_key(tenant, marketplace_id),
                ConditionExpression="#owner = :owner",
                ExpressionAttributeNames={"#owner": "owner"},
                ExpressionAttributeValues={":owner": {"S": owner}},
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise

    # ---- helpers
    def _cas(self, item: dict[str, Any], expected_version: int) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="version = :v",
                ExpressionAttributeValues={":v": {"N": str(expected_version)}},
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def _query_gsi(self, gsi1pk: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": GSI1,
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": gsi1pk}},
        }
        while True:
            page = self._client.query(**kwargs)
            items.extend(page.get("Items", []))
            last = page.get("LastEvaluatedKey")
            if not last:
                return items
            kwargs["ExclusiveStartKey"] = last
