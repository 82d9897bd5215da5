"""The bodies of the messages the Lambdas pass each other over SQS, as types.

A producer builds the model and sends `to_body()`; a consumer's handler parses the record
with Powertools' batch `model=` (lambdas/_sqs_batch.py `sqs_handler(job, model=...)`), so a
body that is not one of these is that record's batch item failure with the validation reason —
never a crash of the whole batch, and never half-read by `int(body["decision"])`.

Wire format: `to_body()` is the JSON the queues carried before these types existed (keys
sorted, `json.dumps` separators, absent optional fields left out), so messages in flight
during a deploy, the sample events in events/ and the idempotency key of Act
(`[tenant, case_id, decision]`) are unchanged.
"""

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Self

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PositiveInt


class QueueMessage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @classmethod
    def of(cls, body: Self | Mapping[str, Any]) -> Self:
        """The message itself, or a plain mapping (CLI, tests, the local runner) checked."""
        return body if isinstance(body, cls) else cls.model_validate(body)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)

    def to_body(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)


class CaseEventKind(StrEnum):
    """What happened to a case, so that ProcessCase decides again."""

    MESSAGE = "message"  # a buyer message was recorded (IngestEmail, PollMailbox)
    RETURN = "return"  # a return request was recorded (PollReturns)
    ORDER_CHANGE = "order_change"  # Amazon notified a change to the order
    REDRIVE = "redrive"  # SlaWatch found the case waiting too long for a decision


class CaseEvent(QueueMessage):
    """case-events queue: ingest, notifications and SlaWatch → ProcessCase."""

    tenant: str = Field(min_length=1)
    case_id: str = Field(min_length=1)
    # Absent in direct calls (CLI, tests); ProcessCase decides from the case, not the kind.
    event: CaseEventKind | None = None
    message_id: str | None = None  # the buyer message's Message-ID, for MESSAGE
    return_key: str | None = None  # the return's dedup key, for RETURN

    def attributes(self) -> dict[str, str]:
        """The SQS message attributes the queue adapters send it with."""
        return {"event": self.event.value} if self.event else {}


class ActionMessage(QueueMessage):
    """actions queue: ProcessCase → Act. One action is one (tenant, case, decision), which
    is also Act's idempotency key."""

    tenant: str = Field(min_length=1)
    case_id: str = Field(min_length=1)
    decision: PositiveInt  # 1-based position in the case's decision log
    approved_by: str | None = None  # set when a person approved it (never from the queue today)


class WorkItem(QueueMessage):
    """tenant-work FIFO queue: Scheduler fan-out and Notifications → TenantWorker; the
    mailbox-poll FIFO queue: Scheduler fan-out → PollMailbox (jobs.fanout.MAILBOX_JOBS)."""

    job: str = Field(min_length=1)
    tenant: str = Field(min_length=1)
    # The scheduler tick that asked for it (ISO 8601, as sent): for the log and the dedup
    # id, not read by the job, which runs at the worker's own `now`.
    tick: str | None = None


class SpApiNotification(BaseModel):
    """notifications queue: what Amazon's SP-API notifications deliver (the envelope only).

    The envelope is camelCase for most types and PascalCase for ORDER_CHANGE
    (OrderChangeNotification.json in the API models); both spellings are read. Fields
    beyond the envelope are kept, and the payload stays a mapping read by the job, so a
    type this version does not know is answered "ignored", not failed.
    """

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True, defer_build=True)

    notification_type: str = Field(
        "", validation_alias=AliasChoices("notificationType", "NotificationType")
    )
    payload: dict[str, Any] = Field(
        default_factory=dict, validation_alias=AliasChoices("payload", "Payload")
    )

    @classmethod
    def of(cls, body: "SpApiNotification | Mapping[str, Any]") -> "SpApiNotification":
        return body if isinstance(body, cls) else cls.model_validate(body)
