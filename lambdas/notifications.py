"""Notifications: SP-API notifications from SQS (REPORT_/FEED_PROCESSING_FINISHED, ORDER_CHANGE)."""

from __future__ import annotations

from spconnector.jobs.notifications import handle_notification
from spconnector.messages import SpApiNotification

from _shared import sqs_handler

handler = sqs_handler(handle_notification, model=SpApiNotification)
