"""The mirror's port and what it holds. The DynamoDB adapter is
spconnector.aws.order_mirror.DynamoOrderMirror; the in-memory fake (tests, the CLI,
benchmarks) spconnector.memory.order_mirror.MemoryOrderMirror."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from spconnector.domain import Order


@dataclass(frozen=True, slots=True)
class MirroredOrder:
    order: Order
    read_at: datetime  # when Amazon answered with this state of the order
    changed_at: datetime | None = None  # the latest ORDER_CHANGE seen for it

    @property
    def fresh(self) -> bool:
        return self.changed_at is None or self.read_at >= self.changed_at


class OrderMirror(Protocol):
    def get(self, tenant: str, order_id: str) -> MirroredOrder | None:
        """The entry, fresh or stale; None if the order was never read."""

    def put(self, tenant: str, order: Order, *, read_at: datetime, now: datetime) -> bool:
        """Store what Amazon answered at `read_at`, unless a later read is stored already."""

    def mark_changed(self, tenant: str, order_id: str, at: datetime) -> None:
        """ORDER_CHANGE said the order changed at `at`: reads before that are stale."""

    def cursor(self, tenant: str) -> datetime | None:
        """Where the next incremental searchOrders starts (lastUpdatedAfter)."""

    def set_cursor(self, tenant: str, at: datetime) -> None:
        """Move the cursor forward (never back)."""
