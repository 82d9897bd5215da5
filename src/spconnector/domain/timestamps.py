"""Timestamps the domain accepts: timezone-aware only (a naive one is refused, not guessed),
and only ones that have a UTC time (9999-12-31T23:59:59-23:59 has none: every `astimezone(UTC)`
downstream would raise OverflowError)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp needs a timezone (e.g. 2026-11-20T10:00:00Z)")
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError(
            "timestamp out of range: its UTC time is before year 1 or after 9999"
        ) from None
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
