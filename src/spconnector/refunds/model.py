"""Refunds as records with a closed life cycle, and the batches that carry them to Amazon.

A refund is keyed (tenant, amazon_order_id, adjustment_id). The adjustment id is derived
from (tenant, case_id, decision step), so the same decision can never produce two refunds,
however often it is delivered; it travels to Amazon as MerchantAdjustmentItemID.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.models import AwareDatetime, OrderId
from spconnector.domain.money import Money


class RefundState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    FAILED = "failed"  # no money moved: Amazon rejected it, or it was never sent in time
    UNKNOWN = "unknown"  # the money may have moved (FATAL, unreadable, no answer, duplicate)
    NEEDS_PERSON = "needs_person"

    @property
    def is_terminal(self) -> bool:
        return not TRANSITIONS[self]


# The one table of allowed moves. FAILED → APPROVED is a retry, which the use cases allow only
# when Amazon's processing report proves the adjustment was not applied and the error is
# retryable. SUBMITTED → APPROVED happens only when recovery proves the feed was never created.
# APPROVED → FAILED: not sent within its deadline (nothing reached Amazon). UNKNOWN is left
# only by a person, who says whether the money moved (CONFIRMED) or not (FAILED).
TRANSITIONS: dict[RefundState, frozenset[RefundState]] = {
    RefundState.PROPOSED: frozenset({RefundState.APPROVED, RefundState.NEEDS_PERSON}),
    RefundState.APPROVED: frozenset(
        {RefundState.SUBMITTED, RefundState.NEEDS_PERSON, RefundState.FAILED}
    ),
    RefundState.SUBMITTED: frozenset(
        {
            RefundState.CONFIRMED,
            RefundState.FAILED,
            RefundState.UNKNOWN,
            RefundState.NEEDS_PERSON,
            RefundState.APPROVED,
        }
    ),
    RefundState.FAILED: frozenset({RefundState.APPROVED}),
    RefundState.UNKNOWN: frozenset({RefundState.CONFIRMED, RefundState.FAILED}),
    RefundState.CONFIRMED: frozenset(),
    RefundState.NEEDS_PERSON: frozenset(),
}


class IllegalTransition(ValueError):
    """A move the life cycle does not allow."""


class AdjustmentReason(StrEnum):
    """Amazon's OrderAdjustment AdjustmentReason values that we send."""

    CUSTOMER_RETURN = "CustomerReturn"
    GENERAL_ADJUSTMENT = "GeneralAdjustment"
    NO_INVENTORY = "NoInventory"
    COULD_NOT_SHIP = "CouldNotShip"
    DIFFERENT_ITEM = "DifferentItem"
    CUSTOMER_CANCEL = "CustomerCancel"
    PRICE_ERROR = "PriceError"
    UNDELIVERABLE = "Undeliverable"
    OTHER = "Other"


# MerchantAdjustmentItemID is a normalizedString in Amazon's OrderAdjustment XSD; we keep it
# short (well under 40 characters) and plain ASCII [a-z0-9-] so no length or character rule
# of any XSD revision can reject it. 24 hex digits = 96 bits: collisions are not a concern.
ADJUSTMENT_ID_PREFIX = "spc-"
ADJUSTMENT_ID_HEX = 24
ADJUSTMENT_ID_PATTERN = r"^spc-[0-9a-f]{24}$"


def adjustment_id_for(tenant: str, case_id: str, decision_step: str) -> str:
    """The idempotency key of the refund a decision step asks for (deterministic)."""
    digest = hashlib.sha256(f"{tenant}\x1f{case_id}\x1f{decision_step}".encode()).hexdigest()
    return ADJUSTMENT_ID_PREFIX + digest[:ADJUSTMENT_ID_HEX]


