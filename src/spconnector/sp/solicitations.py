"""Solicitations API v1 calls (the review request) and the order listing they start from.

A mixin of `SpApi` on `SpTransport` (limiter, retries, error mapping).
`create_review_request` is not idempotent at Amazon (a second call gets 403 "not available"),
so it is retried only when Amazon certainly did not act (429, connection refused); after a
timeout or 5xx the caller asks `review_request_offered` rather than calling again blind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, Field

from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.transport import SpTransport

if TYPE_CHECKING:
    M = TypeVar("M", bound=BaseModel)

REVIEW_ACTION = "productReviewAndSellerFeedback"
GET_ACTIONS = "solicitations:getSolicitationActionsForOrder"
CREATE_REVIEW_REQUEST = "solicitations:createProductReviewAndSellerFeedbackSolicitation"
SEARCH_ORDERS = "orders_2026-01-01:searchOrders"


class _SolicitationLinks(m._Amazon):
    actions: tuple[m.LinkObject, ...] = ()


class GetSolicitationActionsForOrderResponse(m._Amazon):
    links: _SolicitationLinks = Field(alias="_links")

    def action_names(self) -> list[str]:
        # `name` is optional in the model; the href's last path segment is the action.
        return [
            link.name or link.href.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            for link in self.links.actions
        ]


class _Pagination(m._Amazon):
    nextToken: str | None = None


class _SearchOrdersResponse(m._Amazon):
    orders: tuple[m.Order2026, ...] = ()
    pagination: _Pagination | None = None


@dataclass(frozen=True, slots=True)
class ShippedOrder:
    """What the review-request job needs of an order: no buyer data at all."""

    amazon_order_id: str
    fulfilled_by_amazon: bool
    status: str
    earliest_delivery: datetime | None
    latest_delivery: datetime | None
    delivered: bool


def _shipped(order: m.Order2026) -> ShippedOrder:
    block = order.fulfillment
    window = block.deliverByWindow if block else None
    delivered = bool(order.packages) and all(
        p.packageStatus is not None and p.packageStatus.status == "DELIVERED"
        for p in order.packages
    )
    return ShippedOrder(
        amazon_order_id=order.orderId,
        fulfilled_by_amazon=bool(block and block.fulfilledBy == "AMAZON"),
        status=block.fulfillmentStatus if block else "UNKNOWN",
        earliest_delivery=window.earliestDateTime if window else None,
        latest_delivery=window.latestDateTime if window else None,
        delivered=delivered,
    )


class SolicitationCalls(SpTransport):
    """Mixed into SpApi, like every API family's calls."""

    def review_request_offered(self, order_id: str) -> bool:
        """getSolicitationActionsForOrder: is the review request offered for this order now?"""
        path = f"/solicitations/v1/orders/{quote(order_id, safe='')}"
        response = self._send(
            lib.Solicitations,
            GET_ACTIONS,
            lambda c: c._request(
                path, params={"marketplaceIds": self.marketplace_id}, add_marketplace=False
            ),
        )
        parsed = self._parse(GET_ACTIONS, GetSolicitationActionsForOrderResponse, response.payload)
        return REVIEW_ACTION in parsed.action_names()

    def create_review_request(self, order_id: str) -> None:
        """createProductReviewAndSellerFeedbackSolicitation (no body; 201 on success)."""
        path = f"/solicitations/v1/orders/{quote(order_id, safe='')}/solicitations/{REVIEW_ACTION}"
        # Not the library's method: it would put marketplaceIds into a body the model lacks.
        self._send(
            lib.Solicitations,
            CREATE_REVIEW_REQUEST,
            lambda c: c._request(
                path,
                params={"marketplaceIds": self.marketplace_id, "method": "POST"},
                add_marketplace=False,
            ),
            idempotent=False,
        )

    def shipped_orders(self, created_after: datetime) -> list[ShippedOrder]:
        """searchOrders (2026-01-01): the seller's SHIPPED orders created since, every page.
        Only FULFILLMENT and PACKAGES are asked for: never the buyer or the recipient."""
        if created_after.tzinfo is None:
            raise ValueError("created_after must be timezone-aware")
        first: dict[str, Any] = {
            "createdAfter": created_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "fulfillmentStatuses": "SHIPPED",
            "marketplaceIds": self.marketplace_id,
            "includedData": "FULFILLMENT,PACKAGES",
            "maxResultsPerPage": 100,
        }
        found: list[ShippedOrder] = []
        params = first
        while True:
            current = dict(params)

            def search(c: Any, p: dict[str, Any] = current) -> Any:
                return c._request(
                    "/orders/2026-01-01/orders", params=dict(p), add_marketplace=False
                )

            response = self._send(lib.OrdersV20260101, SEARCH_ORDERS, search)
            page = self._parse(SEARCH_ORDERS, _SearchOrdersResponse, response.payload)
            found.extend(_shipped(o) for o in page.orders)
            token = page.pagination.nextToken if page.pagination else None
            if not token:
                return found
            params = {**first, "paginationToken": token}
