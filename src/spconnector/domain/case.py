"""A Case: everything about one (tenant, order) — its messages, returns, priority and clock."""

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.case_lifecycle import check_transition
from spconnector.domain.enums import CaseStatus, Intent, MessageKind, Priority
from spconnector.domain.models import AwareDatetime, BuyerMessage, ReturnRequest
from spconnector.domain.money import Money
from spconnector.domain.notices import AmazonNoticeFacts

# Amazon expects an answer within 24 hours, weekends and holidays included.
AMAZON_RESPONSE_WINDOW = timedelta(hours=24)

_URGENT_INTENTS = frozenset({Intent.ABUSIVE, Intent.NOT_RECEIVED})
_URGENT_KINDS = frozenset(
    {MessageKind.A_TO_Z_CLAIM, MessageKind.CHARGEBACK, MessageKind.FEEDBACK_NOTICE}
)
# Notices that only inform: they change what we know, not what needs answering.
INFORMATIONAL_KINDS = frozenset({MessageKind.REFUND_NOTICE, MessageKind.BUYER_OPT_OUT})


def priority_for(intent: Intent | None, kind: MessageKind | None) -> Priority:
    """Abusive, A-to-z and not-received are urgent; a pre-sale question is high (the first
    answer wins the sale), and so is Amazon's customer service writing for a buyer (it
    counts against the seller when unanswered); everything else is normal."""
    if kind in _URGENT_KINDS or intent in _URGENT_INTENTS:
        return Priority.URGENT
    if intent is Intent.PRODUCT_QUESTION or kind is MessageKind.CUSTOMER_SERVICE_CONTACT:
        return Priority.HIGH
    return Priority.NORMAL


# A message or return outside these years is a misread timestamp (a forged Date header, a
# typo in a case file), never a real one; near datetime's own edge a deadline overflows.
EARLIEST_RECEIVED = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_RECEIVED = datetime(2100, 1, 1, tzinfo=UTC)


class TimestampOutOfRange(ValueError):
    """A received_at (or request date) no real message or return can have."""


def check_received_at(received_at: datetime) -> datetime:
    """`received_at` itself if it lies in 2000–2100 (aware), else TimestampOutOfRange."""
    if received_at.tzinfo is None or not EARLIEST_RECEIVED <= received_at < LATEST_RECEIVED:
        raise TimestampOutOfRange(
            f"received_at {received_at.isoformat()} is outside {EARLIEST_RECEIVED.year}–"
            f"{LATEST_RECEIVED.year - 1} (a misread timestamp)"
        )
    return received_at


def respond_by(received_at: datetime, sla: timedelta | None = None) -> datetime:
    """The earlier of the policy's SLA and Amazon's 24 hours — calendar hours, weekends too.
    Raises TimestampOutOfRange for a received_at outside 2000–2100 (year 9999 overflowed)."""
    window = AMAZON_RESPONSE_WINDOW if sla is None else min(sla, AMAZON_RESPONSE_WINDOW)
    return check_received_at(received_at) + window


def case_id_for(tenant: str, amazon_order_id: str | None, message_id: str | None = None) -> str:
    """One case per (tenant, order); mail without an order id gets a case of its own."""
    if amazon_order_id:
        return f"{tenant}#order#{amazon_order_id}"
    if not message_id:
        raise ValueError("a case needs an order id or a message id")
    return f"{tenant}#msg#{message_id}"


