"""The outbox markers in DynamoDB: one item per (case, side effect), written conditionally.

claim() is a conditional put of "sending" before the side effect; done() marks it "sent". A
marker found "sending" means a run died between the two: the effect may or may not have
happened, so the caller hands it to a person, never repeats it (the `Outbox` port).
"""

from __future__ import annotations

from typing import Any, Literal

from botocore.exceptions import ClientError

Claim = Literal["claimed", "sent", "unknown"]


class DynamoOutbox:
    def __init__(self, client: Any, table: str) -> None:
        self._ddb = client
        self._table = table

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
        return "sent" if self.state(tenant, case_id, key) == "sent" else "unknown"

    def state(self, tenant: str, case_id: str, key: str) -> str | None:
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
