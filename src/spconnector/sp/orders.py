"""Orders calls: Orders 2026-01-01 first, Orders v0 as the fallback, mapped to domain Orders.

Guarantees: buyer PII is never asked for (includedData has no BUYER or RECIPIENT); every page
of order items is read; v0 is tried only when 2026-01-01 answers with a client error or an
unreadable body — an LWA refusal is not retried against v0.
"""

from __future__ import annotations

from functools import partial

from spconnector.domain.models import Order, OrderItem
from spconnector.observability import get_logger
from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.auth import LWA_OPERATION
from spconnector.sp.errors import ClientError, InvalidResponse
from spconnector.sp.mapping import item_from_v0, mapped, order_from_2026, order_from_v0
from spconnector.sp.transport import SpTransport, get_page, quote

log = get_logger("spconnector.sp")

# Never BUYER or RECIPIENT: buyer PII we do not need.
ORDER_INCLUDED_DATA = ("FULFILLMENT", "PROCEEDS", "PACKAGES")


class OrdersCalls(SpTransport):
    def get_order(self, order_id: str) -> Order:
        """Orders 2026-01-01 getOrder; Orders v0 (getOrder + getOrderItems) if that fails."""
        try:
            return self.get_order_2026(order_id)
        except (ClientError, InvalidResponse) as exc:
            if exc.operation == LWA_OPERATION:
                raise
            log.info("orders 2026-01-01 failed (%s %s); trying v0", exc.status, exc.code)
        return self.get_order_v0(order_id)

    def get_order_2026(self, order_id: str) -> Order:
        operation = "orders_2026-01-01:getOrder"
        response = self._send(
            lib.OrdersV20260101,
            operation,
            lambda c: c.get_order(order_id, includedData=list(ORDER_INCLUDED_DATA)),
        )
        parsed = self._parse(operation, m.GetOrderResponse2026, response.payload)
        return mapped(operation, lambda: order_from_2026(parsed.order, self.marketplace_id))

    def get_order_v0(self, order_id: str) -> Order:
        operation = "ordersV0:getOrder"
        response = self._send(lib.OrdersV0, operation, lambda c: c.get_order(order_id))
        order = self._parse(operation, m.OrderV0, response.payload)
        items = self._order_items_v0(order_id)
        return mapped(operation, lambda: order_from_v0(order, items, self.marketplace_id))

    def get_order_items(self, order_id: str) -> tuple[OrderItem, ...]:
        operation = "ordersV0:getOrderItems"
        items = self._order_items_v0(order_id)
        return mapped(
            operation, lambda: tuple(item_from_v0(i) for i in items if i.QuantityOrdered > 0)
        )

    def _order_items_v0(self, order_id: str) -> list[m.OrderItemV0]:
        operation = "ordersV0:getOrderItems"
        path = f"/orders/v0/orders/{quote(order_id)}/orderItems"
        items: list[m.OrderItemV0] = []
        token: str | None = None
        while True:
            params = {"NextToken": token} if token else {}
            # Not the library's get_order_items: it adds four marketplace query parameters.
            response = self._send(
                lib.OrdersV0,
                operation,
                partial(get_page, path=path, params=params),
            )
            page = self._parse(operation, m.OrderItemsListV0, response.payload)
            items.extend(page.OrderItems)
            token = page.NextToken
            if not token:
                return items
