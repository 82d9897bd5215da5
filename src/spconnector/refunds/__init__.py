"""Refunds: exactly-once order adjustments, batched into POST_PAYMENT_ADJUSTMENT_DATA feeds.

model.py (records and life cycle), feed.py (the XML both ways), ports.py (what the use cases
need), submit.py (the use cases, from approval.py, submission.py, tracking.py and
batches.py), outcomes.py (refunds not confirmed), fba.py (what the feed may not carry),
ledger_memory.py (the DynamoDB ledger is aws/refund_ledger.py). Refunds import nothing from
sp/ or aws/: the Feeds adapters (sp/feeds_adapter.py, and sp/memory_feeds.py, an in-memory
Amazon) and the ledger adapters depend on ports.py.
"""
