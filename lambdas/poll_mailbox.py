"""PollMailbox: polls one tenant's IMAP mailbox (untrusted mail) under its own narrow role."""

from __future__ import annotations

# Before anything imports pydantic (cold start: see _sqs_batch.py).
import aws_lambda_powertools.utilities.batch  # noqa: F401

from spconnector.jobs.fanout import run_mailbox_poll
from spconnector.messages import WorkItem

from _sqs_batch import sqs_handler

handler = sqs_handler(run_mailbox_poll, model=WorkItem)
