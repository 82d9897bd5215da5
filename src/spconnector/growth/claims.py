"""A-to-z Guarantee claims: the claim record, its escalation times, and the evidence pack.

No API reads or answers an A-to-z claim: a person answers in Seller Central before the
deadline Amazon's mail states (Amazon's default: 3 calendar days). We keep the record, warn
before the deadline, and prepare what the person pastes: order and delivery facts, the
message thread with timestamps, our replies, refunds with their feed confirmations, and the
decision with its explanation.

Buyer PII stays out beyond what the claim needs: no name, no relay alias, no address; the
buyer's words are kept (they are the claim's substance) with emails, links and long numbers
blotted out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from spconnector.domain.models import AwareDatetime
from spconnector.domain.money import Money

CLAIM_WINDOW = timedelta(days=3)  # Amazon's default when the mail gives no date
# Reminders before the deadline, each sent once.
WARN_BEFORE: tuple[timedelta, ...] = (timedelta(hours=48), timedelta(hours=24), timedelta(hours=6))
Outcome = Literal["granted", "denied", "withdrawn"]
OUTCOMES: tuple[Outcome, ...] = ("granted", "denied", "withdrawn")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_LONG_NUMBER = re.compile(r"\+?\d[\d\s().\-/]{5,}\d")
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")


class AToZClaim(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str
    amazon_order_id: str
    case_id: str
    opened_at: AwareDatetime
    respond_by: AwareDatetime
    deadline_source: Literal["mail", "default"]
    amount: Money | None = None
    claim_reason: str | None = None
    outcome: Outcome | None = None
    outcome_at: AwareDatetime | None = None


def claim_deadline(
    received_at: datetime, stated: datetime | None
) -> tuple[datetime, Literal["mail", "default"]]:
    if stated is not None:
        return stated, "mail"
    return received_at + CLAIM_WINDOW, "default"


def due_warnings(claim: AToZClaim, now: datetime) -> list[timedelta]:
    """The reminders whose time has come (the caller sends each once)."""
    if claim.outcome is not None:
        return []
    left = claim.respond_by - now
    return [w for w in WARN_BEFORE if left <= w]


def blot(text: str, names: tuple[str | None, ...] = ()) -> str:
    """The buyer's words without contact details, long numbers (order ids stay) or the
    buyer's name (a signature)."""

    def number(match: re.Match[str]) -> str:
        return match.group(0) if _ORDER_ID.match(match.group(0)) else "[…]"

    out = _EMAIL.sub("[…]", text)
    out = _URL.sub("[…]", out)
    out = _LONG_NUMBER.sub(number, out)
    for name in names:
        for part in (name or "").split():
            if len(part) >= 2:
                out = re.sub(rf"\b{re.escape(part)}\b", "[…]", out, flags=re.IGNORECASE)
    return out


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    at: datetime
    who: Literal["buyer", "amazon", "us"]
    what: str  # the kind of message, or our reply's template
    text: str = ""


@dataclass(frozen=True, slots=True)
class RefundLine:
    adjustment_id: str
    state: str
    amount: Money
    feed_id: str | None
    confirmed: bool
    amazon_reason: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OrderFacts:
    amazon_order_id: str
    purchase_date: datetime | None
    fulfillment_channel: str | None
    order_status: str | None
    delivered_at: datetime | None
    items: tuple[str, ...]  # "2 × SKU — title at 12.99 USD"


@dataclass(frozen=True, slots=True)
class EvidencePack:
    claim: AToZClaim
    order: OrderFacts | None
    thread: tuple[ThreadEntry, ...]
    refunds: tuple[RefundLine, ...]
    decision: str | None  # the latest decision's action and explanation
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "claim": self.claim.model_dump(mode="json"),
            "order": None
            if self.order is None
            else {
                "amazon_order_id": self.order.amazon_order_id,
                "purchase_date": _iso(self.order.purchase_date),
                "fulfillment_channel": self.order.fulfillment_channel,
                "order_status": self.order.order_status,
                "delivered_at": _iso(self.order.delivered_at),
                "items": list(self.order.items),
            },
            "thread": [
                {"at": _iso(t.at), "who": t.who, "what": t.what, "text": t.text}
                for t in self.thread
            ],
            "refunds": [
                {
                    "adjustment_id": r.adjustment_id,
                    "state": r.state,
                    "amount": str(r.amount),
                    "feed_id": r.feed_id,
                    "confirmed": r.confirmed,
                    "amazon_reason": r.amazon_reason,
                    "updated_at": _iso(r.updated_at),
                }
                for r in self.refunds
            ],
            "decision": self.decision,
            "notes": list(self.notes),
            "text": self.text(),
        }

    def text(self) -> str:
        """Plain text to paste into Seller Central's claim response."""
        c = self.claim
        source = "stated in Amazon's mail" if c.deadline_source == "mail" else "default, 3 days"
        lines = [
            f"A-to-z claim, order {c.amazon_order_id}",
            f"Respond by: {_when(c.respond_by)} UTC ({source})",
        ]
        if c.amount is not None:
            lines.append(f"Claimed: {c.amount}")
        if c.claim_reason:
            lines.append(f"Claim reason: {c.claim_reason}")
        lines.append("")
        lines.append("Order and delivery")
        if self.order is None:
            lines.append("- order details could not be read")
        else:
            o = self.order
            lines += [
                f"- purchased {_when(o.purchase_date)}, fulfilled by "
                f"{'Amazon (FBA)' if o.fulfillment_channel == 'FBA' else 'the seller'}",
                f"- status {o.order_status or 'unknown'}; delivered "
                f"{_when(o.delivered_at) if o.delivered_at else 'not confirmed'}",
                *(f"- {item}" for item in o.items),
            ]
        lines += ["", "Messages (UTC)"]
        lines += [f"- {_when(t.at)} {t.who}: {t.what}" + (f" — {t.text}" if t.text else "")
                  for t in self.thread] or ["- none"]  # fmt: skip
        lines += ["", "Refunds"]
        lines += [_refund_line(r) for r in self.refunds] or ["- none"]
        if self.decision:
            lines += ["", f"Our decision: {self.decision}"]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)


def _refund_line(r: RefundLine) -> str:
    confirmed = f", confirmed by Amazon in feed {r.feed_id}" if r.confirmed and r.feed_id else ""
    return f"- {_when(r.updated_at)} refund {r.amount} ({r.state}{confirmed})"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value is not None else "unknown"
