"""Feedback growth: Amazon's review request, negative-feedback removal candidates, A-to-z claims.

Pure rules and records (no AWS, no HTTP); the jobs that carry them out are in spconnector.jobs
(solicit, removal_candidates, claims) and their store in jobs/growth_store.py.
"""
