"""Refund use cases: propose, approve, submit in batches, track — exactly once.

The entry point; the roles live in approval.py (propose, approve), submission.py
(submit_pending and recovery), tracking.py (track), batches.py (member moves) and
settings.py. The argument for exactly-once spans them:

How exactly-once holds:
1. A refund's key (tenant, order, adjustment id) is written with a conditional create: the
   same decision delivered twice finds the record already there.
2. Every state change is a compare-and-set on the record's version; a loser re-reads.
3. Before createFeed, the batch is written with a "submitting" mark (its time), and each
   member is moved approved → submitted with the batch id. Only the lease holder for
   (tenant, marketplace) submits, and only while its lease has `create_feed_timeout` left,
   so no earlier holder can still be inside createFeed when a later one recovers.
4. A batch found "submitting" without a feed id is resolved by getFeeds since its mark:
   no adjustment feed of unknown origin → nothing reached Amazon → send the same batch again;
   exactly one → adopt it; more → a person decides (never guess, never resubmit).
5. A refund is sent again only when Amazon's processing report proves it was not applied
   and the error is retryable (or the feed was CANCELLED before processing). It keeps its
   MerchantAdjustmentItemID, so even then Amazon would see a duplicate, not a second refund.

Every refund is confirmed, or it is not, within `confirm_within`:
- FAILED means no money moved: Amazon rejected it (or the retries are used up), or it was
  never sent in time. The order's claim is given back.
- UNKNOWN means the money may have moved: the feed ended FATAL or was never answered, the
  processing report is unreadable or does not add up, Amazon says "duplicate", or recovery
  found several candidate feeds. The order's claim stays: no further automatic refund until
  a person settles it (`settle_unknown`).
Neither is silent (refunds/outcomes.py): `unreported` lists them until `mark_escalated`
records that a person was told (the TrackFeeds job escalates them with the buyer's promise).
"""

from spconnector.refunds.approval import RefundNotFound, approve, propose
from spconnector.refunds.ports import RefundPorts
from spconnector.refunds.settings import SubmitSettings
from spconnector.refunds.submission import SubmitResult, submit_pending
from spconnector.refunds.tracking import TrackResult, feed_status_from_notification, track

__all__ = [
    "RefundNotFound",
    "RefundPorts",
    "SubmitResult",
    "SubmitSettings",
    "TrackResult",
    "approve",
    "feed_status_from_notification",
    "propose",
    "submit_pending",
    "track",
]
