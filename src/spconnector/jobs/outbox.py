"""Outbox markers: at-most-once side effects that cannot be taken back (a sent email).

claim() writes "sending" with a conditional put before the side effect; done() marks it
"sent". A marker found "sending" means a run died between the two: the effect may or may not
have happened, so the caller must hand it to a person, never repeat it.
"""

from __future__ import annotations

from typing import Literal

from botocore.exceptions import ClientError

from spconnector.aws.clients import client
from spconnector.jobs.services import Services

Claim = Literal["claimed", "sent", "unknown"]


class Outbox:
    def __init__(self, services: Services) -> None:
        self._table = services.settings.table
        self._ddb = client("dynamodb")

    def _key(self, tenant: str, case_id: str, key: str) -> dict[str, dict[str, str]]:
        if not case_id.startswith(f"{tenant}#"):
            raise ValueError("case belongs to another tenant")
        return {"pk": {"S": f"{tenant}#outbox#{case_id}"}, "sk": {"S": key}}

    def claim(self, tenant: str, case_id: str, key: str) -> Claim:
        item = self._key(tenant, case_id, key) | {"state": {"S": "sending"}}
        try:
            self._ddb.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(pk)",
            )
            return "claimed"
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        stored = self._ddb.get_item(
            TableName=self._table, Key=self._key(tenant, case_id, key), ConsistentRead=True
        ).get("Item", {})
        return "sent" if stored.get("state", {}).get("S") == "sent" else "unknown"

    def state(self, tenant: str, case_id: str, key: str) -> str | None:
        """ "sending", "sent", or None when nothing was ever claimed (read-only)."""
        stored = self._ddb.get_item(
            TableName=self._table, Key=self._key(tenant, case_id, key), ConsistentRead=True
        ).get("Item", {})
        value = stored.get("state", {}).get("S")
        return str(value) if value else None

    def done(self, tenant: str, case_id: str, key: str, receipt: str) -> None:
        self._ddb.update_item(
            TableName=self._table,
            Key=self._key(tenant, case_id, key),
            UpdateExpression="SET #s = :sent, receipt = :r",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues={":sent": {"S": "sent"}, ":r": {"S": receipt}},
        )
