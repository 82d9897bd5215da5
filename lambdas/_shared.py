"""What every handler shares: one Logger, one Metrics, the services built once per container.

Nothing here imports pydantic or Powertools' batch utility: a handler that is not fed by SQS
(IngestEmail, Scheduler, Console) pays for neither in its init. The SQS handlers build on
`_sqs_batch.py`."""

from __future__ import annotations

import logging
from functools import cache

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers

from spconnector.jobs.services import Services
from spconnector.log_redaction import harden_logging
from spconnector.observability import ROOT_LOGGER

# log_uncaught_exceptions: a crash is logged with its type, never with the event (PII).
logger = Logger(log_uncaught_exceptions=True)
metrics = Metrics()

# Library code logs through stdlib loggers under "spconnector"; give their parent the same
# JSON formatter, so every line (with its tenant, see spconnector.observability) is structured.
logging.getLogger(ROOT_LOGGER).setLevel(logger.log_level)
copy_config_to_registered_loggers(source_logger=logger, include={ROOT_LOGGER})
# SDK loggers clamped to WARNING and every record redacted (secrets, relay addresses), even
# with the root logger at DEBUG: see spconnector.log_redaction.
harden_logging(logging.getLogger(logger.name), logging.getLogger(ROOT_LOGGER))


@cache
def services() -> Services:
    """Built on first use and reused while the container is warm."""
    return Services.from_env()
