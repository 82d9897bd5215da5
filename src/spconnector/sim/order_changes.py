"""Orders that change while the simulator runs, and the ORDER_CHANGE notifications they send.

Amazon sends ORDER_CHANGE (notification version 1.0, OrderChangeNotification.json: capitalised
field names, unlike the 2020-09-04 processing notifications) when an order's status changes
(`OrderStatusChange`: placed, shipped, delivered, cancelled) or the buyer asks for a change
(`BuyerRequestedChange`, e.g. a cancellation). `change_order` applies the change to the
scenario — getOrder and searchOrders (by `lastUpdatedTime`) see it from then on — and records
the notification like every other (state.notifications, `on_notification` callbacks).
`generated_orders` makes as many more orders as a benchmark needs (a seller with thousands of
orders a day), with fresh ids.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spconnector.sim.scenario import Scenario, ScenarioOrder, _orders
from spconnector.sim.wire import iso

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator
    from spconnector.sim.server import SimServer


def _simulator(sim: Simulator | SimServer) -> Simulator:
    from spconnector.sim.server import SimServer

    return sim.simulator if isinstance(sim, SimServer) else sim


_V0_STATUS = {"Shipped": "Shipped", "Unshipped": "Unshipped", "Canceled": "Canceled"}


def order_change_notification(
    server: Simulator | SimServer,
    order: ScenarioOrder,
    at: datetime,
    *,
    change_type: str = "OrderStatusChange",
    reason: str | None = None,
) -> dict[str, Any]:
    """ORDER_CHANGE for `order` as it is after the change at `at`."""
    sim = _simulator(server)
    when = iso(at).replace("Z", ".000Z")
    shipped = order.status == "Shipped"
    # the schema requires a reason; Amazon's documented example is "Buyer Requested Cancel"
    trigger: dict[str, Any] = {
        "TimeOfOrderChange": when,
        "ChangeReason": reason or f"Order status changed to {_V0_STATUS[order.status]}",
    }
    state = sim.state
    return {
        "NotificationVersion": "1.0",
        "NotificationType": "ORDER_CHANGE",
        "PayloadVersion": "1.0",
        "EventTime": when,
        "Payload": {
            "OrderChangeNotification": {
                "NotificationLevel": "OrderLevel",
                "SellerId": sim.seller_id,
                "AmazonOrderId": order.order_id,
                "OrderChangeType": change_type,
                "OrderChangeTrigger": trigger,
                "Summary": {
                    "MarketplaceId": order.marketplace_id,
                    "OrderStatus": _V0_STATUS[order.status],
                    "PurchaseDate": iso(order.purchase_date),
                    "DestinationPostalCode": order.ship_postal,
                    "FulfillmentType": "AFN" if order.fulfillment_channel == "AFN" else "MFN",
                    "OrderType": "StandardOrder",
                    "NumberOfItemsShipped": sum(i.quantity for i in order.items) if shipped else 0,
                    "NumberOfItemsUnshipped": 0
                    if shipped
                    else sum(i.quantity for i in order.items),
                    "EarliestDeliveryDate": iso(order.earliest_delivery),
                    "LatestDeliveryDate": iso(order.latest_delivery),
                    "OrderItems": [
                        {
                            "OrderItemId": i.order_item_id,
                            "SellerSKU": i.sku,
                            "SupplySourceId": None,  # no Multi-Location Inventory here
                            "OrderItemStatus": _V0_STATUS[order.status],
                            "Quantity": i.quantity,
                            "QuantityShipped": i.quantity if shipped else 0,
                        }
                        for i in order.items
                    ],
                },
            }
        },
        "NotificationMetadata": {
            "ApplicationId": "amzn1.sellerapps.app.sim00000-0000-0000-0000-000000000000",
            "SubscriptionId": state.subscriptions.get("ORDER_CHANGE", {}).get("subscriptionId", ""),
            "PublishTime": when,
            "NotificationId": str(uuid.UUID(int=state.next_id() + (3 << 120))),
        },
    }


def change_order(
    server: Simulator | SimServer,
    order_id: str,
    at: datetime,
    *,
    change_type: str = "OrderStatusChange",
    reason: str | None = None,
    **fields: Any,
) -> ScenarioOrder:
    """Apply `fields` (status, shipped_at, delivered_at, …) to the order at `at`, make `at`
    its last update and send ORDER_CHANGE. Returns the order as it is now."""
    sim = _simulator(server)
    scenario = _own_scenario(sim)
    current = scenario.order(order_id)
    if current is None:
        raise KeyError(f"no order {order_id}")
    changed = dataclasses.replace(current, last_update=at, **fields)
    scenario.orders[_position(sim, order_id)] = changed
    scenario._index[order_id] = changed
    sim.state.notify(
        order_change_notification(sim, changed, at, change_type=change_type, reason=reason)
    )
    return changed


def place_order(server: Simulator | SimServer, order: ScenarioOrder, at: datetime) -> ScenarioOrder:
    """A new order (Unshipped, placed at `at`) joins the scenario; ORDER_CHANGE is sent."""
    sim = _simulator(server)
    placed = dataclasses.replace(
        order,
        purchase_date=at,
        last_update=at,
        status="Unshipped",
        shipped_at=None,
        delivered_at=None,
    )
    scenario = _own_scenario(sim)
    scenario.order(placed.order_id)  # the id index complete before it grows by one
    _position(sim, placed.order_id)
    scenario.orders.append(placed)
    scenario._index[placed.order_id] = placed
    sim._order_positions[placed.order_id] = len(scenario.orders) - 1  # type: ignore[attr-defined]
    sim.state.notify(order_change_notification(sim, placed, at))
    return placed


def _own_scenario(sim: Simulator) -> Scenario:
    """Simulators of one seed share a read-only scenario (core._scenario): before its orders
    change, this simulator gets a copy of its own, so no other simulator sees the change."""
    if not sim.__dict__.get("_own_scenario"):
        own = copy.copy(sim.scenario)
        own.orders = list(sim.scenario.orders)
        own._index = {}
        sim.scenario = own
        sim.state.scenario = own
        sim.__dict__["_own_scenario"] = True
    return sim.scenario


def _position(sim: Simulator, order_id: str) -> int:
    """Where the order sits in scenario.orders (kept beside the simulator: thousands of
    changes must not each scan the list)."""
    orders = sim.scenario.orders
    positions: dict[str, int] = sim.__dict__.setdefault("_order_positions", {})
    if len(positions) != len(orders):
        positions.clear()
        positions.update({o.order_id: n for n, o in enumerate(orders)})
    return positions.get(order_id, -1)


def generated_orders(
    server: Simulator | SimServer, count: int, *, seed: int
) -> list[ScenarioOrder]:
    """`count` more orders of this seller's catalog and marketplace (ids unused so far);
    their times are the caller's to set (place_order)."""
    sim = _simulator(server)
    scenario = _own_scenario(sim)
    marketplace = "DE" if scenario.marketplace_id == "A1PA6795UKMFR9" else "US"
    taken = {o.order_id for o in scenario.orders}
    made = _orders(random.Random(seed), scenario, marketplace, count)
    return [o for o in made if o.order_id not in taken]
