"""Messaging calls: which actions an order allows, the buyer's locale, and the two messages.

Guarantees: a message body is exactly Amazon's model ({"text"}, 1–2000 characters, checked
before sending); a message is retried only when Amazon certainly did not receive it (429,
connection refused), so a buyer never gets the same message twice from a retry.
"""

from __future__ import annotations

from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.transport import SpTransport, quote

MESSAGE_MAX_CHARS = 2000  # createUnexpectedProblem / createConfirmOrderDetails: 1..2000


class MessagingCalls(SpTransport):
    def get_messaging_actions(self, order_id: str) -> list[str]:
        operation = "messaging:getMessagingActionsForOrder"
        response = self._send(
            lib.Messaging,
            operation,
            lambda c: c.get_messaging_actions_for_order(
                order_id, marketplaceIds=self.marketplace_id
            ),
        )
        parsed = self._parse(operation, m.GetMessagingActionsForOrderResponse, response.payload)
        return parsed.action_names()

    def get_buyer_locale(self, order_id: str) -> str | None:
        operation = "messaging:GetAttributes"
        response = self._send(
            lib.Messaging,
            operation,
            lambda c: c.get_attributes(order_id, marketplaceIds=self.marketplace_id),
        )
        parsed = self._parse(operation, m.GetAttributesResponse, response.payload)
        return parsed.buyer.locale if parsed.buyer else None

    def create_unexpected_problem(self, order_id: str, text: str) -> None:
        self._send_message("createUnexpectedProblem", "unexpectedProblem", order_id, text)

    def create_confirm_order_details(self, order_id: str, text: str) -> None:
        self._send_message("createConfirmOrderDetails", "confirmOrderDetails", order_id, text)

    def _send_message(self, operation_id: str, action: str, order_id: str, text: str) -> None:
        if not 1 <= len(text) <= MESSAGE_MAX_CHARS:
            raise ValueError(f"message text must be 1–{MESSAGE_MAX_CHARS} characters")
        path = f"/messaging/v1/orders/{quote(order_id)}/messages/{action}"
        # The library's create_* would add marketplaceIds to the body; the model has only text.
        self._send(
            lib.Messaging,
            f"messaging:{operation_id}",
            lambda c: c._request(
                path,
                params={"marketplaceIds": self.marketplace_id, "method": "POST"},
                data={"text": text},
                add_marketplace=False,
            ),
            idempotent=False,
        )
