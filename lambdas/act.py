"""Act: carry out a decision — reply, refund (batched feed), escalate."""

from __future__ import annotations

# Before anything imports pydantic (cold start: see _sqs_batch.py).
import aws_lambda_powertools.utilities.batch  # noqa: F401

from spconnector.jobs.act import act_on
from spconnector.messages import ActionMessage

from _sqs_batch import sqs_handler

handler = sqs_handler(act_on, model=ActionMessage)
