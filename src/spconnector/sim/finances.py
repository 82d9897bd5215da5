"""Finances API v0 `listFinancialEventsByOrderId` as Amazon answers it, in its exact shape.

What the simulated Amazon lists for an order (financesV0.json field names):
- `ShipmentEventList`: the charges of a shipped order (Principal, ShippingCharge, Tax per item);
- `RefundEventList`: every adjustment an order-adjustment feed applied, posted when it was
  applied (FATAL feeds that applied included), and the refunds behind Amazon's own refund
  notices in the scenario;
- `GuaranteeClaimEventList`: A-to-z claims of the scenario, posted when Amazon grants them;
- anything added under `POST /_sim/finances/events` (a chargeback, say).
Adjustments are negative amounts, as Amazon writes them. Events are posted in time order and
only once their PostedDate has come; pages hold `MaxResultsPerPage` events (1–100, default
100) and end with a `NextToken` while more remain. `POST /_sim/finances/role` with
`{"granted": false}` takes the Finance role away: the operation then answers Amazon's 403.
"""

from __future__ import annotations

import base64
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from spconnector.domain.marketplaces import by_id
from spconnector.sim.http import ApiError, Request, Response, Router, invalid_input, not_found
from spconnector.sim.scenario import ScenarioOrder
from spconnector.sim.wire import iso, parse_time

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

OPERATION = "financesV0:listFinancialEventsByOrderId"
MONEY_BACK_LISTS = ("RefundEventList", "GuaranteeClaimEventList", "ChargebackEventList")
ROLE_DENIED = "Access to requested resource is denied."
# the feed's component names → the ChargeType Finances reports them under
_CHARGE_TYPES = {"Principal": "Principal", "Shipping": "ShippingCharge", "Tax": "Tax"}

Event = tuple[datetime, str, dict[str, Any]]  # (posted, list name, event)


def _currency(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"CurrencyCode": currency, "CurrencyAmount": float(amount.quantize(Decimal("0.01")))}


def _charges(parts: dict[str, Decimal], currency: str, sign: int) -> list[dict[str, Any]]:
    return [
        {"ChargeType": _CHARGE_TYPES.get(kind, kind), "ChargeAmount": _currency(sign * v, currency)}
        for kind, v in parts.items()
        if v
    ]


def _event(
    order: ScenarioOrder, posted: datetime, items_key: str, items: list[Any]
) -> dict[str, Any]:
    return {
        "AmazonOrderId": order.order_id,
        "MarketplaceName": by_id(order.marketplace_id).domain.capitalize(),
        "PostedDate": iso(posted),
        items_key: items,
    }


def _shipment(order: ScenarioOrder) -> dict[str, Any]:
    items = [
        {
            "SellerSKU": i.sku,
            "OrderItemId": i.order_item_id,
            "QuantityShipped": i.quantity,
            "ItemChargeList": _charges(
                {"Principal": i.principal, "Shipping": i.shipping_price, "Tax": i.tax},
                order.currency,
                1,
            ),
        }
        for i in order.items
    ]
    assert order.shipped_at is not None
    return _event(order, order.shipped_at, "ShipmentItemList", items)


def _money_back(order: ScenarioOrder, posted: datetime, amount: Decimal, n: int) -> dict[str, Any]:
    # Amazon's own refund or claim: the whole amount against the first item
    item = order.items[0]
    adjusted = {
        "SellerSKU": item.sku,
        "OrderAdjustmentItemId": f"{order.order_id.replace('-', '')}{n:03d}",
        "QuantityShipped": item.quantity,
        "ItemChargeAdjustmentList": _charges({"Principal": amount}, order.currency, -1),
    }
    return _event(order, posted, "ShipmentItemAdjustmentList", [adjusted])


