"""Everything the simulator remembers between requests: reports, feeds, documents,
destinations and subscriptions, refunds accepted per order (and money moved back by Amazon
itself), sent messages, notifications."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from spconnector.sim.clock import SimClock
from spconnector.sim.scenario import Scenario

log = logging.getLogger(__name__)

Notification = dict[str, Any]
# A lifecycle (reports, feeds) moves its jobs on to the current simulated time; the state is
# handed them by whoever builds the simulator (sim.routes), so it imports none of them.
Lifecycle = Callable[["SimState", str], None]


@dataclass
class Document:
    document_id: str
    content: bytes  # stored as served: gzip when compressed
    content_type: str
    compressed: bool


@dataclass
class AcceptedAdjustment:
    feed_id: str
    message_id: str
    order_item_id: str
    merchant_adjustment_item_id: str
    reason: str
    components: dict[str, Decimal]  # Principal/Shipping/Tax → amount refunded
    posted_at: datetime | None = None  # when the feed applied it (the Finances PostedDate)

    @property
    def total(self) -> Decimal:
        return sum(self.components.values(), Decimal(0))

    def as_json(self) -> dict[str, Any]:
        return {
            "feedId": self.feed_id,
            "messageId": self.message_id,
            "orderItemId": self.order_item_id,
            "merchantAdjustmentItemId": self.merchant_adjustment_item_id,
            "reason": self.reason,
            "components": {k: format(v, "f") for k, v in self.components.items()},
            "total": format(self.total, "f"),
        }


@dataclass
class SentMessage:
    order_id: str
    kind: str  # createUnexpectedProblem, createConfirmOrderDetails
    text: str
    at: str


@dataclass
class SimState:
    scenario: Scenario
    clock: SimClock
    reports: dict[str, Any] = field(default_factory=dict)
    feeds: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    uploads: dict[str, Document] = field(default_factory=dict)
    destinations: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    adjustments: dict[str, list[AcceptedAdjustment]] = field(default_factory=dict)
    messages_sent: list[SentMessage] = field(default_factory=list)
    solicitations_sent: dict[str, str] = field(default_factory=dict)  # order id → when (ISO)
    notifications: list[Notification] = field(default_factory=list)
    # Money Amazon moved back outside our feeds, added by tests under /_sim/finances: order id
    # → (Finances list name, amount, posted), beside the scenario's own (Scenario.money_backs)
    money_backs: dict[str, list[tuple[str, Decimal, datetime]]] = field(default_factory=dict)
    finance_role: bool = True  # False: the app lacks the Finance role, Finances answers 403
    _callbacks: list[Callable[[Notification], None]] = field(default_factory=list)
    faults: Any = None  # the simulator's FaultInjector (feed outcomes); None: always normal
    lifecycles: tuple[Lifecycle, ...] = ()
    _counter: int = 0
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def next_id(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

    # -- refunds ------------------------------------------------------------------------
    def refunded(self, order_id: str, order_item_id: str | None = None) -> Decimal:
        """Total refunded so far for an order (or one of its items), all components."""
        return sum(
            (
                a.total
                for a in self.adjustments.get(order_id, [])
                if order_item_id is None or a.order_item_id == order_item_id
            ),
            Decimal(0),
        )

    def refunded_component(self, order_id: str, order_item_id: str, component: str) -> Decimal:
        return sum(
            (
                a.components.get(component, Decimal(0))
                for a in self.adjustments.get(order_id, [])
                if a.order_item_id == order_item_id
            ),
            Decimal(0),
        )

    def refund_count(self, order_id: str) -> int:
        return len(self.adjustments.get(order_id, []))

    # -- notifications ------------------------------------------------------------------
    def on_notification(self, callback: Callable[[Notification], None]) -> None:
        self._callbacks.append(callback)

    def notify(self, notification: Notification) -> None:
        self.notifications.append(notification)
        for callback in list(self._callbacks):
            try:
                callback(notification)
            except Exception:  # a broken subscriber must not break the simulator
                log.exception("notification callback failed")

    # -- lifecycles ---------------------------------------------------------------------
    def tick(self, base_url: str) -> None:
        """Advance report and feed processing to the current simulated time."""
        with self._lock:
            for advance in self.lifecycles:
                advance(self, base_url)

    def snapshot(self) -> dict[str, Any]:
        """The JSON view served at /_sim/state."""
        return {
            "now": self.clock.now().isoformat(),
            "seller_id": self.scenario.seller_id,
            "marketplace_id": self.scenario.marketplace_id,
            "reports": [job.as_json(self) for job in self.reports.values()],
            "feeds": [job.as_json(self) for job in self.feeds.values()],
            "destinations": list(self.destinations.values()),
            "subscriptions": list(self.subscriptions.values()),
            "refunds": {
                order_id: {
                    "count": len(items),
                    "total": format(sum((a.total for a in items), Decimal(0)), "f"),
                    "adjustments": [a.as_json() for a in items],
                }
                for order_id, items in self.adjustments.items()
            },
            "messages_sent": [m.__dict__ for m in self.messages_sent],
            "notifications": len(self.notifications),
        }
