"""Messaging API v1: actions for an order, buyer attributes, and two proactive messages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spconnector.sim.http import ApiError, Request, Response, Router, invalid_input, not_found
from spconnector.sim.scenario import ScenarioOrder
from spconnector.sim.state import SentMessage
from spconnector.sim.wire import iso

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_ACTION_PATHS = {
    "unexpectedProblem": "createUnexpectedProblem",
    "confirmOrderDetails": "createConfirmOrderDetails",
}


def _order(sim: Simulator, req: Request) -> ScenarioOrder:
    markets = req.require_list("marketplaceIds")
    if len(markets) != 1:
        raise invalid_input("marketplaceIds must hold exactly one marketplace id")
    order = sim.scenario.order(req.path_params["amazonOrderId"])
    if order is None or order.marketplace_id != markets[0]:
        raise not_found(f"Order {req.path_params['amazonOrderId']} not found")
    return order


def available_actions(order: ScenarioOrder) -> list[str]:
    """Which proactive messages Amazon would allow now for this order."""
    if order.status == "Canceled":
        return []
    actions = ["unexpectedProblem"]
    if order.status == "Unshipped":
        actions.append("confirmOrderDetails")
    return actions


def get_actions(sim: Simulator, req: Request) -> Response:
    order = _order(sim, req)
    base = f"/messaging/v1/orders/{order.order_id}"
    query = f"?marketplaceIds={order.marketplace_id}"
    links = []
    embedded = []
    for name in available_actions(order):
        href = f"{base}/messages/{name}{query}"
        links.append({"href": href, "name": name})
        embedded.append(
            {
                "_links": {
                    "self": {"href": href, "name": name},
                    "schema": {"href": f"{base}/messages/{name}/schema", "name": name},
                }
            }
        )
    body = {
        "_links": {"self": {"href": base + query}, "actions": links},
        "_embedded": {"actions": embedded},
    }
    return Response.json(200, body, {"Content-Type": "application/hal+json"})


def get_attributes(sim: Simulator, req: Request) -> Response:
    order = _order(sim, req)
    return Response.json(200, {"buyer": {"locale": order.buyer_locale}})


def _send(sim: Simulator, req: Request, action: str) -> Response:
    order = _order(sim, req)
    body = req.json_object()
    if set(body) - {"text"}:
        raise invalid_input("Unknown field(s) in request body")
    text = body.get("text")
    if not isinstance(text, str) or not 1 <= len(text) <= 2000:
        raise invalid_input("text must be a string of 1 to 2000 characters")
    if _HTML.search(text):
        raise invalid_input("text must not contain HTML")
    if _EMAIL.search(text):
        raise invalid_input("text must not contain email addresses")
    if action not in available_actions(order):
        raise ApiError(
            403, "Unauthorized", f"The {action} message is not available for this order."
        )
    sim.state.messages_sent.append(
        SentMessage(order.order_id, _ACTION_PATHS[action], text, iso(sim.clock.now()))
    )
    return Response.json(201, {})


def create_unexpected_problem(sim: Simulator, req: Request) -> Response:
    return _send(sim, req, "unexpectedProblem")


def create_confirm_order_details(sim: Simulator, req: Request) -> Response:
    return _send(sim, req, "confirmOrderDetails")


def register(router: Router) -> None:
    base = "/messaging/v1/orders/{amazonOrderId}"
    router.add("GET", base, get_actions, "messaging:getMessagingActionsForOrder")
    router.add("GET", f"{base}/attributes", get_attributes, "messaging:GetAttributes")
    router.add(
        "POST",
        f"{base}/messages/unexpectedProblem",
        create_unexpected_problem,
        "messaging:createUnexpectedProblem",
    )
    router.add(
        "POST",
        f"{base}/messages/confirmOrderDetails",
        create_confirm_order_details,
        "messaging:createConfirmOrderDetails",
    )