def events_for(sim: Simulator, order: ScenarioOrder) -> list[Event]:
    now = sim.clock.now()
    found: list[Event] = []
    if order.status == "Shipped" and order.shipped_at is not None:
        found.append((order.shipped_at, "ShipmentEventList", _shipment(order)))
    for a in sim.state.adjustments.get(order.order_id, []):
        line = order.item(a.order_item_id)
        adjusted = {
            "SellerSKU": line.sku if line else None,
            "OrderAdjustmentItemId": a.merchant_adjustment_item_id,
            "QuantityShipped": line.quantity if line else 1,
            "ItemChargeAdjustmentList": _charges(a.components, order.currency, -1),
        }
        posted = a.posted_at or now
        event = _event(order, posted, "ShipmentItemAdjustmentList", [adjusted])
        found.append((posted, "RefundEventList", event))
    moved = [(name, amount, posted) for name, oid, amount, posted in sim.scenario.money_backs
             if oid == order.order_id]  # fmt: skip
    moved += sim.state.money_backs.get(order.order_id, [])
    for n, (name, amount, posted) in enumerate(moved):
        found.append((posted, name, _money_back(order, posted, amount, n)))
    return sorted((e for e in found if e[0] <= now), key=lambda e: e[0])


def _page_size(req: Request) -> int:
    text = req.param("MaxResultsPerPage")
    if text is None:
        return 100
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise invalid_input("MaxResultsPerPage must be an integer between 1 and 100")
    return int(text)


def _offset(req: Request, order_id: str) -> int:
    token = req.param("NextToken")
    if token is None:
        return 0
    try:
        owner, offset = base64.urlsafe_b64decode(token.encode()).decode().rsplit(":", 1)
        if owner != order_id:
            raise ValueError(owner)
        return int(offset)
    except (ValueError, UnicodeDecodeError):
        raise invalid_input("Invalid NextToken") from None


def list_by_order(sim: Simulator, req: Request) -> Response:
    if not sim.state.finance_role:
        raise ApiError(403, "Unauthorized", ROLE_DENIED)
    order_id = req.path_params["orderId"]
    size, start = _page_size(req), _offset(req, order_id)
    order = sim.scenario.order(order_id)
    # An order of no event (or of another seller) is an empty answer, as at Amazon.
    events = events_for(sim, order) if order is not None else []
    lists: dict[str, list[Any]] = {}
    for _posted, name, event in events[start : start + size]:
        lists.setdefault(name, []).append(event)
    payload: dict[str, Any] = {"FinancialEvents": lists}
    if start + size < len(events):
        token = f"{order_id}:{start + size}"
        payload["NextToken"] = base64.urlsafe_b64encode(token.encode()).decode()
    return Response.json(200, {"payload": payload})


def add_event(sim: Simulator, req: Request) -> Response:
    """`POST /_sim/finances/events` {"orderId", "list", "amount", "postedDate"?}: money Amazon
    moved back by itself (a refund, a granted claim, a chargeback)."""
    body = req.json_object()
    order = sim.scenario.order(str(body.get("orderId", "")))
    if order is None:
        raise not_found("Order not found")
    name = body.get("list")
    if name not in MONEY_BACK_LISTS:
        raise invalid_input(f"list must be one of {', '.join(MONEY_BACK_LISTS)}")
    try:
        amount = Decimal(str(body.get("amount")))
    except InvalidOperation:
        raise invalid_input("amount must be a decimal number") from None
    if not amount.is_finite() or amount <= 0:
        raise invalid_input("amount must be positive")
    posted = body.get("postedDate")
    when = parse_time(posted, "postedDate") if isinstance(posted, str) else sim.clock.now()
    sim.state.money_backs.setdefault(order.order_id, []).append((str(name), amount, when))
    return Response.json(201, {"orderId": order.order_id, "list": name})


def set_role(sim: Simulator, req: Request) -> Response:
    granted = req.json_object().get("granted")
    if not isinstance(granted, bool):
        raise invalid_input("granted must be true or false")
    sim.state.finance_role = granted
    return Response.json(200, {"granted": granted})


def register(router: Router) -> None:
    router.add("GET", "/finances/v0/orders/{orderId}/financialEvents", list_by_order, OPERATION)
    router.add("POST", "/_sim/finances/events", add_event, None)
    router.add("POST", "/_sim/finances/role", set_role, None)
