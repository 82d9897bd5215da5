"""Builders for policy test cases: one line per case in the tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from spconnector.policy import CaseInput

REPO = Path(__file__).resolve().parents[3]
DEFAULT_POLICY = REPO / "policies" / "default.yaml"
FIXTURES = REPO / "tests" / "fixtures" / "policy"
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def make_case(
    *,
    intent: str | None = "defective",
    price: str = "12.99",
    quantity: int = 1,
    sku: str = "GP-01",
    currency: str = "USD",
    marketplace: str = "ATVPDKIKX0DER",
    channel: str = "MFN",
    delivered_days_ago: int = 15,
    subject: str = "About my order",
    body: str = "Hello",
    message: bool = True,
    reason: str | None = None,
    return_quantity: int | None = None,
    a_to_z: bool = False,
    orders: int = 2,
    refunds: int = 0,
    order: bool = True,
    shipping: str | None = None,
    item: dict[str, Any] | None = None,
    extra_items: list[dict[str, Any]] | None = None,
    wants: str | None = None,
    signals: tuple[str, ...] = (),
) -> CaseInput:
    delivered = NOW - timedelta(days=delivered_days_ago)
    data: dict[str, Any] = {
        "tenant": "demo-us",
        "now": NOW.isoformat(),
        "buyer_history": {"orders_365d": orders, "refunds_365d": refunds},
    }
    if order:
        line = {
            "sku": sku,
            "quantity": quantity,
            "unit_price": {"amount": price, "currency": currency},
            **(item or {}),
        }
        data["order"] = {
            "amazon_order_id": "113-1234567-1234567",
            "marketplace_id": marketplace,
            "purchase_date": (delivered - timedelta(days=3)).isoformat(),
            "delivered_at": delivered.isoformat(),
            "fulfillment_channel": channel,
            "items": [line, *(extra_items or [])],
        }
        if shipping is not None:
            data["order"]["shipping_price"] = {"amount": shipping, "currency": currency}
    if message:
        data["message"] = {
            "subject": subject,
            "body": body,
            "received_at": (NOW - timedelta(hours=1)).isoformat(),
            "intent": intent,
            "message_id": "<m1@example.com>",
            "wants": wants,
            "signals": list(signals),
        }
    if reason is not None or a_to_z or return_quantity is not None:
        data["return_request"] = {
            "reason_code": reason,
            "in_policy": True,
            "quantity": return_quantity or 1,
            "a_to_z_claim": a_to_z,
            "request_date": (NOW - timedelta(hours=2)).isoformat(),
        }
    return CaseInput.model_validate(data)
