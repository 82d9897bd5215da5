"""The closed vocabularies shared by intake, policy, actions and impact."""

from __future__ import annotations

from enum import StrEnum


class Intent(StrEnum):
    """What the buyer wants or reports; the intake classifier assigns one."""

    DEFECTIVE = "defective"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"
    WRONG_ITEM = "wrong_item"
    SIZE_FIT = "size_fit"
    NOT_AS_DESCRIBED = "not_as_described"
    NOT_RECEIVED = "not_received"
    RETURN_REQUEST = "return_request"
    CANCEL_REQUEST = "cancel_request"
    PRODUCT_QUESTION = "product_question"
    FEEDBACK = "feedback"
    ABUSIVE = "abusive"
    OTHER = "other"


class MessageKind(StrEnum):
    """What kind of mail reached the mailbox: a buyer's own message, one of Amazon's notices
    (read from Amazon's signals: X-Space-Notification-Type, the sender, the subject), or
    mail not from Amazon at all (`other`)."""

    BUYER_MESSAGE = "buyer_message"
    RETURN_REQUEST = "return_request"
    REFUND_NOTICE = "refund_notice"
    A_TO_Z_CLAIM = "a_to_z_claim"
    CHARGEBACK = "chargeback"
    CANCELLATION_REQUEST = "cancellation_request"
    BUYER_OPT_OUT = "buyer_opt_out"
    DELIVERY_FAILURE = "delivery_failure"  # our reply bounced / "could not be delivered"
    FEEDBACK_NOTICE = "feedback_notice"
    # Amazon's customer service writing for a buyer ("contacted by a customer … Reason …"):
    # a person answers it in Seller Central, never an automatic refund or reply
    CUSTOMER_SERVICE_CONTACT = "customer_service_contact"
    SELLER_NEWS = "seller_news"  # Amazon's news or policy update to sellers: about no order
    AMAZON_NOTICE = "amazon_notice"  # from Amazon, of a type not known here: kept, never decided
    OTHER = "other"

    @property
    def is_notice(self) -> bool:
        """Amazon wrote it, not the buyer: it informs, it never asks for money."""
        return self not in (MessageKind.BUYER_MESSAGE, MessageKind.OTHER)

    @property
    def buyer_raised(self) -> bool:
        """A buyer's own request, which the relay may carry from the buyer's alias (a message,
        a return or a cancellation the buyer asked for): the alias is the party to answer.
        Every other notice is Amazon's own and names no buyer, even when relay mail carries it."""
        return self in (
            MessageKind.BUYER_MESSAGE,
            MessageKind.RETURN_REQUEST,
            MessageKind.CANCELLATION_REQUEST,
        )


class Action(StrEnum):
    """What a decision says to do."""

    REFUND_WITHOUT_RETURN = "refund_without_return"
    REFUND_ON_RETURN = "refund_on_return"
    REPLACE = "replace"
    REQUEST_INFO = "request_info"
    EDUCATE = "educate"
    DECLINE = "decline"
    ESCALATE_OWNER = "escalate_owner"
    ESCALATE_REVIEW = "escalate_review"
    ACKNOWLEDGE = "acknowledge"

    @property
    def moves_money(self) -> bool:
        return self in (Action.REFUND_WITHOUT_RETURN, Action.REFUND_ON_RETURN)


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 is the most pressing."""
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Mode(StrEnum):
    """Per tenant: what happens to a decision."""

    SHADOW = "shadow"  # decide and log only
    APPROVE = "approve"  # a person approves each action
    LIVE = "live"  # act alone within autonomy limits and budgets


class FulfillmentChannel(StrEnum):
    MFN = "MFN"  # merchant-fulfilled
    FBA = "FBA"  # fulfilled by Amazon (AFN in Amazon's order payloads)


class CaseStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"
    AWAITING_APPROVAL = "awaiting_approval"
    ANSWERED = "answered"
    REFUNDED = "refunded"
    ESCALATED = "escalated"
    QUARANTINED = "quarantined"
    CLOSED = "closed"

    @property
    def is_terminal(self) -> bool:
        return self in _TERMINAL


_TERMINAL = frozenset(
    {
        CaseStatus.ANSWERED,
        CaseStatus.REFUNDED,
        CaseStatus.ESCALATED,
        CaseStatus.QUARANTINED,
        CaseStatus.CLOSED,
    }
)
