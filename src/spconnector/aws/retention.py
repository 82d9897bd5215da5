"""How long buyer PII may be kept (Amazon's Data Protection Policy: at most 30 days after
delivery): the one rule every store that holds buyer data applies (cases, the order mirror,
the in-memory store) as a DynamoDB TTL in epoch seconds."""

from __future__ import annotations

from datetime import datetime, timedelta

# Amazon's Data Protection Policy: buyer PII at most 30 days after delivery.
PII_RETENTION = timedelta(days=30)


# A message that arrives after its order's retention window has closed is kept only as long
# as answering it takes (Amazon's 24 hours, with room for an approval), then goes.
ANSWER_GRACE = timedelta(hours=72)


def ttl_for(anchor: datetime, now: datetime) -> int:
    """Epoch seconds when a PII item must be gone: 30 days after the anchor (delivery, or
    receipt when delivery is unknown), never later than 30 days from now."""
    if anchor.tzinfo is None or now.tzinfo is None:
        raise ValueError("ttl_for needs timezone-aware datetimes")
    return int((min(anchor, now) + PII_RETENTION).timestamp())


def ttl_after_delivery(delivered_at: datetime, now: datetime) -> int:
    """Epoch seconds when a case's PII must be gone once its order's delivery is known: 30
    days after delivery (Amazon's Data Protection Policy). Until delivery is known the items
    carry 30 days from receipt (`ttl_for`), and `CaseStore.expire_after_delivery` moves them
    to this, only ever earlier. If the 30 days have already passed, the items are kept
    ANSWER_GRACE from now, the time it takes to answer the message that brought them."""
    if delivered_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("ttl_after_delivery needs timezone-aware datetimes")
    return int(max(delivered_at + PII_RETENTION, now + ANSWER_GRACE).timestamp())
