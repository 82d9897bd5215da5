"""Small formatting helpers shared by the API modules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from spconnector.sim.http import invalid_input


def iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a Z, as Amazon writes timestamps."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def parse_time(value: str, name: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_input(f"{name} must be an ISO 8601 date-time, got {value!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt
