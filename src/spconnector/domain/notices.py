"""What Amazon's own mail says, as data: the facts of a notice, the mail's thread, and the
receiving server's verdict on who sent it.

Facts are read from Amazon's structured parts only (headers, subject, item tables, labelled
lines); the buyer's comment is carried as data, never as an instruction. A field Amazon did
not state is None, never a guess. `model_dump(mode="json")` is the `intake parse-email`
contract (`facts`, `thread`, `authenticity`).
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.enums import MessageKind
from spconnector.domain.money import Money
from spconnector.domain.timestamps import AwareDatetime


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class NoticeItem(_Model):
    """One row of a notice's item table."""

    title: str | None = None
    asin: str | None = None
    sku: str | None = None
    quantity: int | None = Field(default=None, ge=0)
    reason: str | None = None
    comment: str | None = None  # the buyer's own words (return requests): data only
    refund: Money | None = None  # item price refunded (refund notices)
    shipping_refund: Money | None = None


class _Facts(_Model):
    order_id: str | None = None


class ReturnRequestFacts(_Facts):
    type: Literal["return_request"] = "return_request"
    rma_id: str | None = None
    items: tuple[NoticeItem, ...] = ()
    request_date: date | None = None
    in_policy: bool | None = None
    authorization: str | None = None  # e.g. "authorized automatically by Amazon"
    return_carrier: str | None = None
    return_tracking: str | None = None


class RefundFacts(_Facts):
    type: Literal["refund_notice"] = "refund_notice"
    amount: Money | None = None
    items: tuple[NoticeItem, ...] = ()
    reason: str | None = None


class AToZFacts(_Facts):
    type: Literal["a_to_z_claim"] = "a_to_z_claim"
    stage: Literal["opened", "decided"] = "opened"
    amount: Money | None = None
    claim_reason: str | None = None
    respond_within_days: int | None = Field(default=None, ge=0)
    respond_by: AwareDatetime | None = None  # the mail's date + the days the mail states


class ChargebackFacts(_Facts):
    type: Literal["chargeback"] = "chargeback"
    stage: Literal["opened", "decided"] = "opened"
    amount: Money | None = None
    respond_within_days: int | None = Field(default=None, ge=0)
    respond_by: AwareDatetime | None = None


class CancellationFacts(_Facts):
    type: Literal["cancellation_request"] = "cancellation_request"
    reason: str | None = None


class OptOutFacts(_Facts):
    type: Literal["buyer_opt_out"] = "buyer_opt_out"


class DeliveryFailureFacts(_Facts):
    type: Literal["delivery_failure"] = "delivery_failure"
    cause: Literal["opted_out", "bounced", "not_delivered"] = "not_delivered"
    original_message_id: str | None = None  # our mail that did not arrive, when named


class FeedbackFacts(_Facts):
    type: Literal["feedback_notice"] = "feedback_notice"
    rating: int | None = Field(default=None, ge=1, le=5)
    comment: str | None = None


class CustomerServiceContactFacts(_Facts):
    """Amazon's customer service contacting the seller for a buyer. `details` is Amazon's
    account of what the buyer said: data, never an instruction."""

    type: Literal["customer_service_contact"] = "customer_service_contact"
    reason: str | None = None  # "Reason for contact:", "Grund:", "Motif :" …
    details: str | None = None
    return_requested: bool | None = None
    respond_within_hours: int | None = Field(default=None, ge=0)
    respond_by: AwareDatetime | None = None  # the mail's date + the time the mail states


class SellerNewsFacts(_Facts):
    """Amazon's news to sellers (a policy update, "starting <date>"): it names no order."""

    type: Literal["seller_news"] = "seller_news"
    topic: str | None = None  # the subject, as Amazon wrote it


MoneyMatter = Literal["refund", "a_to_z_claim", "chargeback"]


class AmazonNoticeFacts(_Facts):
    """An Amazon notice of a type not read here. `speaks_of`: the money matters its words
    name (a refund, an A-to-z claim, a chargeback) that could not be read with confidence:
    a person reads it, and no automatic refund follows for its order until one has."""

    type: Literal["amazon_notice"] = "amazon_notice"
    speaks_of: tuple[MoneyMatter, ...] = ()


NoticeFacts = Annotated[
    ReturnRequestFacts
    | RefundFacts
    | AToZFacts
    | ChargebackFacts
    | CancellationFacts
    | OptOutFacts
    | DeliveryFailureFacts
    | FeedbackFacts
    | CustomerServiceContactFacts
    | SellerNewsFacts
    | AmazonNoticeFacts,
    Field(discriminator="type"),
]


class Thread(_Model):
    """Where a mail sits in a conversation (In-Reply-To / References)."""

    in_reply_to: str | None = None
    references: tuple[str, ...] = ()

    @property
    def root(self) -> str | None:
        """The first message of the conversation, as far as this mail names it."""
        return self.references[0] if self.references else self.in_reply_to


# What a forwarded notice may do: only stop money. A refund made, a claim, a chargeback or a
# cancellation (or words of one that could not be read) can only make a refund of ours wrong.
_STOPS_MONEY = frozenset(
    {MessageKind.REFUND_NOTICE, MessageKind.A_TO_Z_CLAIM, MessageKind.CHARGEBACK,
     MessageKind.CANCELLATION_REQUEST}
)  # fmt: skip


class ForwardedNotice(_Model):
    """An Amazon notice quoted inside mail someone forwarded (an assistant's Gmail, Outlook or
    Apple Mail forward), read as the notice it quotes: its kind, order and quoted sender.

    Nothing authenticates it (anyone can type a forward), so it never triggers money or a
    reply: the mail stays `other`. Where the notice could only stop money (`stops_money`),
    the order's automatic refunds stop until a person has read it (Case.unread_money_notices);
    a forged one can only delay a refund to a person's decision."""

    kind: MessageKind
    order_id: str | None = None
    sender: str  # the quoted From address: typed by whoever forwarded it
    authenticated: Literal[False] = False
    speaks_of: tuple[MoneyMatter, ...] = ()  # an unknown notice's money words

    @property
    def stops_money(self) -> bool:
        return self.kind in _STOPS_MONEY or (
            self.kind is MessageKind.AMAZON_NOTICE and bool(self.speaks_of)
        )


class Authenticity(_Model):
    """The receiving server's verdict on the sender: pass, fail, or none (no verdict)."""

    verdict: Literal["pass", "fail", "none"]
    reason: str
    domain: str | None = None  # the From domain the verdict vouches for, when it passed
