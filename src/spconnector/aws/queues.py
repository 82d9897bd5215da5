"""SQS publishers. Every message carries its tenant as a message attribute; FIFO queues
(url ending in .fifo) group by tenant. A batch entry that fails is retried, and if it still
fails the caller gets QueueSendError naming it — never a silent drop."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spconnector.aws import clients
from spconnector.aws.errors import QueueSendError
from spconnector.aws.items import checked_tenant
from spconnector.messages import CaseEvent

CASE_EVENTS_QUEUE_ENV = "SPCONNECTOR_CASE_EVENTS_QUEUE"
ACTIONS_QUEUE_ENV = "SPCONNECTOR_ACTIONS_QUEUE"
BATCH_SIZE = 10  # SQS SendMessageBatch limit
RETRY_ATTEMPTS = 3
TENANT_ATTRIBUTE = "tenant"


@dataclass(frozen=True)
class OutboundMessage:
    body: str
    tenant: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    dedup_id: str | None = None


def _body_text(body: str | Mapping[str, Any]) -> str:
    return body if isinstance(body, str) else json.dumps(body, sort_keys=True, default=str)


class Queue:
    def __init__(self, url: str, *, client: Any | None = None, retry_delay: float = 0.2) -> None:
        if not url:
            raise ValueError("queue url is empty")
        self.url = url
        self._client = client
        self._retry_delay = retry_delay

    @property
    def is_fifo(self) -> bool:
        return self.url.endswith(".fifo")

    @property
    def _sqs(self) -> Any:
        if self._client is None:
            self._client = clients.client("sqs")
        return self._client

    def send(
        self,
        tenant: str,
        body: str | Mapping[str, Any],
        *,
        attributes: Mapping[str, str] | None = None,
        dedup_id: str | None = None,
    ) -> str:
        message = OutboundMessage(_body_text(body), tenant, attributes or {}, dedup_id)
        response = self._sqs.send_message(QueueUrl=self.url, **self._entry(message))
        message_id: str = response["MessageId"]
        return message_id

    def send_batch(self, messages: Sequence[OutboundMessage]) -> list[str]:
        """Send all, ten at a time; returns SQS message ids in input order."""
        ids: list[str] = [""] * len(messages)
        for start in range(0, len(messages), BATCH_SIZE):
            self._send_chunk(messages, range(start, min(start + BATCH_SIZE, len(messages))), ids)
        return ids

    # -- internals -----------------------------------------------------------------------
    def _send_chunk(
        self, messages: Sequence[OutboundMessage], indexes: range, ids: list[str]
    ) -> None:
        pending = list(indexes)
        failures: list[tuple[str, str]] = []
        for attempt in range(RETRY_ATTEMPTS):
            entries = [{"Id": str(i), **self._entry(messages[i])} for i in pending]
            response = self._sqs.send_message_batch(QueueUrl=self.url, Entries=entries)
            for ok in response.get("Successful", []):
                ids[int(ok["Id"])] = ok["MessageId"]
            failed = response.get("Failed", [])
            # A sender fault (bad entry) will fail the same way again: report it now.
            fatal = [f for f in failed if f.get("SenderFault")]
            if fatal:
                raise QueueSendError(
                    f"{len(fatal)} message(s) rejected by SQS",
                    failed=[(f["Id"], f.get("Code", "?")) for f in fatal],
                    sent=[x for x in ids if x],
                )
            pending = [int(f["Id"]) for f in failed]
            failures = [(f["Id"], f.get("Code", "?")) for f in failed]
            if not pending:
                return
            time.sleep(self._retry_delay * (2**attempt))
        raise QueueSendError(
            f"{len(pending)} message(s) not sent after {RETRY_ATTEMPTS} attempts",
            failed=failures,
            sent=[x for x in ids if x],
        )

    def _entry(self, message: OutboundMessage) -> dict[str, Any]:
        attributes = {
            name: {"DataType": "String", "StringValue": text}
            for name, text in message.attributes.items()
        }
        attributes[TENANT_ATTRIBUTE] = {
            "DataType": "String",
            "StringValue": checked_tenant(message.tenant),
        }
        entry: dict[str, Any] = {"MessageBody": message.body, "MessageAttributes": attributes}
        if self.is_fifo:
            entry["MessageGroupId"] = message.tenant
            entry["MessageDeduplicationId"] = (
                message.dedup_id or hashlib.sha256(message.body.encode()).hexdigest()
            )
        return entry


class CaseEventQueue(Queue):
    """case-events: "something new happened to this case, decide again"."""

    @classmethod
    def from_env(cls, *, client: Any | None = None) -> CaseEventQueue:
        return cls(os.environ.get(CASE_EVENTS_QUEUE_ENV, ""), client=client)

    def publish(self, tenant: str, case_id: str, event: str, **extra: Any) -> str:
        """The raw form: any event name and fields (the adapter's own tests use it)."""
        body = {"tenant": tenant, "case_id": case_id, "event": event, **extra}
        return self.send(tenant, body, attributes={"event": event})

    def publish_event(self, event: CaseEvent) -> str:
        """What jobs send: a typed case event, the body ProcessCase parses."""
        return self.send(event.tenant, event.to_body(), attributes=event.attributes())
