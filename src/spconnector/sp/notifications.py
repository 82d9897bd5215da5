"""Notifications calls (destinations are grantless, subscriptions per seller).

Guarantees: creating a destination or a subscription is retried only when Amazon certainly
did not act (429, connection refused); bodies carry no marketplaceIds (the model has none);
a missing subscription is None, not an error.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.errors import NotFound
from spconnector.sp.transport import SpTransport, get_page, quote


class NotificationsCalls(SpTransport):
    def create_sqs_destination(self, arn: str, name: str) -> m.Destination:
        """createDestination (grantless) for an SQS queue."""
        operation = "notifications:createDestination"
        body = {"resourceSpecification": {"sqs": {"arn": arn}}, "name": name}

        def invoke(c: Any) -> Any:
            headers = lib.build_headers(c.endpoint, c.user_agent, c.grantless_auth.access_token)
            # Not _request_grantless_operation: that adds marketplaceIds to the body.
            return c._request(
                "/notifications/v1/destinations",
                params={"method": "POST"},
                data=dict(body),
                headers=headers,
                add_marketplace=False,
            )

        response = self._send(lib.Notifications, operation, invoke, idempotent=False)
        return self._parse(operation, m.Destination, response.payload)

    def get_destinations(self) -> list[m.Destination]:
        """getDestinations (grantless): every destination of the application."""
        operation = "notifications:getDestinations"

        def invoke(c: Any) -> Any:
            headers = lib.build_headers(c.endpoint, c.user_agent, c.grantless_auth.access_token)
            return c._request(
                "/notifications/v1/destinations", headers=headers, add_marketplace=False
            )

        response = self._send(lib.Notifications, operation, invoke)
        payload = response.payload if isinstance(response.payload, list) else []
        return [self._parse(operation, m.Destination, d) for d in payload]

    def get_subscription(
        self, notification_type: str, payload_version: str | None = None
    ) -> m.Subscription | None:
        """getSubscription for this seller; None when there is none (404)."""
        operation = "notifications:getSubscription"
        params = {"payloadVersion": payload_version} if payload_version else {}
        try:
            response = self._send(
                lib.Notifications,
                operation,
                partial(
                    get_page,
                    path=f"/notifications/v1/subscriptions/{quote(notification_type)}",
                    params=params,
                ),
            )
        except NotFound:
            return None
        return self._parse(operation, m.Subscription, response.payload)

    def create_subscription(
        self, notification_type: str, destination_id: str, payload_version: str = "1.0"
    ) -> m.Subscription:
        operation = "notifications:createSubscription"
        body = {"payloadVersion": payload_version, "destinationId": destination_id}
        response = self._send(
            lib.Notifications,
            operation,
            lambda c: c._request(
                f"/notifications/v1/subscriptions/{quote(notification_type)}",
                params={"method": "POST"},
                data=dict(body),
                add_marketplace=False,
            ),
            idempotent=False,
        )
        return self._parse(operation, m.Subscription, response.payload)
