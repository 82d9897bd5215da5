"""TenantWorker: runs one scheduled job for one tenant (a failing tenant's work goes to the DLQ);
the mailbox poll runs in PollMailbox instead (lambdas/poll_mailbox.py)."""

from __future__ import annotations

# Before anything imports pydantic (cold start: see _sqs_batch.py).
import aws_lambda_powertools.utilities.batch  # noqa: F401

from spconnector.jobs.fanout import run_work_item
from spconnector.messages import WorkItem

from _sqs_batch import sqs_handler

handler = sqs_handler(run_work_item, model=WorkItem)
