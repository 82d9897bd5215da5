"""Amazon's order models → the domain's Order and OrderItem.

Guarantees:
- Orders 2026-01-01 and Orders v0 map to the same Order: v0 statuses are translated into the
  2026 vocabulary, v0's ItemPrice (a line total) is divided into a unit price.
- Cancelled lines (quantity 0) are left out; a line without a price is an error, never a zero.
- A mapping failure is an InvalidResponse naming the field, never its value (`mapped`).
- delivered_at is set only when every package is DELIVERED (Amazon gives no delivery time;
  the promised latest delivery time is used, which errs towards the buyer's return window).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from pydantic import ValidationError

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.models import Order, OrderItem
from spconnector.domain.money import Money
from spconnector.sp import models as m
from spconnector.sp.errors import InvalidResponse
from spconnector.sp.transport import describe_validation


def mapped[T](operation: str, build: Callable[[], T]) -> T:
    """`build()`, with a mapping failure turned into InvalidResponse for `operation`."""
    try:
        return build()
    except (ValidationError, ValueError, ArithmeticError) as exc:
        detail = describe_validation(exc) if isinstance(exc, ValidationError) else str(exc)
        raise InvalidResponse(operation, f"cannot map to an order ({detail})") from None


def _money(amount: Decimal, currency: str) -> Money:
    return Money(amount=amount, currency=currency)


# Orders v0 statuses in the 2026-01-01 vocabulary, so both paths give the same Order.
_V0_STATUS = {
    "Pending": "PENDING",
    "PendingAvailability": "PENDING_AVAILABILITY",
    "Unshipped": "UNSHIPPED",
    "PartiallyShipped": "PARTIALLY_SHIPPED",
    "Shipped": "SHIPPED",
    "Canceled": "CANCELLED",
    "Unfulfillable": "UNFULFILLABLE",
    "InvoiceUnconfirmed": "UNSHIPPED",
}


def _unit_price_2026(line: m.OrderItem2026) -> Money:
    unit = line.product.price.unitPrice if line.product.price else None
    if unit is not None:
        return _money(unit.amount, unit.currencyCode)
    # No list price (e.g. pending): the line's ITEM proceeds divided by its quantity.
    breakdowns = line.proceeds.breakdowns if line.proceeds else ()
    item_total = next((b.subtotal for b in breakdowns if b.type == "ITEM"), None)
    if item_total is None or line.quantityOrdered < 1:
        raise ValueError(f"order item {line.orderItemId} has no price")
    return _money(item_total.amount / line.quantityOrdered, item_total.currencyCode)


def _delivered_at(order: m.Order2026) -> datetime | None:
    """Amazon gives no delivery timestamp. When every package is DELIVERED, the promised
    latest delivery time is the bound we have (it errs towards the buyer's return window)."""
    packages = order.packages
    if not packages or any(
        p.packageStatus is None or p.packageStatus.status != "DELIVERED" for p in packages
    ):
        return None
    window = order.fulfillment.deliverByWindow if order.fulfillment else None
    return window.latestDateTime if window else None


def order_from_2026(order: m.Order2026, marketplace_id: str) -> Order:
    items = []
    shipping: Money | None = None
    for line in order.orderItems:
        if line.quantityOrdered < 1:
            continue  # a cancelled line
        product = line.product
        unit_price = _unit_price_2026(line)
        items.append(
            OrderItem(
                sku=product.sellerSku or product.asin or line.orderItemId,
                order_item_id=line.orderItemId,
                asin=product.asin,
                title=product.title,
                quantity=line.quantityOrdered,
                unit_price=unit_price,
            )
        )
        breakdowns = line.proceeds.breakdowns if line.proceeds else ()
        if breakdowns and shipping is None:
            shipping = Money.zero(unit_price.currency)
        for part in breakdowns:
            if part.type == "SHIPPING" and shipping is not None:
                shipping = shipping + _money(part.subtotal.amount, part.subtotal.currencyCode)
    fulfilled_by = order.fulfillment.fulfilledBy if order.fulfillment else None
    return Order(
        amazon_order_id=order.orderId,
        marketplace_id=order.salesChannel.marketplaceId or marketplace_id,
        purchase_date=order.createdTime,
        delivered_at=_delivered_at(order),
        fulfillment_channel=FulfillmentChannel.FBA
        if fulfilled_by == "AMAZON"
        else FulfillmentChannel.MFN,
        items=tuple(items),
        shipping_price=shipping,
        order_status=order.fulfillment.fulfillmentStatus if order.fulfillment else None,
    )


def item_from_v0(item: m.OrderItemV0) -> OrderItem:
    price = item.ItemPrice
    if price is None or price.Amount is None or price.CurrencyCode is None:
        raise ValueError(f"order item {item.OrderItemId} has no price")
    if item.QuantityOrdered < 1:
        raise ValueError(f"order item {item.OrderItemId} has quantity {item.QuantityOrdered}")
    return OrderItem(
        sku=item.SellerSKU or item.ASIN,
        order_item_id=item.OrderItemId,
        asin=item.ASIN,
        title=item.Title,
        quantity=item.QuantityOrdered,
        # v0 ItemPrice is the line total (price × quantity).
        unit_price=_money(price.Amount / item.QuantityOrdered, price.CurrencyCode),
    )


def order_from_v0(order: m.OrderV0, items: list[m.OrderItemV0], marketplace_id: str) -> Order:
    shipping: Money | None = None
    for item in items:
        price = item.ShippingPrice
        if price is not None and price.Amount is not None and price.CurrencyCode:
            amount = _money(price.Amount, price.CurrencyCode)
            shipping = amount if shipping is None else shipping + amount
    return Order(
        amazon_order_id=order.AmazonOrderId,
        marketplace_id=order.MarketplaceId or marketplace_id,
        purchase_date=order.PurchaseDate,
        fulfillment_channel=FulfillmentChannel.FBA
        if order.FulfillmentChannel == "AFN"
        else FulfillmentChannel.MFN,
        items=tuple(item_from_v0(i) for i in items if i.QuantityOrdered > 0),
        shipping_price=shipping,
        order_status=_V0_STATUS.get(order.OrderStatus, order.OrderStatus),
    )
