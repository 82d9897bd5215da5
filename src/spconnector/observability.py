"""Logging conventions: every line carries the tenant; buyer PII and secrets never do.

Library code logs through stdlib loggers under "spconnector". In Lambda the Powertools Logger's
JSON formatter is copied onto them (lambdas/_shared.py); on the CLI they stay quiet unless
asked. The tenant comes from a context variable set by `tenant_scope`, so a job cannot forget
it and one tenant's run never logs under another's name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_tenant: ContextVar[str | None] = ContextVar("spconnector_tenant", default=None)

ROOT_LOGGER = "spconnector"


def get_logger(name: str) -> logging.Logger:
    logger = logging.getLogger(name)
    if not any(isinstance(f, TenantFilter) for f in logger.filters):
        logger.addFilter(TenantFilter())
    return logger


class TenantFilter(logging.Filter):
    """Stamps the current tenant on each record (Powertools prints extra record keys)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "tenant"):
            record.tenant = _tenant.get()
        return True


@contextmanager
def tenant_scope(tenant_id: str) -> Iterator[None]:
    token = _tenant.set(tenant_id)
    try:
        yield
    finally:
        _tenant.reset(token)


def current_tenant() -> str | None:
    return _tenant.get()


_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")  # bounded: linear
MAX_REASON = 300


def describe_error(exc: BaseException) -> str:
    """A failure's type and reason, safe to log: never the input that caused it.

    A pydantic ValidationError's text repeats the offending value (buyer text, an address):
    only the field locations and messages are kept. Addresses are masked in any message.
    """
    errors = getattr(exc, "errors", None)
    if callable(errors) and type(exc).__name__ == "ValidationError":
        try:
            parts = [
                f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
                for e in errors(include_input=False, include_url=False)
            ]
            text = "; ".join(parts)
        except TypeError:
            text = "invalid data"
    else:
        text = str(exc)
    text = _EMAIL.sub("<address>", " ".join(text.split()))
    return f"{type(exc).__name__}: {text}"[:MAX_REASON]
