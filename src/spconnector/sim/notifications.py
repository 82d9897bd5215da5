"""Notifications API v1: SQS destinations and subscriptions (what the sim would deliver is
recorded in state.notifications and handed to `on_notification` callbacks)."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from spconnector.sim.http import ApiError, Request, Response, Router, invalid_input, not_found

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

NOTIFICATION_TYPES = frozenset(
    {
        "REPORT_PROCESSING_FINISHED",
        "FEED_PROCESSING_FINISHED",
        "ORDER_CHANGE",
        "ANY_OFFER_CHANGED",
        "ACCOUNT_STATUS_CHANGED",
    }
)
_SQS_ARN = re.compile(r"^arn:aws:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$")


def create_destination(sim: Simulator, req: Request) -> Response:
    body = req.json_object()
    name = body.get("name")
    spec = body.get("resourceSpecification")
    if not isinstance(name, str) or not 1 <= len(name) <= 256:
        raise invalid_input("name is required (at most 256 characters)")
    if not isinstance(spec, dict) or not isinstance(spec.get("sqs"), dict):
        raise invalid_input("resourceSpecification.sqs is required")
    arn = spec["sqs"].get("arn")
    if not isinstance(arn, str) or not _SQS_ARN.match(arn):
        raise invalid_input("resourceSpecification.sqs.arn must be an SQS queue ARN")
    for existing in sim.state.destinations.values():
        if existing["resource"]["sqs"]["arn"] == arn:
            raise ApiError(409, "Conflict", "A destination for this resource already exists.")
    destination_id = str(uuid.UUID(int=sim.state.next_id() + (4 << 120)))
    destination: dict[str, Any] = {
        "name": name,
        "destinationId": destination_id,
        "resource": {"sqs": {"arn": arn}},
    }
    sim.state.destinations[destination_id] = destination
    return Response.json(200, {"payload": destination})


def get_destinations(sim: Simulator, req: Request) -> Response:
    return Response.json(200, {"payload": list(sim.state.destinations.values())})


def _notification_type(req: Request) -> str:
    kind = req.path_params["notificationType"]
    if kind not in NOTIFICATION_TYPES:
        raise invalid_input(f"Invalid notificationType: {kind}")
    return kind


def create_subscription(sim: Simulator, req: Request) -> Response:
    kind = _notification_type(req)
    body = req.json_object()
    destination_id = body.get("destinationId")
    payload_version = body.get("payloadVersion")
    if not isinstance(payload_version, str) or not payload_version:
        raise invalid_input("payloadVersion is required")
    if not isinstance(destination_id, str) or destination_id not in sim.state.destinations:
        raise invalid_input("destinationId does not name an existing destination")
    if kind in sim.state.subscriptions:
        raise ApiError(409, "Conflict", "A subscription for this notification type exists.")
    subscription: dict[str, Any] = {
        "subscriptionId": str(uuid.UUID(int=sim.state.next_id() + (5 << 120))),
        "payloadVersion": payload_version,
        "destinationId": destination_id,
    }
    if isinstance(body.get("processingDirective"), dict):
        subscription["processingDirective"] = body["processingDirective"]
    sim.state.subscriptions[kind] = subscription
    return Response.json(200, {"payload": subscription})


def get_subscription(sim: Simulator, req: Request) -> Response:
    kind = _notification_type(req)
    subscription = sim.state.subscriptions.get(kind)
    if subscription is None:
        raise not_found(f"No subscription for {kind}")
    return Response.json(200, {"payload": subscription})


def register(router: Router) -> None:
    router.add(
        "POST",
        "/notifications/v1/destinations",
        create_destination,
        "notifications:createDestination",
    )
    router.add(
        "GET", "/notifications/v1/destinations", get_destinations, "notifications:getDestinations"
    )
    router.add(
        "POST",
        "/notifications/v1/subscriptions/{notificationType}",
        create_subscription,
        "notifications:createSubscription",
    )
    router.add(
        "GET",
        "/notifications/v1/subscriptions/{notificationType}",
        get_subscription,
        "notifications:getSubscription",
    )
