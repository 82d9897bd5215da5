"""Refunds: exactly-once order adjustments, batched into POST_PAYMENT_ADJUSTMENT_DATA feeds.

model.py (records and life cycle), feed.py (the XML both ways), ports.py (what the use cases
need), submit.py (the use cases, from approval.py, submission.py, tracking.py and
batches.py), outcomes.py (refunds not confirmed), fba.py (what the feed may not carry),
ledger_memory.py / ledger_dynamodb.py. Refunds import nothing from sp/: the Feeds adapters
(sp/feeds_adapter.py, and sp/memory_feeds.py, an in-memory Amazon) depend on ports.py.
"""
