"""Orders, buyer messages, return requests and buyer history — what a case is made of.

Field names follow the CLI contracts in DESIGN.md and the intake/policy issues, so that
`model_dump(mode="json")` is the contract output.
"""

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.enums import FulfillmentChannel, Intent, MessageKind
from spconnector.domain.money import Amount, Money
from spconnector.domain.timestamps import AwareDatetime as AwareDatetime  # re-exported
from spconnector.domain.understanding import Understanding

ORDER_ID_PATTERN = r"^\d{3}-\d{7}-\d{7}$"


OrderId = Annotated[str, Field(pattern=ORDER_ID_PATTERN)]
_LETTERS = re.compile(r"[^a-z]")
A_TO_Z_OPEN = "an A-to-z Guarantee claim is open on this return: Amazon decides the refund"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class _BuiltAtImport(BaseModel):
    # Nested in other models and read on its own too (the order mirror, CaseInput): built
    # once here, every model that nests it reuses this schema instead of rebuilding a copy.
    model_config = ConfigDict(frozen=True, extra="forbid")


class OrderItem(_BuiltAtImport):
    sku: str
    order_item_id: str | None = None  # Amazon's OrderItemId: AmazonOrderItemCode in refunds
    asin: str | None = None
    title: str | None = None
    quantity: int = Field(ge=1)
    unit_price: Money
    # Optional overrides of the policy catalog for this SKU.
    category: str | None = None
    flags: tuple[str, ...] = ()
    unit_cost: Money | None = None
    return_shipping_cost: Money | None = None
    warranty_days: int | None = Field(default=None, ge=0)

    @property
    def line_total(self) -> Money:
        return self.unit_price * self.quantity


class Order(_BuiltAtImport):
    amazon_order_id: OrderId
    marketplace_id: str
    purchase_date: AwareDatetime
    delivered_at: AwareDatetime | None = None
    fulfillment_channel: FulfillmentChannel
    items: tuple[OrderItem, ...] = Field(min_length=1)
    shipping_price: Money | None = None
    order_status: str | None = None

    @property
    def currency(self) -> str:
        return self.items[0].unit_price.currency

    @property
    def items_total(self) -> Money:
        total = Money.zero(self.currency)
        for item in self.items:
            total = total + item.line_total
        return total

    @property
    def charged_total(self) -> Money:
        """What the buyer paid: items plus shipping. A refund can never exceed it."""
        if self.shipping_price is None:
            return self.items_total
        return self.items_total + self.shipping_price

    def item(self, sku: str) -> "OrderItem | None":
        return next((i for i in self.items if i.sku == sku), None)


class Attachment(_Model):
    filename: str
    content_type: str
    size: int = Field(ge=0)
    s3_key: str | None = None


class BuyerMessage(_Model):
    """One mail from Amazon's buyer-message relay (or any mail that reached the mailbox)."""

    amazon_order_id: OrderId | None
    buyer_address: str | None  # the anonymized relay alias — PII, never logged
    buyer_name: str | None  # PII
    marketplace: str | None  # relay domain: amazon.com, amazon.de, …
    subject: str
    kind: MessageKind
    intent: Intent
    intent_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    intent_evidence: tuple[str, ...] = ()
    understanding: Understanding | None = None  # wants, signals, model version
    language: str
    body: str  # the buyer's own words: data, never template source
    attachments: tuple[Attachment, ...] = ()
    message_id: str
    in_reply_to: str | None = None
    received_at: AwareDatetime
    # Amazon's own signals (see domain/notices.py); absent on records made before them.
    notification_type: str | None = None  # X-Space-Notification-Type, as Amazon wrote it
    marketplace_id: str | None = None
    facts: "NoticeFacts | None" = None
    thread: "Thread | None" = None
    authenticity: "Authenticity | None" = None
    # an Amazon notice quoted in mail that is not Amazon's (`other`): a guard, never a trigger
    forwarded: "ForwardedNotice | None" = None


class ReturnRequest(_Model):
    """One row of a returns report, normalized across MFN and FBA report layouts."""

    amazon_order_id: OrderId
    rma_id: str | None = None
    asin: str | None = None
    sku: str | None = None
    quantity: int = Field(default=1, ge=1)
    reason_code: str | None = None
    in_policy: bool | None = None
    resolution: str | None = None
    return_type: str | None = None
    request_date: AwareDatetime | None = None
    order_amount: Money | None = None
    refunded_amount: Money | None = None
    label_cost: Money | None = None
    label_paid_by: str | None = None
    a_to_z_claim: bool | None = None
    safet_claim_id: str | None = None  # the seller already claimed this return's money
    license_plate: str | None = None  # FBA: the returned unit's license plate (one per unit)
    fulfillment: FulfillmentChannel

    @property
    def settled_by_amazon(self) -> str | None:
        """Why Amazon, not us, pays (or has paid) this return's refund; None if nothing says so.

        The one place that reads a report row's money facts: any of them means a refund of
        ours would be a second refund, so the policy refunds nothing (engine guard)."""
        if self.refunded_amount is not None and self.refunded_amount.amount > 0:
            paid = self.refunded_amount
            # (in the MFN report the seller's own refunds show here too: a second one either way)
            return f"the returns report shows {paid.amount} {paid.currency} already refunded"
        if self.a_to_z_claim:
            return A_TO_Z_OPEN
        if self.safet_claim_id:
            return "a SafeT claim was filed for this return: the buyer was already refunded"
        resolution = _LETTERS.sub("", (self.resolution or "").lower())
        if "returnless" in resolution:
            return "a returnless refund: Amazon refunds the buyer itself"
        if "firstscan" in resolution:
            return "refund at first scan: Amazon refunds the buyer itself"
        return None

    def settles(self, earlier: "ReturnRequest") -> bool:
        """True when this listing of a return says Amazon paid and the `earlier` listing of
        the same return did not: the one rule by which a later listing replaces an earlier
        one (within a report, and against the stored return at ingest). Never the other way:
        a listing without the money fact never hides one that has it."""
        return bool(self.settled_by_amazon) and not earlier.settled_by_amazon

    @property
    def dedup_key(self) -> str:
        """Same RMA (or FBA license plate; lacking both, same order/SKU/date) is the same return.

        FBA lists one row per returned unit, each with its own license plate: two units of one
        order and SKU processed the same day are two returns, not one."""
        if self.rma_id:
            return f"rma#{self.rma_id}"
        if self.license_plate:
            return f"lpn#{self.license_plate}"
        date = self.request_date.date().isoformat() if self.request_date else "-"
        return f"ret#{self.amazon_order_id}#{self.sku or '-'}#{date}"


class BuyerHistory(_Model):
    orders_365d: int = Field(default=0, ge=0)
    refunds_365d: int = Field(default=0, ge=0)
    refund_amount_365d: Money | None = None


class RefundSpec(_Model):
    amount: Amount
    currency: str
    requires_return: bool

    @property
    def money(self) -> Money:
        return Money(amount=self.amount, currency=self.currency)


# BuyerMessage's facts, thread and authenticity: resolved from here when it is first built
from spconnector.domain.notices import (  # noqa: E402
    Authenticity,
    ForwardedNotice,
    NoticeFacts,
    Thread,
)
