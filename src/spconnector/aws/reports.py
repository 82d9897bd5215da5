"""Pending report requests in DynamoDB: one item per (tenant, report type)."""

from __future__ import annotations

import json
from typing import Any


class DynamoPendingReports:
    def __init__(self, client: Any, table: str) -> None:
        self._ddb = client
        self._table = table

    def _key(self, tenant: str, report_type: str) -> dict[str, dict[str, str]]:
        return {"pk": {"S": f"{tenant}#reports#pending"}, "sk": {"S": report_type}}

    def get(self, tenant: str, report_type: str) -> dict[str, str] | None:
        item = self._ddb.get_item(
            TableName=self._table, Key=self._key(tenant, report_type), ConsistentRead=True
        ).get("Item")
        return dict(json.loads(item["data"]["S"])) if item else None

    def put(self, tenant: str, report_type: str, data: dict[str, str]) -> None:
        self._ddb.put_item(
            TableName=self._table,
            Item=self._key(tenant, report_type) | {"data": {"S": json.dumps(data)}},
        )

    def clear(self, tenant: str, report_type: str) -> None:
        self._ddb.delete_item(TableName=self._table, Key=self._key(tenant, report_type))
