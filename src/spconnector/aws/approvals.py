"""Approval verdicts in DynamoDB: one item per (case, decision seq), written conditionally."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from spconnector.domain.approval import ApprovalVerdict


class DynamoApprovalRecords:
    def __init__(self, client: Any, table: str) -> None:
        self._ddb = client
        self._table = table

    def verdicts(self, tenant: str, case_id: str) -> list[ApprovalVerdict]:
        found: list[ApprovalVerdict] = []
        start: dict[str, Any] | None = None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "pk = :pk AND begins_with(sk, :a)",
                "ExpressionAttributeValues": {
                    ":pk": {"S": f"{tenant}#case#{case_id}"},
                    ":a": {"S": "approval#"},
                },
                "ConsistentRead": True,
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            response = self._ddb.query(**kwargs)
            for item in response.get("Items", []):
                reason = item.get("reason", {}).get("S")
                found.append(
                    ApprovalVerdict(
                        seq=int(item["sk"]["S"].removeprefix("approval#")),
                        verdict=item["verdict"]["S"],
                        by=item["by"]["S"],
                        at=datetime.fromisoformat(item["at"]["S"]),
                        reason=reason or None,
                    )
                )
            start = response.get("LastEvaluatedKey")
            if not start:
                return found

    def record(
        self,
        tenant: str,
        case_id: str,
        seq: int,
        verdict: str,
        *,
        by: str,
        reason: str | None,
        at: datetime,
    ) -> str | None:
        key = {"pk": {"S": f"{tenant}#case#{case_id}"}, "sk": {"S": f"approval#{seq:06d}"}}
        attributes = key | {
            "verdict": {"S": verdict},
            "by": {"S": by},
            "at": {"S": at.isoformat()},
        }
        if reason:
            attributes["reason"] = {"S": reason}
        try:
            self._ddb.put_item(
                TableName=self._table,
                Item=attributes,
                ConditionExpression="attribute_not_exists(pk)",
            )
            return None
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        stored = self._ddb.get_item(TableName=self._table, Key=key, ConsistentRead=True).get(
            "Item", {}
        )
        return str(stored.get("verdict", {}).get("S", ""))
