"""Timestamps the domain accepts: timezone-aware only (a naive one is refused, not guessed)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp needs a timezone (e.g. 2026-11-20T10:00:00Z)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
