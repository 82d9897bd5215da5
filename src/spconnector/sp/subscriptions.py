"""Idempotent setup of SP-API notifications to an SQS queue: one destination, our subscriptions.

Run it as often as you like: an existing destination for the queue and existing subscriptions
to it are reused, never duplicated. A subscription of one of our types to ANOTHER destination
is left alone and reported (deleting someone's subscription is not ours to decide).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spconnector.sp import models as m
from spconnector.sp.client import SpApi
from spconnector.sp.errors import ClientError

# Payload versions Amazon documents for each notification type we consume.
NOTIFICATION_PAYLOAD_VERSIONS: dict[str, str] = {
    "REPORT_PROCESSING_FINISHED": "2020-09-04",
    "FEED_PROCESSING_FINISHED": "2020-09-04",
    "ORDER_CHANGE": "1.0",
}

# Standard queues only: SP-API notifications cannot be delivered to FIFO queues.
_SQS_ARN = re.compile(r"^arn:aws(-[a-z]+)*:sqs:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,80}$")


def sqs_arn_problem(arn: str) -> str | None:
    """Why `arn` is not a usable queue ARN, or None when it is."""
    if arn.endswith(".fifo"):
        return "a FIFO queue; SP-API notifications need a standard SQS queue"
    if not _SQS_ARN.match(arn):
        return "not an SQS queue ARN (arn:aws:sqs:REGION:ACCOUNT_ID:QUEUE_NAME)"
    return None


@dataclass(frozen=True)
class SubscriptionOutcome:
    notification_type: str
    payload_version: str
    status: str  # "created" | "reused" | "elsewhere" (subscribed to another destination)
    subscription_id: str
    destination_id: str


@dataclass(frozen=True)
class SetupResult:
    destination_id: str
    destination_status: str  # "created" | "reused"
    queue_arn: str
    subscriptions: tuple[SubscriptionOutcome, ...]

    @property
    def conflicts(self) -> tuple[SubscriptionOutcome, ...]:
        return tuple(s for s in self.subscriptions if s.status == "elsewhere")


def _destination_for(api: SpApi, queue_arn: str) -> m.Destination | None:
    return next((d for d in api.get_destinations() if d.sqs_arn == queue_arn), None)


def ensure_destination(api: SpApi, queue_arn: str, name: str) -> tuple[m.Destination, str]:
    """The application's destination for the queue, created if there is none."""
    found = _destination_for(api, queue_arn)
    if found is not None:
        return found, "reused"
    try:
        return api.create_sqs_destination(queue_arn, name), "created"
    except ClientError as exc:
        if exc.status != 409:
            raise
        # Created meanwhile (another run, or a create whose answer we lost): find it.
        found = _destination_for(api, queue_arn)
        if found is None:
            raise
        return found, "reused"


def ensure_subscription(
    api: SpApi, notification_type: str, payload_version: str, destination_id: str
) -> SubscriptionOutcome:
    def outcome(sub: m.Subscription, status: str) -> SubscriptionOutcome:
        if sub.destinationId != destination_id:
            status = "elsewhere"
        return SubscriptionOutcome(
            notification_type, sub.payloadVersion, status, sub.subscriptionId, sub.destinationId
        )

    existing = api.get_subscription(notification_type, payload_version)
    if existing is not None:
        return outcome(existing, "reused")
    try:
        created = api.create_subscription(notification_type, destination_id, payload_version)
    except ClientError as exc:
        if exc.status != 409:
            raise
        existing = api.get_subscription(notification_type, payload_version)
        if existing is None:
            raise
        return outcome(existing, "reused")
    return outcome(created, "created")


def ensure_notifications(
    api: SpApi,
    queue_arn: str,
    *,
    destination_name: str,
    payload_versions: dict[str, str] | None = None,
) -> SetupResult:
    problem = sqs_arn_problem(queue_arn)
    if problem:
        raise ValueError(f"{queue_arn}: {problem}")
    destination, status = ensure_destination(api, queue_arn, destination_name)
    versions = payload_versions or NOTIFICATION_PAYLOAD_VERSIONS
    outcomes = tuple(
        ensure_subscription(api, kind, version, destination.destinationId)
        for kind, version in versions.items()
    )
    return SetupResult(destination.destinationId, status, queue_arn, outcomes)
