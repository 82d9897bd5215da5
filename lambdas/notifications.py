"""Notifications: SP-API notifications from SQS (REPORT_/FEED_PROCESSING_FINISHED, ORDER_CHANGE)."""

from __future__ import annotations

# Before anything imports pydantic (cold start: see _sqs_batch.py).
import aws_lambda_powertools.utilities.batch  # noqa: F401

from spconnector.jobs.notifications import handle_notification
from spconnector.messages import SpApiNotification

from _sqs_batch import sqs_handler

handler = sqs_handler(handle_notification, model=SpApiNotification)
