"""Where a tenant's knowledge base lives: the YAML text in S3, its versions in the table.

  s3   tenants/<tenant>/kb/<version>.yaml      the text, content-addressed (immutable)
  ddb  pk "<tenant>#kb"  sk "v#<seq:06d>"      each push: seq, version, pushed_at, s3 key
Versioned like policies: every push is kept, the newest is current, pushing the current
version again changes nothing. Only a valid knowledge base is stored. A KB is seller content,
not buyer PII: its objects are not tagged for the 30-day expiry.
"""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import Any

from spconnector.aws import clients
from spconnector.aws.blobs import SSE, bucket_name
from spconnector.aws.errors import ConcurrentUpdate
from spconnector.aws.items import checked_tenant, from_item, is_conditional_failure, to_item
from spconnector.aws.items import value as av
from spconnector.aws.table import PK, SK, table_name
from spconnector.kb.loader import kb_version, load_kb
from spconnector.kb.store import KbVersion


class S3KbStore:
    def __init__(
        self,
        *,
        table: str | None = None,
        bucket: str | None = None,
        ddb: Any | None = None,
        s3: Any | None = None,
    ) -> None:
        self._table = table or table_name()
        self._bucket = bucket or bucket_name()
        self._ddb_client = ddb
        self._s3_client = s3

    @property
    def _ddb(self) -> Any:
        if self._ddb_client is None:
            self._ddb_client = clients.client("dynamodb")
        return self._ddb_client

    @property
    def _s3(self) -> Any:
        if self._s3_client is None:
            self._s3_client = clients.client("s3")
        return self._s3_client

    def push(self, tenant_id: str, text: str, *, now: datetime | None = None) -> KbVersion:
        """Validate (raises KbError), store the text, make it current."""
        version = kb_version(load_kb(text))
        key = f"tenants/{checked_tenant(tenant_id)}/kb/{version.removeprefix('sha256:')}.yaml"
        latest = self.current(tenant_id)
        if latest is not None and latest.version == version:
            return latest
        # the text first: a pointer never names an object that is not there
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=text.encode("utf-8"),
            ContentType="application/yaml",
            ServerSideEncryption=SSE,
        )
        pushed_at = now or datetime.now(UTC)
        for _ in range(20):
            seq = (latest.seq + 1) if latest else 1
            record = KbVersion(seq=seq, version=version, pushed_at=pushed_at, key=key)
            try:
                self._ddb.put_item(
                    TableName=self._table,
                    Item=to_item(
                        {
                            PK: self._pk(tenant_id),
                            SK: f"v#{seq:06d}",
                            "tenant": tenant_id,
                            "seq": seq,
                            "version": version,
                            "pushed_at": pushed_at.isoformat(),
                            "s3_key": key,
                        }
                    ),
                    ConditionExpression="attribute_not_exists(#sk)",
                    ExpressionAttributeNames={"#sk": SK},
                )
            except Exception as exc:
                if is_conditional_failure(exc):
                    latest = self.current(tenant_id)  # pushed meanwhile: take the next number
                    if latest is not None and latest.version == version:
                        return latest
                    continue
                raise
            return record
        raise ConcurrentUpdate(f"knowledge-base push for {tenant_id} still contended")

    def current(self, tenant_id: str) -> KbVersion | None:
        found = self._versions(tenant_id, newest_first=True, limit=1)
        return found[0] if found else None

    def history(self, tenant_id: str) -> builtins.list[KbVersion]:
        return self._versions(tenant_id, newest_first=False, limit=None)

    def text(self, version: KbVersion) -> str:
        body = self._s3.get_object(Bucket=self._bucket, Key=version.key)["Body"].read()
        return str(body.decode("utf-8"))

    @staticmethod
    def _pk(tenant_id: str) -> str:
        return f"{checked_tenant(tenant_id)}#kb"

    def _versions(
        self, tenant_id: str, *, newest_first: bool, limit: int | None
    ) -> builtins.list[KbVersion]:
        found: builtins.list[KbVersion] = []
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
            response = self._ddb.query(**kwargs)
            for raw in response["Items"]:
                item = from_item(raw)
                found.append(
                    KbVersion(
                        seq=int(item["seq"]),
                        version=item["version"],
                        pushed_at=datetime.fromisoformat(item["pushed_at"]),
                        key=item["s3_key"],
                    )
                )
            start = response.get("LastEvaluatedKey")
            if not start or (limit is not None and len(found) >= limit):
                return found
