"""Where feedback-growth records live (the one table): review-request claims, growth events
of the impact ledger, A-to-z claim records and removal candidates (the `GrowthStore` port).

Review-request claims follow the outbox pattern: a conditional put writes "sending" (with the
time, so a stale claim can be told from one a live worker holds) before Amazon is called, and
"sent" after. Nothing here holds buyer PII.

Keys (template.yaml's LeadingKeys IAM conditions depend on them): `{tenant}#solicit`,
`{tenant}#impact#growth`, and `{tenant}#{kind}` for documents (`claims`, `removal`,
`removal-check`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from spconnector.growth.events import GrowthEvent

if TYPE_CHECKING:
    from spconnector.jobs.ports import ClaimState


def _conditional_failed(exc: ClientError) -> bool:
    return bool(exc.response["Error"]["Code"] == "ConditionalCheckFailedException")


def _claim(item: dict[str, Any]) -> dict[str, str]:
    """The port's view of a claim item: its order id and string attributes, no table keys."""
    claim = {k: v["S"] for k, v in item.items() if "S" in v and k not in ("pk", "sk")}
    return {"order_id": item["sk"]["S"]} | claim


class DynamoGrowthStore:
    def __init__(self, client: Any, table: str) -> None:
        self._ddb = client
        self._table = table

    # --- review-request claims -------------------------------------------------------------

    def _solicit_key(self, tenant: str, order_id: str) -> dict[str, dict[str, str]]:
        return {"pk": {"S": f"{tenant}#solicit"}, "sk": {"S": order_id}}

    def claim_request(self, tenant: str, order_id: str, now: datetime) -> bool:
        item = self._solicit_key(tenant, order_id) | {
            "state": {"S": "sending"},
            "claimed_at": {"S": now.isoformat()},
        }
        try:
            self._ddb.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
            return True
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            return False

    def request_claim(self, tenant: str, order_id: str) -> dict[str, str] | None:
        item = self._ddb.get_item(
            TableName=self._table, Key=self._solicit_key(tenant, order_id), ConsistentRead=True
        ).get("Item")
        return _claim(item) if item else None

    def take_over(self, tenant: str, order_id: str, seen_claimed_at: str, now: datetime) -> bool:
        try:
            self._ddb.update_item(
                TableName=self._table,
                Key=self._solicit_key(tenant, order_id),
                UpdateExpression="SET claimed_at = :now",
                ConditionExpression="#s = :sending AND claimed_at = :seen",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={
                    ":now": {"S": now.isoformat()},
                    ":seen": {"S": seen_claimed_at},
                    ":sending": {"S": "sending"},
                },
            )
            return True
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            return False

    def settle_request(
        self, tenant: str, order_id: str, state: ClaimState, at: datetime, reason: str = ""
    ) -> None:
        self._ddb.update_item(
            TableName=self._table,
            Key=self._solicit_key(tenant, order_id),
            UpdateExpression="SET #s = :state, settled_at = :at, reason = :reason",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={
                ":state": {"S": state},
                ":at": {"S": at.isoformat()},
                ":reason": {"S": reason[:200]},
            },
        )

    def release_request(self, tenant: str, order_id: str, claimed_at: str) -> None:
        try:
            self._ddb.delete_item(
                TableName=self._table,
                Key=self._solicit_key(tenant, order_id),
                ConditionExpression="#s = :sending AND claimed_at = :mine",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={
                    ":sending": {"S": "sending"},
                    ":mine": {"S": claimed_at},
                },
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise

    def request_claims(self, tenant: str) -> list[dict[str, str]]:
        return [_claim(item) for item in self._query(f"{tenant}#solicit")]

    # --- growth events (impact ledger) -------------------------------------------------------

    def record(self, event: GrowthEvent) -> None:
        self._ddb.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": f"{event.tenant}#impact#growth"},
                "sk": {"S": event.key},
                "data": {"S": event.model_dump_json()},
            },
        )

    def events(self, tenant: str) -> list[GrowthEvent]:
        return [
            GrowthEvent.model_validate_json(item["data"]["S"])
            for item in self._query(f"{tenant}#impact#growth")
        ]

    # --- documents keyed by order (claims) or feedback (removal candidates) ----------------

    def _doc_item(
        self, tenant: str, kind: str, key: str, data: dict[str, Any]
    ) -> dict[str, dict[str, str]]:
        return {
            "pk": {"S": f"{tenant}#{kind}"},
            "sk": {"S": key},
            "data": {"S": json.dumps(data, default=str)},
        }

    def put_doc(self, tenant: str, kind: str, key: str, data: dict[str, Any]) -> None:
        self._ddb.put_item(TableName=self._table, Item=self._doc_item(tenant, kind, key, data))

    def put_doc_once(self, tenant: str, kind: str, key: str, data: dict[str, Any]) -> bool:
        try:
            self._ddb.put_item(
                TableName=self._table,
                Item=self._doc_item(tenant, kind, key, data),
                ConditionExpression="attribute_not_exists(pk)",
            )
            return True
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            return False

    def get_doc(self, tenant: str, kind: str, key: str) -> dict[str, Any] | None:
        item = self._ddb.get_item(
            TableName=self._table,
            Key={"pk": {"S": f"{tenant}#{kind}"}, "sk": {"S": key}},
            ConsistentRead=True,
        ).get("Item")
        if not item:
            return None
        data: dict[str, Any] = json.loads(item["data"]["S"])
        return data

    def delete_doc(self, tenant: str, kind: str, key: str) -> None:
        self._ddb.delete_item(
            TableName=self._table, Key={"pk": {"S": f"{tenant}#{kind}"}, "sk": {"S": key}}
        )

    def docs(self, tenant: str, kind: str) -> list[dict[str, Any]]:
        return [json.loads(item["data"]["S"]) for item in self._query(f"{tenant}#{kind}")]

    def _query(self, pk: str) -> list[dict[str, Any]]:
        pages = self._ddb.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
            ConsistentRead=True,
        )
        return [item for page in pages for item in page.get("Items", [])]
