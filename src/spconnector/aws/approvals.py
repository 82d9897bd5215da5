"""Approval verdicts in DynamoDB: one item per (case, decision seq), written conditionally."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError


class DynamoApprovalRecords:
    def __init__(self, client: Any, table: str) -> None:
        self._ddb = client
        self._table = table

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
