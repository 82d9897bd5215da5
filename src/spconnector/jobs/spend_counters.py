"""The refund spend counters' port (re-exported by jobs/ports.py): a day and a month counter per
(tenant, currency), reserved against atomically, with holds keyed by the refund so a
redelivered action never counts one refund twice.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Protocol

Limits = tuple[Decimal | None, Decimal | None]  # (day, month) budgets; None = no limit


class SpendCounters(Protocol):
    """Day and month refund spend per (tenant, currency). ReservationConflict: busy, no write."""

    def spent(self, tenant: str, currency: str, now: datetime) -> tuple[Decimal, Decimal]:
        """(today, this month); 0 for a counter never written."""
        ...

    def add_within(
        self,
        tenant: str,
        currency: str,
        amount: Decimal,
        now: datetime,
        limits: Limits,
        token: str | None = None,
    ) -> bool:
        """Add `amount` to both in one atomic step only if neither passes its limit (even a
        counter never written refuses an amount above it); else False, nothing written.
        With `token`: at most once while the token's reservation is held (a second call
        adds nothing and answers True)."""
        ...

    def held_since(self, tenant: str, currency: str, token: str) -> datetime | None:
        """When the token's reservation was made; None if not held."""
        ...

    def subtract(
        self, tenant: str, currency: str, amount: Decimal, now: datetime, token: str | None = None
    ) -> None:
        """Give `amount` back on both counters. With `token`: only if the token's reservation
        is held, from the day and month it was made in, and the hold ends (at most once)."""
        ...

    def give_back(
        self, tenant: str, currency: str, amount: Decimal, reserved_at: datetime, token: str
    ) -> bool:
        """Lower `reserved_at`'s day and month by `amount` (never below 0) once per `token`
        ever, marker and decrements in one atomic step; False when given back before."""
        ...
