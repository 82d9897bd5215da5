"""The SQS handlers' batch setup: each record's body parsed as its message model, the ones
that fail reported alone (SQS retries them, then the DLQ), with their reason logged.

Each SQS handler imports Powertools' batch utility first, before anything imports pydantic:
the batch module builds the Kafka, Kinesis and DynamoDB-stream parser models (~40 ms of cold
start, none of which we use) when pydantic is already imported, and skips them when it is not
(tests/unit/test_cold_imports.py checks that they are not built). Handlers not fed by SQS do
not import this module, nor the batch utility at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import BaseModel, ConfigDict, Field, Json, create_model

from spconnector.jobs.services import Services
from spconnector.observability import describe_error

from _shared import logger, metrics, services


def _fields(raw: str) -> dict[str, Any]:
    """tenant/case_id of a record body for the failure log; {} when it is not JSON at all."""
    try:
        parsed = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


class QueueRecord(SqsRecordModel):
    """An SQS record whose body is validated; the rest is the event source's to define, so
    it is read leniently (a local or test event may carry fewer delivery attributes)."""

    model_config = ConfigDict(extra="allow")
    attributes: dict[str, Any] = Field(default_factory=dict)  # type: ignore[assignment]
    messageAttributes: dict[str, Any] = Field(default_factory=dict)


def record_model(body: type[BaseModel]) -> type[QueueRecord]:
    """The record type whose `body` is the JSON text of one `body` message."""
    body_type: Any = Json[body]  # type: ignore[misc,valid-type]  # a runtime-built type
    return create_model(f"{body.__name__}Record", __base__=QueueRecord, body=(body_type, ...))


def _describe_record(record: Any) -> dict[str, Any]:
    """What the failure log says about a record: ids, never the body (PII)."""
    if isinstance(record, QueueRecord):  # parsed; the job (or something after it) failed
        body = record.body
        return {
            "message_id": record.messageId,
            "receive_count": record.attributes.get("ApproximateReceiveCount"),
            "tenant": getattr(body, "tenant", None),
            "case_id": getattr(body, "case_id", None),
        }
    fields = _fields(getattr(record, "body", ""))  # a body that did not parse
    return {
        "message_id": getattr(record, "message_id", None),
        "receive_count": getattr(record, "attributes", {}).get("ApproximateReceiveCount"),
        "tenant": fields.get("tenant"),
        "case_id": fields.get("case_id"),
    }


class ReasonLoggingBatchProcessor(BatchProcessor):
    """Powertools' SQS batch processor, logging each failed record's reason.

    The processor swallows the exception (a body that fails its model never reaches the
    job at all): this line is the only trace of why a record retries and, in the end, sits
    in the DLQ."""

    def failure_handler(self, record: Any, exception: Any) -> Any:
        logger.error(
            "record failed",
            extra={**_describe_record(record), "reason": describe_error(exception[1])},
        )
        return super().failure_handler(record, exception)


SqsHandler = Callable[[dict[str, Any], Any], PartialItemFailureResponse]


def sqs_handler[M: BaseModel](
    job: Callable[[Services, M], object], *, model: type[M]
) -> SqsHandler:
    """A Lambda handler for an SQS batch: each record's body, parsed as `model`, goes to `job`.

    A record whose body is not a `model`, or whose job raises, is reported as a batch item
    failure, so SQS retries it alone and, after the queue's receive count, moves it to the
    DLQ; the rest of the batch goes on. Even a batch whose every record failed is reported
    that way rather than by failing the invocation (with BatchSize 1 every failure would
    otherwise be "the whole batch").
    """
    processor = ReasonLoggingBatchProcessor(
        event_type=EventType.SQS, model=record_model(model), raise_on_entire_batch_failure=False
    )

    def record_handler(record: QueueRecord) -> None:
        job(services(), record.body)  # type: ignore[arg-type]  # Json[model] parsed it

    @logger.inject_lambda_context
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
        services().bind_lambda_context(context)
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    handler.processor = processor  # type: ignore[attr-defined]  # read by `local invoke`
    return handler
