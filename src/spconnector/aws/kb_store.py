"""Where a tenant's knowledge base lives: the YAML text in S3, its versions in the table.

  s3   tenants/<tenant>/kb/<version>.yaml      the text, content-addressed (immutable)
  ddb  pk "<tenant>#kb"  sk "v#<seq:06d>"      each push: seq, version, pushed_at, s3_key
                                              (spconnector.aws.versioned_docs)
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
from spconnector.aws.items import checked_tenant
from spconnector.aws.table import table_name
from spconnector.aws.versioned_docs import StoredVersion, VersionedDocs
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
        self._versions = VersionedDocs(
            lambda: self._ddb,
            self._table,
            kind="kb",
            body_attribute="s3_key",
            what="knowledge-base",
        )

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
        return _kb_version(self._versions.push(tenant_id, version, key, now or datetime.now(UTC)))

    def current(self, tenant_id: str) -> KbVersion | None:
        found = self._versions.current(tenant_id)
        return None if found is None else _kb_version(found)

    def history(self, tenant_id: str) -> builtins.list[KbVersion]:
        return [_kb_version(v) for v in self._versions.history(tenant_id)]

    def text(self, version: KbVersion) -> str:
        body = self._s3.get_object(Bucket=self._bucket, Key=version.key)["Body"].read()
        return str(body.decode("utf-8"))


def _kb_version(stored: StoredVersion) -> KbVersion:
    return KbVersion(
        seq=stored.seq, version=stored.version, pushed_at=stored.pushed_at, key=stored.body
    )
