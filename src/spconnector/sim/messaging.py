"""Messaging API v1: actions for an order, buyer attributes, and two proactive messages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spconnector.sim.actions import actions_response, path_order
from spconnector.sim.http import ApiError, Request, Response, Router, invalid_input
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


def available_actions(order: ScenarioOrder) -> list[str]:
    """Which proactive messages Amazon would allow now for this order."""
    if order.status == "Canceled":
        return []
    actions = ["unexpectedProblem"]
    if order.status == "Unshipped":
        actions.append("confirmOrderDetails")
    return actions


def get_actions(sim: Simulator, req: Request) -> Response:
    order = path_order(sim, req)
    base = f"/messaging/v1/orders/{order.order_id}"
    return actions_response(base, order.marketplace_id, "messages", available_actions(order))


def get_attributes(sim: Simulator, req: Request) -> Response:
    order = path_order(sim, req)
    return Response.json(200, {"buyer": {"locale": order.buyer_locale}})


def _send(sim: Simulator, req: Request, action: str) -> Response:
    order = path_order(sim, req)
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
