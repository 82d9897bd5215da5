"""TenantWorker: runs one scheduled job for one tenant (a failing tenant's work goes to the DLQ)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from spconnector.jobs.fanout import run_work_item

from _shared import logger, metrics, services

# With BatchSize 1 a failed record is the whole batch: report it as a batch item failure
# (SQS retries it alone, then dead-letters it) instead of failing the invocation.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def _record(record: SQSRecord) -> None:
    run_work_item(services(), record.json_body)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
    services().bind_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=_record, processor=processor, context=context
    )
