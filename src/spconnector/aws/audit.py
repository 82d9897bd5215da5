"""DynamoDB adapter of the console's audit log (spconnector.console.audit.AuditLog).

Layout: pk "<tenant>#audit", sk "<at ISO>#<entry id>": one partition per tenant, in time
order. Each entry is written once (conditional put); nothing updates or deletes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from spconnector.aws import clients
from spconnector.aws.items import checked_tenant
from spconnector.domain.audit import AuditEntry


class DynamoAuditLog:
    def __init__(self, *, table: str, client: Any | None = None) -> None:
        self._table = table
        self._client = client

    @property
    def _ddb(self) -> Any:
        if self._client is None:
            self._client = clients.client("dynamodb")
        return self._client

    @staticmethod
    def _pk(tenant: str) -> str:
        checked_tenant(tenant)
        return f"{tenant}#audit"

    def record(self, entry: AuditEntry) -> None:
        self._ddb.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": self._pk(entry.tenant)},
                "sk": {"S": f"{entry.at.isoformat()}#{entry.entry_id}"},
                "data": {"S": entry.model_dump_json()},
                **({"case_id": {"S": entry.case_id}} if entry.case_id else {}),
            },
            ConditionExpression="attribute_not_exists(pk)",
        )

    def for_tenant(self, tenant: str, *, actions: Iterable[str] = ()) -> list[AuditEntry]:
        wanted = frozenset(actions)
        pages = self._ddb.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": self._pk(tenant)}},
        )
        entries = [
            AuditEntry.model_validate(json.loads(item["data"]["S"]))
            for page in pages
            for item in page.get("Items", [])
        ]
        return [e for e in entries if not wanted or e.action in wanted]

    def for_case(self, tenant: str, case_id: str) -> list[AuditEntry]:
        pages = self._ddb.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            FilterExpression="case_id = :c",
            ExpressionAttributeValues={":pk": {"S": self._pk(tenant)}, ":c": {"S": case_id}},
        )
        return [
            AuditEntry.model_validate(json.loads(item["data"]["S"]))
            for page in pages
            for item in page.get("Items", [])
        ]
