"""How the refund use cases submit and track: lease, batch size, attempts, deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from spconnector.sp.usage_plans import plan_for

CREATE_FEED = "feeds_2021-06-30:createFeed"
_CREATE_FEED_PLAN = plan_for(CREATE_FEED)


@dataclass(frozen=True, slots=True)
class SubmitSettings:
    lease_seconds: float = 300.0
    # createFeed is only started with at least this much lease left; the SP client's deadline
    # for one createFeed call must be shorter.
    create_feed_timeout: float = 60.0
    max_batch: int = 2000
    max_attempts: int = 3
    # Amazon's createdTime and our clock may disagree; look back this far before the mark.
    clock_skew: timedelta = timedelta(minutes=5)
    feed_rate: float = _CREATE_FEED_PLAN.rate
    feed_burst: int = _CREATE_FEED_PLAN.burst
    # The buyer has been told "refunded": a refund not confirmed this long after it was
    # approved (not sent) or sent (no answer) goes to a person.
    confirm_within: timedelta = timedelta(hours=24)
