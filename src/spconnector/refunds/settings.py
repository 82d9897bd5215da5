"""How the refund use cases submit and track: lease, batch size, attempts, deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class SubmitSettings:
    """createFeed pacing is not here: the FeedsPort adapter's bucket is the one that counts."""

    lease_seconds: float = 300.0
    # createFeed is only started with at least this much lease left; the SP client's deadline
    # for one createFeed call must be shorter.
    create_feed_timeout: float = 60.0
    max_batch: int = 2000
    max_attempts: int = 3
    # Amazon's createdTime and our clock may disagree; look back this far before the mark.
    clock_skew: timedelta = timedelta(minutes=5)
    # The buyer has been told "refunded": a refund not confirmed this long after it was
    # approved (not sent) or sent (no answer) goes to a person.
    confirm_within: timedelta = timedelta(hours=24)
