"""ProcessCase: case events → order context → policy decision → actions queue."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from spconnector.jobs.process_case import process_case_event

from _shared import logger, metrics, services

processor = BatchProcessor(event_type=EventType.SQS)


def _record(record: SQSRecord) -> None:
    process_case_event(services(), record.json_body)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
    services().bind_lambda_context(context)
    # A failed record is reported back to SQS alone; the rest of the batch goes on.
    return process_partial_response(
        event=event, record_handler=_record, processor=processor, context=context
    )
