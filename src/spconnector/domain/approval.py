"""A person's verdict on one decision of a case (approve or deny): the first one stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ApprovalVerdict:
    seq: int  # the decision's seq in the case
    verdict: str
    by: str
    at: datetime
    reason: str | None
