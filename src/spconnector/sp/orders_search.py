"""Orders 2026-01-01 searchOrders: the orders updated since a cursor, a page at a time.

searchOrders (0.0056 req/s, burst 20) returns up to 100 orders a page, with `includedData`, so
one call brings the order context of up to 100 cases; getOrder (0.5 req/s, burst 30) brings
one. Each page is one call through the client's limiter, retries and deadline, like every
other operation. The next page repeats the first page's filters with Amazon's `nextToken` as
`paginationToken` (the API model: "All other parameters must be provided with the same
values"). An order that cannot be mapped is named in `skipped`, never dropped silently: its
case will call getOrder for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import AwareDatetime, ValidationError

from spconnector.domain import Order
from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.client import ORDER_INCLUDED_DATA, SpApi
from spconnector.sp.mapping import order_from_2026

SEARCH_ORDERS = "orders_2026-01-01:searchOrders"
MAX_PAGE = 100


class _Pagination(m._Amazon):
    nextToken: str | None = None


class SearchOrdersResponse(m._Amazon):
    orders: tuple[m.Order2026, ...]
    pagination: _Pagination | None = None
    lastUpdatedBefore: AwareDatetime | None = None


@dataclass(frozen=True, slots=True)
class OrdersPage:
    orders: tuple[Order, ...]
    next_token: str | None
    # Amazon's upper bound of this search: the next incremental search starts there.
    last_updated_before: datetime | None
    # (order id, last updated) of every order on the page, mapped or not
    seen: tuple[tuple[str, datetime], ...]
    skipped: tuple[str, ...]  # order ids that could not be mapped to an Order


def search_orders_page(
    api: SpApi,
    *,
    last_updated_after: datetime,
    next_token: str | None = None,
    page_size: int = MAX_PAGE,
) -> OrdersPage:
    """One page of the orders of `api`'s marketplace updated at or after
    `last_updated_after`, with the data decisions need (FULFILLMENT, PROCEEDS, PACKAGES)."""
    if last_updated_after.tzinfo is None:
        raise ValueError("last_updated_after must be timezone-aware")
    params: dict[str, object] = {
        "lastUpdatedAfter": last_updated_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "marketplaceIds": [api.marketplace_id],
        "includedData": list(ORDER_INCLUDED_DATA),
        "maxResultsPerPage": page_size,
    }
    if next_token:
        params["paginationToken"] = next_token
    response = api._send(lib.OrdersV20260101, SEARCH_ORDERS, lambda c: c.search_orders(**params))
    parsed = api._parse(SEARCH_ORDERS, SearchOrdersResponse, response.payload)
    orders: list[Order] = []
    skipped: list[str] = []
    for raw in parsed.orders:
        try:
            orders.append(order_from_2026(raw, api.marketplace_id))
        except (ValidationError, ValueError, ArithmeticError):
            skipped.append(raw.orderId)
    return OrdersPage(
        orders=tuple(orders),
        # the library lifts a top-level `pagination` out of the payload into next_token
        next_token=(parsed.pagination.nextToken if parsed.pagination else None)
        or getattr(response, "next_token", None),
        last_updated_before=parsed.lastUpdatedBefore,
        seen=tuple((o.orderId, o.lastUpdatedTime) for o in parsed.orders),
        skipped=tuple(skipped),
    )
