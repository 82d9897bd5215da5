"""RawMailStore: raw mail, attachments and quarantined inputs in S3.

Keys never contain buyer names or addresses: a mail is named by a hash of its Message-ID.
  tenants/<tenant>/mail/<yyyy>/<mm>/<dd>/<hash>.eml
  tenants/<tenant>/mail/<yyyy>/<mm>/<dd>/<hash>/att-<n><ext>
  tenants/<tenant>/quarantine/<yyyy>/<mm>/<dd>/<sha256 of content>.bin  (reason as metadata)
Every object is tagged `pii=true`: the bucket's lifecycle rule (template.yaml) filters on
that tag (prefixes differ per tenant) and expires the objects within 30 days.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from datetime import UTC, datetime
from typing import Any

from spconnector.aws import clients
from spconnector.aws.errors import TenantMismatch
from spconnector.aws.items import checked_tenant

BUCKET_ENV = "SPCONNECTOR_BUCKET"
DEFAULT_BUCKET = "spconnector-data"
SSE = "AES256"  # SSE-S3, the same as the data bucket's default encryption (template.yaml)
_MAX_METADATA = 1024  # S3 allows 2 KB of user metadata in total
PII_TAG = "pii=true"  # lifecycle-rule filter: expire within 30 days


def bucket_name() -> str:
    return os.environ.get(BUCKET_ENV, DEFAULT_BUCKET)


def tenant_prefix(tenant: str) -> str:
    return f"tenants/{checked_tenant(tenant)}/"


def _day(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("timestamp needs a timezone")
    return moment.astimezone(UTC).strftime("%Y/%m/%d")


def _digest(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:32]


def ascii_metadata(text: str) -> str:
    """S3 metadata must be ASCII; keep it short and printable."""
    cleaned = text.encode("ascii", "replace").decode("ascii")
    cleaned = re.sub(r"[\x00-\x1f\x7f]", " ", cleaned)
    return cleaned[:_MAX_METADATA]


class RawMailStore:
    def __init__(self, bucket: str | None = None, *, client: Any | None = None) -> None:
        self.bucket = bucket or bucket_name()
        self._client = client

    @property
    def _s3(self) -> Any:
        if self._client is None:
            self._client = clients.client("s3")
        return self._client

    @staticmethod
    def mail_key(tenant: str, message_id: str | None, received_at: datetime, raw: bytes) -> str:
        """Named by the Message-ID (so a redelivery lands on the same key), or by the content
        when the mail has none."""
        name = _digest(message_id) if message_id else _digest(raw)
        return f"{tenant_prefix(tenant)}mail/{_day(received_at)}/{name}.eml"

    @staticmethod
    def attachment_key(
        tenant: str, message_id: str, index: int, content_type: str, received_at: datetime
    ) -> str:
        # The buyer's filename may carry their name: the key uses the index and a type suffix.
        ext = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ".bin"
        base = RawMailStore.mail_key(tenant, message_id, received_at, b"")[: -len(".eml")]
        return f"{base}/att-{index}{ext}"

    @staticmethod
    def quarantine_key(tenant: str, raw: bytes, received_at: datetime) -> str:
        return f"{tenant_prefix(tenant)}quarantine/{_day(received_at)}/{_digest(raw)}.bin"

    def put_mail(
        self, tenant: str, raw: bytes, *, message_id: str | None, received_at: datetime
    ) -> str:
        key = self.mail_key(tenant, message_id, received_at, raw)
        self._put(key, raw, "message/rfc822", {"tenant": tenant})
        return key

    def put_attachment(
        self,
        tenant: str,
        *,
        message_id: str,
        index: int,
        data: bytes,
        content_type: str,
        received_at: datetime,
    ) -> str:
        key = self.attachment_key(tenant, message_id, index, content_type, received_at)
        self._put(key, data, content_type, {"tenant": tenant})
        return key

    def quarantine(
        self, tenant: str, raw: bytes, *, reason: str, source: str, received_at: datetime
    ) -> str:
        """Keep input we could not process, with the reason beside it (never PII in the
        reason: it is metadata visible to operators)."""
        key = self.quarantine_key(tenant, raw, received_at)
        self._put(
            key,
            raw,
            "application/octet-stream",
            {
                "tenant": tenant,
                "reason": ascii_metadata(reason),
                "source": ascii_metadata(source),
                "received-at": received_at.astimezone(UTC).isoformat(),
            },
        )
        return key

    def quarantine_reason(self, tenant: str, key: str) -> str | None:
        head = self._s3.head_object(Bucket=self.bucket, Key=self._own_key(tenant, key))
        reason: str | None = head.get("Metadata", {}).get("reason")
        return reason

    def get(self, tenant: str, key: str) -> bytes:
        response = self._s3.get_object(Bucket=self.bucket, Key=self._own_key(tenant, key))
        data: bytes = response["Body"].read()
        return data

    def read_inbound(self, bucket: str, key: str) -> bytes:
        """The raw mail SES inbound stored (the S3 event names bucket and key)."""
        response = self._s3.get_object(Bucket=bucket, Key=key)
        data: bytes = response["Body"].read()
        return data

    # -- internals -----------------------------------------------------------------------
    @staticmethod
    def _own_key(tenant: str, key: str) -> str:
        if not key.startswith(tenant_prefix(tenant)) or ".." in key:
            raise TenantMismatch("object key belongs to another tenant")
        return key

    def _put(self, key: str, body: bytes, content_type: str, metadata: dict[str, str]) -> None:
        self._s3.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ServerSideEncryption=SSE,
            Metadata=metadata,
            Tagging=PII_TAG,
        )
