"""Numbered versions of a tenant's document in the single table (policies, knowledge bases).

  pk "<tenant>#<kind>"   sk "v#<seq:06d>"   tenant, seq, version, pushed_at, <body attribute>
Every push is kept, the newest (highest seq) is current, and pushing the current version
again writes nothing. Each number is taken with a conditional write, so two pushes at the same
moment get two numbers, never one overwriting the other. The body attribute holds the text
itself (policies: "text") or where it is (knowledge bases: "s3_key"); the item shape is what
deployed tables hold, so it must not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spconnector.aws.errors import ConcurrentUpdate
from spconnector.aws.items import checked_tenant, from_item, is_conditional_failure, to_item
from spconnector.aws.items import value as av
from spconnector.aws.table import PK, SK

ATTEMPTS = 20


@dataclass(frozen=True, slots=True)
class StoredVersion:
    seq: int
    version: str
    pushed_at: datetime
    body: str  # the value of the body attribute


class VersionedDocs:
    def __init__(
        self, ddb: Callable[[], Any], table: str, *, kind: str, body_attribute: str, what: str
    ) -> None:
        self._ddb = ddb  # called per use: the owner's client may be made lazily
        self._table = table
        self._kind = kind
        self._body = body_attribute
        self._what = what  # names the document in errors ("policy", "knowledge-base")

    def push(self, tenant_id: str, version: str, body: str, pushed_at: datetime) -> StoredVersion:
        """Keep `version` as the next number and make it current; the current version when
        it already is `version` (nothing written)."""
        for _ in range(ATTEMPTS):
            latest = self.current(tenant_id)
            if latest is not None and latest.version == version:
                return latest
            record = StoredVersion((latest.seq + 1) if latest else 1, version, pushed_at, body)
            try:
                self._ddb().put_item(
                    TableName=self._table,
                    Item=to_item(
                        {
                            PK: self._pk(tenant_id),
                            SK: f"v#{record.seq:06d}",
                            "tenant": tenant_id,
                            "seq": record.seq,
                            "version": record.version,
                            "pushed_at": record.pushed_at.isoformat(),
                            self._body: record.body,
                        }
                    ),
                    ConditionExpression="attribute_not_exists(#sk)",
                    ExpressionAttributeNames={"#sk": SK},
                )
            except Exception as exc:
                if is_conditional_failure(exc):
                    continue  # someone pushed at the same moment: take the next number
                raise
            return record
        raise ConcurrentUpdate(f"{self._what} push for {tenant_id} still contended")

    def current(self, tenant_id: str) -> StoredVersion | None:
        found = self._versions(tenant_id, newest_first=True, limit=1)
        return found[0] if found else None

    def history(self, tenant_id: str) -> list[StoredVersion]:
        """Every pushed version, oldest first."""
        return self._versions(tenant_id, newest_first=False, limit=None)

    def _pk(self, tenant_id: str) -> str:
        return f"{checked_tenant(tenant_id)}#{self._kind}"

    def _versions(
        self, tenant_id: str, *, newest_first: bool, limit: int | None
    ) -> list[StoredVersion]:
        found: list[StoredVersion] = []
        start: dict[str, Any] | None = None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :v)",
                "ExpressionAttributeNames": {"#pk": PK, "#sk": SK},
                "ExpressionAttributeValues": {":pk": av(self._pk(tenant_id)), ":v": av("v#")},
                "ConsistentRead": True,
                "ScanIndexForward": not newest_first,
            }
            if limit is not None:
                kwargs["Limit"] = limit
            if start:
                kwargs["ExclusiveStartKey"] = start
            response = self._ddb().query(**kwargs)
            for raw in response["Items"]:
                item = from_item(raw)
                found.append(
                    StoredVersion(
                        seq=int(item["seq"]),
                        version=item["version"],
                        pushed_at=datetime.fromisoformat(item["pushed_at"]),
                        body=item[self._body],
                    )
                )
            start = response.get("LastEvaluatedKey")
            if not start or (limit is not None and len(found) >= limit):
                return found
