"""The order mirror in memory, with the contract of spconnector.mirror.store.OrderMirror
(tests/unit/contracts/test_order_mirror_contract.py runs it against the DynamoDB adapter)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from spconnector.domain import Order
from spconnector.mirror.store import MirroredOrder


@dataclass
class MemoryOrderMirror:
    entries: dict[tuple[str, str], MirroredOrder] = field(default_factory=dict)
    # ORDER_CHANGE times, kept even for an order not mirrored yet: a search that read the
    # order before the change but stores it after must not make it look fresh
    changes: dict[tuple[str, str], datetime] = field(default_factory=dict)
    cursors: dict[str, datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, tenant: str, order_id: str) -> MirroredOrder | None:
        with self._lock:
            entry = self.entries.get((tenant, order_id))
            if entry is None:
                return None
            return MirroredOrder(entry.order, entry.read_at, self.changes.get((tenant, order_id)))

    def put(self, tenant: str, order: Order, *, read_at: datetime, now: datetime) -> bool:
        key = (tenant, order.amazon_order_id)
        with self._lock:
            old = self.entries.get(key)
            if old is not None and old.read_at > read_at:
                return False
            self.entries[key] = MirroredOrder(order, read_at)
            return True

    def mark_changed(self, tenant: str, order_id: str, at: datetime) -> None:
        key = (tenant, order_id)
        with self._lock:
            old = self.changes.get(key)
            if old is None or old < at:
                self.changes[key] = at

    def cursor(self, tenant: str) -> datetime | None:
        with self._lock:
            return self.cursors.get(tenant)

    def set_cursor(self, tenant: str, at: datetime) -> None:
        with self._lock:
            old = self.cursors.get(tenant)
            if old is None or at > old:
                self.cursors[tenant] = at
