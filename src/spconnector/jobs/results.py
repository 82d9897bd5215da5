"""What a step of Act reports, as enums the code asks questions of (`escalates`), not strings
checked against sets. The values are the strings handlers, logs and dashboards always saw."""

from __future__ import annotations

from enum import StrEnum


class ReplyStatus(StrEnum):
    """The outcome of answering the buyer (SES reply in the relay thread, or Messaging API)."""

    SENT = "sent"
    ALREADY_SENT = "already_sent"  # an earlier attempt sent it (outbox says so)
    LINT_FAILED = "lint_failed"  # the rendered reply broke the tone/compliance lint
    STATE_UNKNOWN = "state_unknown"  # a crash left the outbox "sending": it may have gone
    NO_SENDER = "no_sender"  # no approved sender address or no relay alias
    MAILBOX_UNUSABLE = "mailbox_unusable"  # the tenant's SMTP secret is missing or wrong
    NOT_OFFERED = "not_offered"  # the Messaging API offers no fitting message for the order
    REJECTED = "rejected"  # Amazon refused the Messaging API request (4xx)
    HELD = "held"  # not sent: the refund it announces was not made, a person answers
    NO_BUYER_MESSAGE = "no_buyer_message"  # return-only case: Amazon informs the buyer

    @property
    def escalates(self) -> bool:
        """A person must pick the case up (the step has already told them why)."""
        return self in _ESCALATES

    @property
    def reached_buyer(self) -> bool:
        return self in (ReplyStatus.SENT, ReplyStatus.ALREADY_SENT)


_ESCALATES = frozenset(
    {
        ReplyStatus.LINT_FAILED,
        ReplyStatus.STATE_UNKNOWN,
        ReplyStatus.NO_SENDER,
        ReplyStatus.MAILBOX_UNUSABLE,
        ReplyStatus.NOT_OFFERED,
        ReplyStatus.REJECTED,
    }
)


class RefundOutcome(StrEnum):
    """What Act did about the money: a refund's state in the ledger, or why none was made."""

    REFUSED = "refused"  # not recorded: a rule or an earlier refund of the order stands in the way
    AWAITING_RETURN = "awaiting_return"  # the item must come back first; a person refunds then
    # the refund's own state (refunds.model.RefundState), as recorded
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    CONFIRMED = "confirmed"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NEEDS_PERSON = "needs_person"

    @property
    def held(self) -> bool:
        """The buyer must not be told "refunded": a person takes the case."""
        return self in _HELD

    @property
    def issued(self) -> bool:
        """Approved for the next adjustment feed, or further: counted as refunded."""
        return self in (RefundOutcome.APPROVED, RefundOutcome.SUBMITTED, RefundOutcome.CONFIRMED)

    @property
    def awaits_approval(self) -> bool:
        return self is RefundOutcome.PROPOSED


_HELD = frozenset(
    {
        RefundOutcome.REFUSED,
        RefundOutcome.NEEDS_PERSON,
        RefundOutcome.FAILED,
        RefundOutcome.UNKNOWN,
    }
)
