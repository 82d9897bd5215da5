"""Keeping the mirror current, and reading a case's order through it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from spconnector.domain import Order
from spconnector.mirror.store import OrderMirror

# A first search reaches this far back: order context older than that is rarely asked for,
# and a case about such an order simply calls getOrder.
FIRST_WINDOW = timedelta(days=30)
# Amazon's lastUpdatedBefore lags "now" a little; starting the next search a minute early
# costs nothing (stored reads are idempotent) and cannot miss an update at the boundary.
OVERLAP = timedelta(minutes=1)
MAX_PAGES = 200  # one run's bound (20,000 orders); the cursor resumes where it stopped
# An entry is known right up to max(its read, the cursor): a change before the cursor was
# read again by the search. After that only ORDER_CHANGE tells; a tenant not subscribed to it
# (or a notification lost) must not leave an entry trusted for long: past this, getOrder.
MAX_UNCONFIRMED = timedelta(hours=2)


@dataclass
class SyncResult:
    calls: int = 0
    stored: int = 0
    skipped: list[str] = field(default_factory=list)
    cursor: datetime | None = None
    complete: bool = True


def catch_up(api: Any, mirror: OrderMirror, tenant: str, now: datetime) -> SyncResult:
    """Store every order updated since the tenant's cursor (searchOrders, 100 a page), then
    move the cursor to the upper bound of that search. Stops early (cursor unmoved, what was
    read stays stored) if the pages run past MAX_PAGES or a call fails (raised)."""
    from spconnector.sp.orders_search import search_orders_page

    after = mirror.cursor(tenant) or now - FIRST_WINDOW
    result = SyncResult()
    token: str | None = None
    upper: datetime | None = None
    while True:
        page = search_orders_page(api, last_updated_after=after - OVERLAP, next_token=token)
        result.calls += 1
        read_at = page.last_updated_before or now
        upper = upper or read_at  # the search's bound is fixed by its first page
        for order in page.orders:
            result.stored += mirror.put(tenant, order, read_at=read_at, now=now)
        result.skipped.extend(page.skipped)
        token = page.next_token
        if not token:
            break
        if result.calls >= MAX_PAGES:
            result.complete = False
            return result
    mirror.set_cursor(tenant, upper)
    result.cursor = upper
    return result


@dataclass
class OrderLookup:
    """What order_context did: served from the mirror, or read with getOrder (and stored)."""

    order: Order
    from_mirror: bool


def order_context(
    api: Any, mirror: OrderMirror, tenant: str, order_id: str, now: datetime
) -> OrderLookup:
    """The order for a case: the mirror's entry when it is fresh (no ORDER_CHANGE after it was
    read, and read or confirmed by the cursor within MAX_UNCONFIRMED), else `current_order`.
    Good enough to decide on, not to pay on: see `current_order`."""
    entry = mirror.get(tenant, order_id)
    if entry is not None and entry.fresh:
        cursor = mirror.cursor(tenant)
        confirmed = max(entry.read_at, cursor) if cursor else entry.read_at
        if now - confirmed <= MAX_UNCONFIRMED:
            return OrderLookup(entry.order, from_mirror=True)
    return OrderLookup(current_order(api, mirror, tenant, order_id, now), from_mirror=False)


def current_order(
    api: Any, mirror: OrderMirror, tenant: str, order_id: str, now: datetime
) -> Order:
    """The order as Amazon has it now (getOrder, failures raised), stored in the mirror. A
    decision that moves money is made on this, never on a mirrored entry alone: the mirror
    trusts ORDER_CHANGE to arrive, and a refund must not ride on a notification still on its
    way."""
    order: Order = api.get_order(order_id)
    mirror.put(tenant, order, read_at=now, now=now)
    return order


def apply_order_change(
    mirror: OrderMirror, tenant: str, notification: dict[str, Any], now: datetime
) -> str:
    """An ORDER_CHANGE notification (Amazon's shape, OrderChangeNotification.json): the order
    is stale from the change's time on (from `now`, when the notification gives no time we
    can read: every earlier read is then stale). Returns the order id."""
    payload = notification.get("Payload") or notification.get("payload") or {}
    detail = payload.get("OrderChangeNotification") or {}
    order_id = str(detail["AmazonOrderId"])
    trigger = detail.get("OrderChangeTrigger") or {}
    stamp = trigger.get("TimeOfOrderChange") or notification.get("EventTime")
    try:
        at = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        at = now
    if at.tzinfo is None:
        at = now
    mirror.mark_changed(tenant, order_id, at)
    return order_id
