"""What every handler shares: one Logger, one Metrics, the services built once per container."""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools import Logger, Metrics

from spconnector.jobs.services import Services

# log_uncaught_exceptions: a crash is logged with its type, never with the event (PII).
logger = Logger(log_uncaught_exceptions=True)
metrics = Metrics()


@cache
def services() -> Services:
    """Built on first use and reused while the container is warm."""
    return Services.from_env()
