"""Orders API: 2026-01-01 getOrder/searchOrders and v0 getOrder/getOrderItems."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from spconnector.domain.marketplaces import by_id
from spconnector.sim.http import Request, Response, Router, invalid_input, not_found
from spconnector.sim.scenario import ScenarioOrder
from spconnector.sim.wire import amount, iso, parse_time

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

INCLUDED_DATA = frozenset(
    {
        "BUYER",
        "RECIPIENT",
        "PROCEEDS",
        "EXPENSE",
        "PROMOTION",
        "CANCELLATION",
        "FULFILLMENT",
        "PACKAGES",
        "TAX",
        "PAYMENT",
        "FULFILLMENT_ORDERS",
    }
)
_STATUS_2026 = {"Shipped": "SHIPPED", "Unshipped": "UNSHIPPED", "Canceled": "CANCELLED"}


def _order_or_404(sim: Simulator, order_id: str) -> ScenarioOrder:
    order = sim.scenario.order(order_id)
    if order is None:
        raise not_found(f"Order {order_id} not found")
    return order


def _included(req: Request) -> set[str]:
    values = set(req.list_param("includedData"))
    unknown = values - INCLUDED_DATA
    if unknown:
        raise invalid_input(f"Invalid includedData value(s): {', '.join(sorted(unknown))}")
    return values


def _money(value: Any, currency: str) -> dict[str, str]:
    return {"amount": amount(value), "currencyCode": currency}


def order_2026(order: ScenarioOrder, included: set[str]) -> dict[str, Any]:
    market = by_id(order.marketplace_id)
    cur = order.currency
    items = []
    for item in order.items:
        entry: dict[str, Any] = {
            "orderItemId": item.order_item_id,
            "quantityOrdered": item.quantity,
            "product": {
                "asin": item.asin,
                "title": item.title,
                "sellerSku": item.sku,
                "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"},
                "price": {"unitPrice": _money(item.unit_price, cur)},
            },
        }
        if "PROCEEDS" in included:
            entry["proceeds"] = {
                "proceedsTotal": _money(item.principal + item.shipping_price + item.tax, cur),
                "breakdowns": [
                    {"type": "ITEM", "subtotal": _money(item.principal, cur)},
                    {"type": "SHIPPING", "subtotal": _money(item.shipping_price, cur)},
                    {"type": "TAX", "subtotal": _money(item.tax, cur)},
                ],
            }
        if "FULFILLMENT" in included:
            shipped = item.quantity if order.shipped_at else 0
            entry["fulfillment"] = {
                "quantityFulfilled": shipped,
                "quantityUnfulfilled": item.quantity - shipped,
            }
        items.append(entry)
    out: dict[str, Any] = {
        "orderId": order.order_id,
        "createdTime": iso(order.purchase_date),
        "lastUpdatedTime": iso(order.last_update),
        "programs": ["PRIME"] if order.is_prime else [],
        "salesChannel": {
            "channelName": "AMAZON",
            "marketplaceId": order.marketplace_id,
            "marketplaceName": market.domain.capitalize(),
        },
        "orderItems": items,
    }
    if "BUYER" in included:
        out["buyer"] = {"buyerName": order.buyer_name, "buyerEmail": order.buyer_alias}
    if "RECIPIENT" in included:
        out["recipient"] = {
            "deliveryAddress": {
                "name": order.buyer_name,
                "city": order.ship_city,
                "stateOrRegion": order.ship_state,
                "postalCode": order.ship_postal,
                "countryCode": order.ship_country,
                "addressType": "RESIDENTIAL",
            }
        }
    if "PROCEEDS" in included:
        out["proceeds"] = {
            "grandTotal": _money(order.total, cur),
            "breakdowns": [
                {"type": "ITEM", "subtotal": _money(sum(i.principal for i in order.items), cur)},
                {
                    "type": "SHIPPING",
                    "subtotal": _money(sum(i.shipping_price for i in order.items), cur),
                },
                {"type": "TAX", "subtotal": _money(sum(i.tax for i in order.items), cur)},
            ],
        }
    if "FULFILLMENT" in included:
        out["fulfillment"] = {
            "fulfillmentStatus": _STATUS_2026[order.status],
            "fulfilledBy": "AMAZON" if order.fulfillment_channel == "AFN" else "MERCHANT",
            "fulfillmentServiceLevel": "STANDARD",
            "shipByWindow": {"latestDateTime": iso(order.latest_ship)},
            "deliverByWindow": {
                "earliestDateTime": iso(order.earliest_delivery),
                "latestDateTime": iso(order.latest_delivery),
            },
        }
    if "PACKAGES" in included and order.shipped_at is not None:
        out["packages"] = [
            {
                "packageReferenceId": "1",
                "createdTime": iso(order.shipped_at),
                "packageStatus": {
                    "status": "DELIVERED" if order.delivered_at else "IN_TRANSIT",
                },
                "carrier": order.carrier,
                "shipTime": iso(order.shipped_at),
                "shippingService": "Standard",
                "trackingNumber": order.tracking_id,
                "packageItems": [
                    {"orderItemId": i.order_item_id, "quantity": i.quantity} for i in order.items
                ],
            }
        ]
    return out


def get_order_2026(sim: Simulator, req: Request) -> Response:
    included = _included(req)
    order = _order_or_404(sim, req.path_params["orderId"])
    return Response.json(200, {"order": order_2026(order, included)})


def search_orders(sim: Simulator, req: Request) -> Response:
    created_after = req.param("createdAfter")
    updated_after = req.param("lastUpdatedAfter")
    if bool(created_after) == bool(updated_after):
        raise invalid_input("Exactly one of createdAfter and lastUpdatedAfter is required")
    included = _included(req)
    now = sim.clock.now()
    if created_after:
        lo = parse_time(created_after, "createdAfter")
        before = req.param("createdBefore")
        hi = parse_time(before, "createdBefore") if before else now
        field = "purchase_date"
    else:
        lo = parse_time(updated_after or "", "lastUpdatedAfter")
        before = req.param("lastUpdatedBefore")
        hi = parse_time(before, "lastUpdatedBefore") if before else now
        field = "last_update"
    if hi < lo:
        raise invalid_input("The before date must be equal to or after the after date")
    statuses = set(req.list_param("fulfillmentStatuses"))
    fulfilled_by = set(req.list_param("fulfilledBy"))
    if fulfilled_by - {"MERCHANT", "AMAZON"}:
        raise invalid_input("fulfilledBy must be MERCHANT or AMAZON")
    markets = set(req.list_param("marketplaceIds"))
    page_size = _int_param(req, "maxResultsPerPage", 100, 1, 100)
    matches = [
        o
        for o in sim.scenario.orders
        if lo <= getattr(o, field) <= hi
        and (not statuses or _STATUS_2026[o.status] in statuses)
        and (
            not fulfilled_by
            or ("AMAZON" if o.fulfillment_channel == "AFN" else "MERCHANT") in fulfilled_by
        )
        and (not markets or o.marketplace_id in markets)
    ]
    token = req.param("paginationToken")
    start = _decode_token(token) if token else 0
    page = matches[start : start + page_size]
    body: dict[str, Any] = {"orders": [order_2026(o, included) for o in page]}
    if start + page_size < len(matches):
        body["pagination"] = {"nextToken": _encode_token(start + page_size)}
    body["createdBefore" if created_after else "lastUpdatedBefore"] = iso(hi)
    return Response.json(200, body)


def _int_param(req: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = req.param(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_input(f"{name} must be an integer") from None
    if not lo <= value <= hi:
        raise invalid_input(f"{name} must be between {lo} and {hi}")
    return value


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _decode_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
        return int(text.removeprefix("offset:"))
    except (ValueError, UnicodeDecodeError):
        raise invalid_input("Invalid pagination token") from None


def order_v0(order: ScenarioOrder) -> dict[str, Any]:
    market = by_id(order.marketplace_id)
    shipped = sum(i.quantity for i in order.items) if order.shipped_at else 0
    unshipped = 0 if order.status == "Canceled" else sum(i.quantity for i in order.items) - shipped
    out: dict[str, Any] = {
        "AmazonOrderId": order.order_id,
        "PurchaseDate": iso(order.purchase_date),
        "LastUpdateDate": iso(order.last_update),
        "OrderStatus": order.status,
        "FulfillmentChannel": order.fulfillment_channel,
        "SalesChannel": market.domain.capitalize(),
        "ShipServiceLevel": "Std US D2D Dom" if order.currency == "USD" else "Std DE Dom",
        "NumberOfItemsShipped": shipped,
        "NumberOfItemsUnshipped": unshipped,
        "PaymentMethod": "Other",
        "PaymentMethodDetails": ["Standard"],
        "MarketplaceId": order.marketplace_id,
        "ShipmentServiceLevelCategory": "Standard",
        "OrderType": "StandardOrder",
        "EarliestShipDate": iso(order.purchase_date),
        "LatestShipDate": iso(order.latest_ship),
        "EarliestDeliveryDate": iso(order.earliest_delivery),
        "LatestDeliveryDate": iso(order.latest_delivery),
        "IsBusinessOrder": False,
        "IsPrime": order.is_prime,
        "IsPremiumOrder": False,
        "IsGlobalExpressEnabled": False,
        "IsReplacementOrder": False,
        "IsSoldByAB": False,
        "IsISPU": False,
        "IsAccessPointOrder": False,
        "HasRegulatedItems": False,
        "ShippingAddress": {
            "City": order.ship_city,
            "StateOrRegion": order.ship_state,
            "PostalCode": order.ship_postal,
            "CountryCode": order.ship_country,
        },
    }
    if order.status != "Canceled":
        out["OrderTotal"] = {"CurrencyCode": order.currency, "Amount": amount(order.total)}
    return out


def get_order_v0(sim: Simulator, req: Request) -> Response:
    order = _order_or_404(sim, req.path_params["orderId"])
    return Response.json(200, {"payload": order_v0(order)})


def get_order_items_v0(sim: Simulator, req: Request) -> Response:
    order = _order_or_404(sim, req.path_params["orderId"])
    cur = order.currency
    items = []
    for item in order.items:
        items.append(
            {
                "ASIN": item.asin,
                "SellerSKU": item.sku,
                "OrderItemId": item.order_item_id,
                "Title": item.title,
                "QuantityOrdered": item.quantity,
                "QuantityShipped": item.quantity if order.shipped_at else 0,
                "ProductInfo": {"NumberOfItems": "1"},
                "ItemPrice": {"CurrencyCode": cur, "Amount": amount(item.principal)},
                "ShippingPrice": {"CurrencyCode": cur, "Amount": amount(item.shipping_price)},
                "ItemTax": {"CurrencyCode": cur, "Amount": amount(item.tax)},
                "PromotionDiscount": {"CurrencyCode": cur, "Amount": "0.00"},
                "IsGift": "false",
                "ConditionId": "New",
                "ConditionSubtypeId": "New",
                "IsTransparency": False,
                "SerialNumberRequired": False,
            }
        )
    return Response.json(200, {"payload": {"AmazonOrderId": order.order_id, "OrderItems": items}})


def register(router: Router) -> None:
    router.add("GET", "/orders/2026-01-01/orders", search_orders, "orders_2026-01-01:searchOrders")
    router.add(
        "GET", "/orders/2026-01-01/orders/{orderId}", get_order_2026, "orders_2026-01-01:getOrder"
    )
    router.add("GET", "/orders/v0/orders/{orderId}", get_order_v0, "ordersV0:getOrder")
    router.add(
        "GET",
        "/orders/v0/orders/{orderId}/orderItems",
        get_order_items_v0,
        "ordersV0:getOrderItems",
    )
