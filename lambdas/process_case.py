"""ProcessCase: case events → order context → policy decision → actions queue."""

from __future__ import annotations

# Before anything imports pydantic (cold start: see _sqs_batch.py).
import aws_lambda_powertools.utilities.batch  # noqa: F401

from spconnector.jobs.process_case import process_case_event
from spconnector.messages import CaseEvent

from _sqs_batch import sqs_handler

handler = sqs_handler(process_case_event, model=CaseEvent)
