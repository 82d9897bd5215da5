"""IngestEmail: SES stored a buyer message in S3 → parse, attach to its case, enqueue."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import S3Event, event_source

from spconnector.jobs.ingest import ingest_s3_object

from _shared import logger, metrics, services


@logger.inject_lambda_context
@metrics.log_metrics
@event_source(data_class=S3Event)
def handler(event: S3Event, context: Any) -> dict[str, Any]:
    services().bind_lambda_context(context)
    outcomes = [
        ingest_s3_object(services(), record.s3.bucket.name, record.s3.get_object.key).as_dict()
        for record in event.records
    ]
    return {"outcomes": outcomes}
