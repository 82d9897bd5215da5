"""What every handler shares: one Logger, one Metrics, the services built once per container."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from spconnector.jobs.services import Services
from spconnector.log_redaction import harden_logging
from spconnector.observability import ROOT_LOGGER, describe_error

# log_uncaught_exceptions: a crash is logged with its type, never with the event (PII).
logger = Logger(log_uncaught_exceptions=True)
metrics = Metrics()

# Library code logs through stdlib loggers under "spconnector"; give their parent the same
# JSON formatter, so every line (with its tenant, see spconnector.observability) is structured.
logging.getLogger(ROOT_LOGGER).setLevel(logger.log_level)
copy_config_to_registered_loggers(source_logger=logger, include={ROOT_LOGGER})
# SDK loggers clamped to WARNING and every record redacted (secrets, relay addresses), even
# with the root logger at DEBUG: see spconnector.log_redaction.
harden_logging(logging.getLogger(logger.name), logging.getLogger(ROOT_LOGGER))


@cache
def services() -> Services:
    """Built on first use and reused while the container is warm."""
    return Services.from_env()


def _fields(raw: str) -> dict[str, Any]:
    """tenant/case_id of a record body for the failure log; {} when it is not JSON at all."""
    try:
        parsed = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


SqsHandler = Callable[[dict[str, Any], Any], PartialItemFailureResponse]


def sqs_handler(job: Callable[[Services, Mapping[str, Any]], object]) -> SqsHandler:
    """A Lambda handler for an SQS batch: each record's JSON body goes to `job`.

    A record that raises is reported as a batch item failure, so SQS retries it alone and,
    after the queue's receive count, moves it to the DLQ; the rest of the batch goes on.
    Even a batch whose every record failed is reported that way rather than by failing the
    invocation (with BatchSize 1 every failure would otherwise be "the whole batch").
    """
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def record_handler(record: SQSRecord) -> None:
        try:
            job(services(), record.json_body)
        except Exception as exc:
            # The batch processor swallows the exception: this line is the only trace of the
            # reason a record retries and, in the end, sits in the DLQ. Never the body (PII).
            body = _fields(record.body)
            logger.error(
                "record failed",
                extra={
                    "message_id": record.message_id,
                    "receive_count": record.attributes.approximate_receive_count,
                    "tenant": body.get("tenant"),
                    "case_id": body.get("case_id"),
                    "reason": describe_error(exc),
                },
            )
            raise

    @logger.inject_lambda_context
    @metrics.log_metrics
    def handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
        services().bind_lambda_context(context)
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )

    handler.processor = processor  # type: ignore[attr-defined]  # read by `local invoke`
    return handler
