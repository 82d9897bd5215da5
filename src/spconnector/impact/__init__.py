"""Feedback impact: snapshots (feedback.py), the ledger (ledger.py), streaming aggregates
(aggregate.py, beta.py), the follow-up rule (follow_up.py), one feedback poll (poll.py),
EMF metrics (metrics.py) and the self-contained HTML report (report.py)."""