class ExternalRefund(BaseModel):
    """A refund Amazon (or the seller in Seller Central) made, as its notice reported it."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    message_id: str  # the notice that reported it (idempotency)
    amount: Money | None  # None when the notice named no amount
    source: str = "amazon_notice"
    recorded_at: AwareDatetime


class Case(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    tenant: str
    case_id: str
    amazon_order_id: str | None
    status: CaseStatus = CaseStatus.OPEN
    priority: Priority = Priority.NORMAL
    opened_at: AwareDatetime
    respond_by: AwareDatetime
    message_ids: tuple[str, ...] = ()
    return_keys: tuple[str, ...] = ()
    # Returns (dedup keys) that a later report listed again saying Amazon paid: each is one
    # more input for the case to be decided on (Case.step), once.
    settled_return_keys: tuple[str, ...] = ()
    intents: tuple[Intent, ...] = ()
    kinds: tuple[MessageKind, ...] = ()
    quarantine_reason: str | None = None
    # Money already returned outside us: no automatic refund may follow (policy guard).
    external_refunds: tuple[ExternalRefund, ...] = ()
    # The buyer opted out of unsolicited messages: only replies in their thread may go out.
    buyer_opted_out: bool = False
    # Amazon notices (Message-IDs) that speak of a refund, a claim or a chargeback for this
    # order but could not be read as one: no automatic refund until a person has read them.
    unread_money_notices: tuple[str, ...] = ()
    version: int = Field(default=0, ge=0)  # optimistic-locking counter in the store

    @classmethod
    def open_for_message(
        cls,
        tenant: str,
        message: BuyerMessage,
        sla: timedelta | None = None,
        *,
        case_id: str | None = None,  # a thread's case (ingest), when not the message's own
    ) -> "Case":
        stated = getattr(message.facts, "respond_by", None)  # a claim's own deadline
        base = cls(
            tenant=tenant,
            case_id=case_id or case_id_for(tenant, message.amazon_order_id, message.message_id),
            amazon_order_id=message.amazon_order_id,
            opened_at=message.received_at,
            respond_by=stated or respond_by(message.received_at, sla),
        )
        return base.attach_message(message, sla)

    @classmethod
    def open_for_return(
        cls, tenant: str, ret: ReturnRequest, now: datetime, sla: timedelta | None = None
    ) -> "Case":
        opened = ret.request_date or now
        base = cls(
            tenant=tenant,
            case_id=case_id_for(tenant, ret.amazon_order_id),
            amazon_order_id=ret.amazon_order_id,
            opened_at=opened,
            respond_by=respond_by(opened, sla),
        )
        return base.attach_return(ret, now, sla)

    def attach_message(self, message: BuyerMessage, sla: timedelta | None = None) -> "Case":
        """Idempotent: the same Message-ID twice changes nothing."""
        if message.message_id in self.message_ids:
            return self
        new_priority = priority_for(message.intent, message.kind)
        deadline = respond_by(message.received_at, sla)
        stated = getattr(message.facts, "respond_by", None)
        if stated is not None:  # a claim's own deadline, as Amazon's notice states it
            deadline = stated
        update: dict[str, object] = {
            "message_ids": (*self.message_ids, message.message_id),
            "intents": (*self.intents, message.intent),
            "kinds": (*self.kinds, message.kind),
            "priority": _more_pressing(self.priority, new_priority),
            # a new message from the buyer needs its own answer: the clock restarts
            # unless an earlier deadline is still pending
            "respond_by": _next_deadline(self, deadline),
            "status": CaseStatus.OPEN if self.status.is_terminal else self.status,
        }
        if message.kind in INFORMATIONAL_KINDS:
            # nothing to answer: a closed case stays closed, its deadline stays
            update.pop("status")
            update.pop("respond_by")
            update["priority"] = self.priority
        if message.kind is MessageKind.REFUND_NOTICE:
            amount = getattr(message.facts, "amount", None)
            refund = ExternalRefund(
                message_id=message.message_id, amount=amount, recorded_at=message.received_at
            )
            update["external_refunds"] = (*self.external_refunds, refund)
        if message.kind is MessageKind.BUYER_OPT_OUT:
            update["buyer_opted_out"] = True
        if isinstance(message.facts, AmazonNoticeFacts) and message.facts.speaks_of:
            update["unread_money_notices"] = (*self.unread_money_notices, message.message_id)
        elif (
            message.kind is MessageKind.OTHER
            and message.forwarded is not None
            and message.forwarded.stops_money
            and self.amazon_order_id is not None
            and message.forwarded.order_id == self.amazon_order_id
        ):
            # A forwarded refund, claim, chargeback or cancellation of this order: it cannot be
            # authenticated, so it only stops our refunds until a person has read it.
            update["unread_money_notices"] = (*self.unread_money_notices, message.message_id)
        return self.model_copy(update=update)

    def attach_return(
        self, ret: ReturnRequest, now: datetime, sla: timedelta | None = None
    ) -> "Case":
        """Idempotent: the same RMA twice changes nothing."""
        if ret.dedup_key in self.return_keys:
            return self
        kind_priority = Priority.URGENT if ret.a_to_z_claim else Priority.NORMAL
        deadline = respond_by(ret.request_date or now, sla)
        return self.model_copy(
            update={
                "return_keys": (*self.return_keys, ret.dedup_key),
                "priority": _more_pressing(self.priority, kind_priority),
                "respond_by": _next_deadline(self, deadline),
                "status": CaseStatus.OPEN if self.status.is_terminal else self.status,
            }
        )

    def attach_settled_return(self, ret: ReturnRequest) -> "Case":
        """The case after a later listing of one of its returns said Amazon paid (the stored
        return was replaced, see ingest_returns): one more step, so it is decided again (the
        policy's return_settled_by_amazon guard). Idempotent per return; a closed case opens
        again, its deadline unchanged (Amazon's listing asks nothing of the buyer)."""
        if ret.dedup_key in self.settled_return_keys or ret.dedup_key not in self.return_keys:
            return self
        return self.model_copy(
            update={
                "settled_return_keys": (*self.settled_return_keys, ret.dedup_key),
                "status": CaseStatus.OPEN if self.status.is_terminal else self.status,
            }
        )

    @property
    def step(self) -> int:
        """How many inputs the case has had (messages, returns, later listings that said
        Amazon paid): a decision records the step it saw, and a case is decided again only
        when its step has grown (ProcessCase, SlaWatch)."""
        return len(self.message_ids) + len(self.return_keys) + len(self.settled_return_keys)

    def quarantine(self, reason: str) -> "Case":
        return self.model_copy(
            update={"status": CaseStatus.QUARANTINED, "quarantine_reason": reason}
        )

    def with_status(self, status: CaseStatus) -> "Case":
        """The case in `status`; IllegalCaseTransition for a move not in the life cycle."""
        check_transition(self.case_id, self.status, status)
        return self.model_copy(update={"status": status})

    @property
    def latest_intent(self) -> Intent | None:
        return self.intents[-1] if self.intents else None


def _more_pressing(a: Priority, b: Priority) -> Priority:
    return a if a.rank <= b.rank else b


def _next_deadline(case: Case, new_deadline: datetime) -> datetime:
    if case.status.is_terminal:
        return new_deadline
    return min(case.respond_by, new_deadline)
