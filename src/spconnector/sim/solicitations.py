"""Solicitations API v1 as Amazon serves it: the review request, within Amazon's rules.

Amazon's rules (Solicitations API reference; Seller Central "Request a Review"):
- one request per order, whoever sends it (the API or the Seller Central button);
- only from 5 days after the earliest to 30 days after the latest delivery date;
- `getSolicitationActionsForOrder` lists `productReviewAndSellerFeedback` only while a request
  is allowed; outside the window, or once sent, it lists no action.
Error shapes are Amazon's: a 403 `Unauthorized` with the message Amazon sends outside the
window (amzn/selling-partner-api-docs#121) and for a second request
(amzn/selling-partner-api-models#19).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from spconnector.sim.actions import actions_response, path_order
from spconnector.sim.http import ApiError, Request, Response, Router
from spconnector.sim.scenario import ScenarioOrder
from spconnector.sim.wire import iso

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

ACTION = "productReviewAndSellerFeedback"
WINDOW_OPENS = timedelta(days=5)  # after the earliest delivery date
WINDOW_CLOSES = timedelta(days=30)  # after the latest delivery date
OUTSIDE_WINDOW = (
    "You can\u2019t use this feature to request a review outside the 5-30 day range after the "
    "order delivery date."
)
NOT_AVAILABLE = "The requested solicitation is not available for this amazonOrderId."


def window(order: ScenarioOrder) -> tuple[datetime, datetime]:
    return order.earliest_delivery + WINDOW_OPENS, order.latest_delivery + WINDOW_CLOSES


def in_window(order: ScenarioOrder, now: datetime) -> bool:
    opens, closes = window(order)
    return order.status == "Shipped" and opens <= now <= closes


def _offered(sim: Simulator, order: ScenarioOrder) -> bool:
    return order.order_id not in sim.state.solicitations_sent and in_window(order, sim.clock.now())


def get_actions(sim: Simulator, req: Request) -> Response:
    order = path_order(sim, req)
    base = f"/solicitations/v1/orders/{order.order_id}"
    return actions_response(
        base, order.marketplace_id, "solicitations", [ACTION] if _offered(sim, order) else []
    )


def create_review_request(sim: Simulator, req: Request) -> Response:
    order = path_order(sim, req)
    if order.order_id in sim.state.solicitations_sent:
        raise ApiError(403, "Unauthorized", NOT_AVAILABLE)
    if not in_window(order, sim.clock.now()):
        raise ApiError(403, "Unauthorized", OUTSIDE_WINDOW)
    sim.state.solicitations_sent[order.order_id] = iso(sim.clock.now())
    return Response.json(201, {})


def sent(sim: Simulator, req: Request) -> Response:
    """`GET /_sim/solicitations`: order id → when its review request was accepted."""
    return Response.json(200, dict(sim.state.solicitations_sent))


def register(router: Router) -> None:
    base = "/solicitations/v1/orders/{amazonOrderId}"
    router.add("GET", base, get_actions, "solicitations:getSolicitationActionsForOrder")
    router.add(
        "POST",
        f"{base}/solicitations/{ACTION}",
        create_review_request,
        "solicitations:createProductReviewAndSellerFeedbackSolicitation",
    )
    router.add("GET", "/_sim/solicitations", sent, None)
