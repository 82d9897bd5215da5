"""When Amazon's review request may go, and when ours does.

Amazon's rules (Solicitations API reference and use-case guide, checked November 2026):
- one request per order (the Seller Central "Request a Review" button counts too);
- only between 5 days after the earliest and 30 days after the latest delivery date;
- never selective: not only to buyers who were happy, never depending on a case's outcome
  (see `policy.schema.SolicitationExclusion`: an exclusion of that kind cannot be written).
We send on the policy's day after the latest delivery date, clamped into that window; a run
that missed the day (an outage) still sends while the window is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from spconnector.policy.schema import Solicitations

WINDOW_OPENS = timedelta(days=5)
WINDOW_CLOSES = timedelta(days=30)
# Orders older than this cannot be in the window any more (delivery promises are < 30 days).
LOOK_BACK = timedelta(days=75)

Verdict = Literal["send", "not_yet", "closed", "excluded", "no_delivery_dates", "not_delivered"]


@dataclass(frozen=True, slots=True)
class OrderDates:
    amazon_order_id: str
    fulfilled_by_amazon: bool
    earliest_delivery: datetime | None
    latest_delivery: datetime | None
    delivered: bool


@dataclass(frozen=True, slots=True)
class Plan:
    verdict: Verdict
    send_on: datetime | None = None
    closes: datetime | None = None


def plan(order: OrderDates, settings: Solicitations, now: datetime) -> Plan:
    if "fulfilled_by_amazon" in settings.exclude and order.fulfilled_by_amazon:
        return Plan("excluded")
    if "fulfilled_by_merchant" in settings.exclude and not order.fulfilled_by_amazon:
        return Plan("excluded")
    if order.earliest_delivery is None or order.latest_delivery is None:
        return Plan("no_delivery_dates")
    opens = order.earliest_delivery + WINDOW_OPENS
    closes = order.latest_delivery + WINDOW_CLOSES
    send_on = min(
        max(order.latest_delivery + timedelta(days=settings.day_after_delivery), opens), closes
    )
    if now > closes:
        return Plan("closed", send_on, closes)
    if now < send_on:
        return Plan("not_yet", send_on, closes)
    if not order.delivered:
        # Amazon counts from delivery: a package not delivered yet waits (the window may shut)
        return Plan("not_delivered", send_on, closes)
    return Plan("send", send_on, closes)
