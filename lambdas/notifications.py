"""Notifications: SP-API notifications from SQS (REPORT_/FEED_PROCESSING_FINISHED, ORDER_CHANGE)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from spconnector.jobs.notifications import handle_notification

from _shared import logger, metrics, services

processor = BatchProcessor(event_type=EventType.SQS)


def _record(record: SQSRecord) -> None:
    handle_notification(services(), record.json_body)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
    services().bind_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=_record, processor=processor, context=context
    )
