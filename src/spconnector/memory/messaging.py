"""In-memory queues, escalation topic, mailer and raw-mail bucket. Each keeps what it was
given, in order, so a test reads what a job sent the way it would read SQS, SNS, SES or S3."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any

from spconnector.aws.blobs import RawMailStore, ascii_metadata, tenant_prefix
from spconnector.aws.errors import TenantMismatch
from spconnector.aws.escalations import EscalationSummary
from spconnector.aws.items import checked_tenant
from spconnector.aws.mail import OutgoingMail
from spconnector.aws.queues import OutboundMessage
from spconnector.messages import CaseEvent

_ids = count(1)


def _next_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids):08d}"


@dataclass(frozen=True)
class QueuedMessage:
    message_id: str
    tenant: str
    body: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    dedup_id: str | None = None

    def json(self) -> Any:
        return json.loads(self.body)


class MemoryQueue:
    def __init__(self, name: str = "queue") -> None:
        self.name = name
        self._lock = threading.Lock()
        self._messages: list[QueuedMessage] = []

    def send(
        self,
        tenant: str,
        body: str | Mapping[str, Any],
        *,
        attributes: Mapping[str, str] | None = None,
        dedup_id: str | None = None,
    ) -> str:
        text = body if isinstance(body, str) else json.dumps(body, sort_keys=True, default=str)
        message = QueuedMessage(
            _next_id(self.name), checked_tenant(tenant), text, dict(attributes or {}), dedup_id
        )
        with self._lock:
            self._messages.append(message)
        return message.message_id

    def send_batch(self, messages: Sequence[OutboundMessage]) -> list[str]:
        return [
            self.send(m.tenant, m.body, attributes=m.attributes, dedup_id=m.dedup_id)
            for m in messages
        ]

    def drain(self) -> list[QueuedMessage]:
        """Everything sent since the last drain, oldest first (a consumer's receive)."""
        with self._lock:
            taken, self._messages = self._messages, []
        return taken


class MemoryCaseEventQueue(MemoryQueue):
    def publish(self, tenant: str, case_id: str, event: str, **extra: Any) -> str:
        body = {"tenant": tenant, "case_id": case_id, "event": event, **extra}
        return self.send(tenant, body, attributes={"event": event})

    def publish_event(self, event: CaseEvent) -> str:
        return self.send(event.tenant, event.to_body(), attributes=event.attributes())


class MemoryEscalations:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.published: list[EscalationSummary] = []

    def publish(self, summary: EscalationSummary) -> str:
        with self._lock:
            self.published.append(summary)
        return _next_id("escalation")


class MemoryMailer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.sent: list[OutgoingMail] = []

    def send(self, mail: OutgoingMail) -> str:
        with self._lock:
            self.sent.append(mail)
        return _next_id("mail")


class MemoryRawMail:
    """Keys as the S3 store names them (same Message-ID → same key); tenant-checked reads."""

    def __init__(self, bucket: str = "memory") -> None:
        self.bucket = bucket
        self._lock = threading.Lock()
        self._objects: dict[tuple[str, str], tuple[bytes, dict[str, str]]] = {}

    def _put(self, key: str, data: bytes, metadata: dict[str, str]) -> str:
        with self._lock:
            self._objects[(self.bucket, key)] = (data, metadata)
        return key

    def put_inbound(self, bucket: str, key: str, raw: bytes) -> None:
        """What SES inbound does before the Lambda runs: the raw mail lands in a bucket."""
        with self._lock:
            self._objects[(bucket, key)] = (raw, {})

    def put_mail(
        self, tenant: str, raw: bytes, *, message_id: str | None, received_at: datetime
    ) -> str:
        key = RawMailStore.mail_key(tenant, message_id, received_at, raw)
        return self._put(key, raw, {"tenant": tenant})

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
        key = RawMailStore.attachment_key(tenant, message_id, index, content_type, received_at)
        return self._put(key, data, {"tenant": tenant})

    def quarantine(
        self, tenant: str, raw: bytes, *, reason: str, source: str, received_at: datetime
    ) -> str:
        key = RawMailStore.quarantine_key(tenant, raw, received_at)
        metadata = {
            "tenant": tenant,
            "reason": ascii_metadata(reason),
            "source": ascii_metadata(source),
            "received-at": received_at.astimezone(UTC).isoformat(),
        }
        return self._put(key, raw, metadata)

    def quarantined(self, tenant: str) -> dict[str, str]:
        """Each quarantined key of the tenant and its reason."""
        prefix = tenant_prefix(tenant)
        with self._lock:
            return {
                k: meta["reason"]
                for (b, k), (_, meta) in self._objects.items()
                if b == self.bucket and k.startswith(f"{prefix}quarantine/")
            }

    def _own(self, tenant: str, key: str) -> tuple[bytes, dict[str, str]]:
        if not key.startswith(tenant_prefix(tenant)) or ".." in key:
            raise TenantMismatch("object key belongs to another tenant")
        with self._lock:
            try:
                return self._objects[(self.bucket, key)]
            except KeyError:
                raise LookupError(f"no object {key}") from None

    def quarantine_reason(self, tenant: str, key: str) -> str | None:
        return self._own(tenant, key)[1].get("reason")

    def get(self, tenant: str, key: str) -> bytes:
        return self._own(tenant, key)[0]

    def read_inbound(self, bucket: str, key: str) -> bytes:
        with self._lock:
            try:
                return self._objects[(bucket, key)][0]
            except KeyError:
                raise LookupError(f"no object {bucket}/{key}") from None
