"""Act: carry out a decision — reply, refund (batched feed), escalate."""

from __future__ import annotations

from spconnector.jobs.act import act_on
from spconnector.messages import ActionMessage

from _shared import sqs_handler

handler = sqs_handler(act_on, model=ActionMessage)
