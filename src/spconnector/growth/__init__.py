"""Feedback growth: Amazon's review request, negative-feedback removal candidates, A-to-z claims.

Pure rules and records (no AWS, no HTTP); the jobs that carry them out are in spconnector.jobs
(solicit, removal_candidates, claims); their store is the `GrowthStore` port (jobs/ports.py:
DynamoDB in aws/growth.py, the in-memory fake in memory/growth.py).
"""