def merchant_adjustment_item_id(adjustment_id: str, item_index: int) -> str:
    """One id per AdjustedItem: the refund's key plus the item's position (1-based)."""
    return f"{adjustment_id}-{item_index}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RefundItem(_Frozen):
    """What is refunded on one order item; amounts are totals for the item, not unit prices."""

    amazon_order_item_code: str = Field(min_length=1)
    principal: Money
    shipping: Money | None = None
    tax: Money | None = None

    @property
    def total(self) -> Money:
        total = self.principal
        for part in (self.shipping, self.tax):
            if part is not None:
                total = total + part
        return total


class Refund(_Frozen):
    tenant: str
    marketplace_id: str
    amazon_order_id: OrderId
    adjustment_id: str = Field(pattern=ADJUSTMENT_ID_PATTERN)
    case_id: str
    decision_step: str
    fulfillment: FulfillmentChannel
    items: tuple[RefundItem, ...] = Field(min_length=1)
    reason: AdjustmentReason
    state: RefundState = RefundState.PROPOSED
    version: int = Field(default=0, ge=0)  # compare-and-set counter in the ledger
    created_at: AwareDatetime
    updated_at: AwareDatetime
    approved_by: str | None = None
    batch_id: str | None = None
    message_id: int | None = None
    feed_id: str | None = None
    amazon_reason: str | None = None  # Amazon's words from the processing report
    failure: str | None = None  # our reason for failed / needs_person
    person_task: str | None = None  # instructions for a person when we cannot act
    attempts: int = Field(default=0, ge=0)  # feeds this refund was sent in
    # a person was told that this refund is not confirmed (failed or unknown), and when
    escalated_at: AwareDatetime | None = None
    resolved_by: str | None = None  # who settled an unknown outcome
    # when its amount was reserved against the day's and month's refund budgets (None: it
    # never was); a final refund that moved no money gives it back to those periods, once
    reserved_at: AwareDatetime | None = None
    budget_returned_at: AwareDatetime | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.tenant, self.amazon_order_id, self.adjustment_id)

    @property
    def currency(self) -> str:
        return self.items[0].principal.currency

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for item in self.items:
            total = total + item.total
        return total

    def advance(self, to: RefundState, now: datetime, **changes: object) -> Refund:
        """The same refund in state `to`; raises IllegalTransition for a move not in the table."""
        if to not in TRANSITIONS[self.state]:
            raise IllegalTransition(f"refund {self.adjustment_id}: {self.state} → {to}")
        update: dict[str, object] = {"state": to, "updated_at": now, **changes}
        return self.model_copy(update=update)


class BatchStatus(StrEnum):
    SUBMITTING = "submitting"  # written before createFeed; no feed id yet
    SUBMITTED = "submitted"  # createFeed answered (or recovery adopted a feed)
    DONE = "done"  # the processing report was applied to every member
    # no feed was created: no member left to send, or past its deadline (members failed)
    ABANDONED = "abandoned"


class BatchMember(_Frozen):
    amazon_order_id: str
    adjustment_id: str
    message_id: int = Field(ge=1)


class RefundBatch(_Frozen):
    """One POST_PAYMENT_ADJUSTMENT_DATA feed: one OrderAdjustment message per member."""

    tenant: str
    marketplace_id: str
    batch_id: str
    members: tuple[BatchMember, ...]
    status: BatchStatus = BatchStatus.SUBMITTING
    version: int = Field(default=0, ge=0)
    marked_at: AwareDatetime  # the "submitting" mark: no feed of ours predates it
    # the first mark, which a re-send does not move: the deadline to reach Amazon counts
    # from here (None on batches written before it was kept: marked_at stands in)
    opened_at: AwareDatetime | None = None
    owner: str  # the lease owner that wrote the mark
    # set just before createFeed is called: a batch without it never reached Amazon
    create_feed_at: AwareDatetime | None = None
    feed_id: str | None = None
    document_id: str | None = None
    submitted_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None
    note: str | None = None
    # set (a compare-and-set, so a stale sender's createFeed mark loses) when the batch
    # missed its deadline: it is never sent again, only wound up
    expired_at: AwareDatetime | None = None

    def member_for(self, message_id: int) -> BatchMember | None:
        return next((m for m in self.members if m.message_id == message_id), None)
