"""Amazon's notices are routed by their type, never decided by the refund policy.

Guarantees:
- No notice ever yields an action that moves money: every Decision built here is an
  acknowledgement without reply or a task for a person.
- A refund notice is recorded on the case (Case.external_refunds, at ingest); it needs a
  person when a refund of ours was also decided for the order (a double refund to check) or
  when it names no order we could read (it then guards none); otherwise it closes nothing
  that was open and answers nothing.
- An opt-out marks the case (Case.buyer_opted_out, at ingest) and decides nothing.
- An A-to-z claim or a chargeback is an urgent task with the deadline Amazon's mail states;
  Amazon's customer service writing for a buyer is a high-priority task with the deadline it
  states (24 hours when it states none); seller news (it names no order) a low-priority note;
  a cancellation request is a task to cancel before shipment; a bounce of our reply is a task
  to answer another way; a return request, a feedback notice or an unknown Amazon notice is
  a task for a person to read — a high-priority one when its words speak of a refund, a
  claim or a chargeback that intake could not read as one. Nothing is dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from spconnector.domain import Action, BuyerMessage, Case, Decision, MessageKind, Order, Priority
from spconnector.domain.case import AMAZON_RESPONSE_WINDOW, INFORMATIONAL_KINDS
from spconnector.domain.decision import NOTICE_RULE_PREFIX
from spconnector.domain.notices import (
    AToZFacts,
    ChargebackFacts,
    CustomerServiceContactFacts,
    FeedbackFacts,
    RefundFacts,
    ReturnRequestFacts,
)

# Amazon's copies of what the seller sent in Seller Central: nothing to do.
_COPIES = frozenset({"BBC_MESSAGE_CONFIRMATION_TO_MERCHANT"})
NOTICE_POLICY = "notice-routing/1"  # not a tenant policy: Decision.policy_version says so


def route(
    case: Case,
    notice: BuyerMessage,
    order: Order | None,
    previous: list[Decision],
    now: datetime,
) -> Decision:
    """The decision for one notice (the case's newest input)."""
    kind = notice.kind
    if kind is MessageKind.REFUND_NOTICE:
        if not case.amazon_order_id:
            # Recorded on no order, it guards no order: a person finds which one was refunded.
            return _task(
                case, notice, now, Priority.HIGH, notice.received_at + AMAZON_RESPONSE_WINDOW,
                f"Amazon refunded an order{_amount(notice)}, but the notice names none we could "
                "read: find the order and mark it refunded (refunds mark-external) before any "
                "refund of ours",
            )  # fmt: skip
        ours = [d for d in previous if d.action.moves_money]
        if ours:
            return _task(
                case, notice, now, Priority.URGENT, now + timedelta(hours=4),
                f"Amazon refunded order {case.amazon_order_id}{_amount(notice)} and a refund "
                "of ours was also decided: check for a double refund before anything is sent",
            )  # fmt: skip
        return _noted(case, notice, now, f"Amazon refunded this order{_amount(notice)}")
    if kind is MessageKind.BUYER_OPT_OUT:
        return _noted(
            case, notice, now,
            "the buyer opted out of unsolicited messages: only replies in their thread",
        )  # fmt: skip
    if kind in (MessageKind.A_TO_Z_CLAIM, MessageKind.CHARGEBACK):
        facts = notice.facts
        assert facts is None or isinstance(facts, (AToZFacts, ChargebackFacts))
        name = "A-to-z claim" if kind is MessageKind.A_TO_Z_CLAIM else "chargeback"
        deadline = (facts.respond_by if facts else None) or notice.received_at + (
            AMAZON_RESPONSE_WINDOW
        )
        if facts is not None and facts.stage == "decided":
            return _task(
                case, notice, now, Priority.HIGH, deadline,
                f"{name} decided by Amazon for order {case.amazon_order_id}: review the outcome",
            )  # fmt: skip
        return _task(
            case, notice, now, Priority.URGENT, deadline,
            f"task: answer the {name} for order {case.amazon_order_id} in Seller Central "
            "before the deadline Amazon's mail states (respond_by)",
        )  # fmt: skip
    if kind is MessageKind.CANCELLATION_REQUEST:
        status = (order.order_status or "unknown") if order is not None else "unknown"
        return _task(
            case, notice, now, Priority.HIGH, notice.received_at + AMAZON_RESPONSE_WINDOW,
            f"task: the buyer asked to cancel order {case.amazon_order_id} (status {status}): "
            "cancel it in Seller Central if not shipped (reason: buyer canceled), else ask the "
            "buyer to refuse the delivery or return it; refund only what Amazon has not",
        )  # fmt: skip
    if kind is MessageKind.CUSTOMER_SERVICE_CONTACT:
        facts = notice.facts
        assert facts is None or isinstance(facts, CustomerServiceContactFacts)
        deadline = (facts.respond_by if facts else None) or notice.received_at + (
            AMAZON_RESPONSE_WINDOW
        )
        about = f"order {case.amazon_order_id}" if case.amazon_order_id else "a buyer (no order)"
        reason = f" (reason: {facts.reason[:120]})" if facts and facts.reason else ""
        return _task(
            case, notice, now, Priority.HIGH, deadline,
            f"Amazon customer service wrote for the buyer about {about}{reason}: answer it in "
            "Seller Central before the deadline the mail states (respond_by); not the buyer's "
            "own message, so no automatic refund or reply",
        )  # fmt: skip
    if kind is MessageKind.SELLER_NEWS:
        # A low-priority note rather than a silent close: it names no order, so it is no
        # claim or refund of this seller's, but a claim whose order we could not read must
        # still reach a person's eyes.
        return _task(
            case, notice, now, Priority.LOW, notice.received_at + timedelta(days=7),
            "Amazon seller news (names no order: no claim or refund of yours): read it when "
            "convenient, nothing to answer",
        )  # fmt: skip
    if kind is MessageKind.DELIVERY_FAILURE:
        return _task(
            case, notice, now, Priority.HIGH, notice.received_at + AMAZON_RESPONSE_WINDOW,
            "our message did not reach the buyer: answer in Seller Central's messaging",
        )  # fmt: skip
    if kind is MessageKind.RETURN_REQUEST:
        return _task(
            case, notice, now, Priority.NORMAL, notice.received_at + AMAZON_RESPONSE_WINDOW,
            f"return requested{_return_summary(notice)}: refunds follow the returns report",
        )  # fmt: skip
    if kind is MessageKind.FEEDBACK_NOTICE:
        facts = notice.facts
        rating = facts.rating if isinstance(facts, FeedbackFacts) else None
        if rating is not None and rating >= 4:
            return _noted(case, notice, now, f"feedback received: {rating} of 5")
        return _task(
            case, notice, now, Priority.HIGH, notice.received_at + AMAZON_RESPONSE_WINDOW,
            f"feedback received ({rating or '?'} of 5): read it and answer if it helps",
        )  # fmt: skip
    if (notice.notification_type or "").upper() in _COPIES:
        return _noted(case, notice, now, "Amazon's copy of a message sent from Seller Central")
    speaks_of = getattr(notice.facts, "speaks_of", ())
    if speaks_of:
        # Read as none of them, yet its words name a refund, a claim or a chargeback: money may
        # have moved or a deadline may run, so a person reads it soon, and no automatic refund
        # follows for the order meanwhile (Case.unread_money_notices, the policy's money stop).
        about = (
            f"order {case.amazon_order_id}" if case.amazon_order_id else "no order we could read"
        )
        named = ", ".join(_MATTERS[m] for m in speaks_of)
        return _task(
            case, notice, now, Priority.HIGH, notice.received_at + AMAZON_RESPONSE_WINDOW,
            f"Amazon notice {notice.notification_type or '(no type)'} about {about} speaks of "
            f"{named} but could not be read with confidence: read it in the mailbox; no "
            "automatic refund for this order until then",
        )  # fmt: skip
    return _task(  # an Amazon notice of a type not known here: kept, read by a person
        case, notice, now, Priority.LOW, notice.received_at + timedelta(days=7),
        f"Amazon notice {notice.notification_type or '(no type)'}: read it in the mailbox",
    )  # fmt: skip


_MATTERS = {"refund": "a refund", "a_to_z_claim": "an A-to-z claim", "chargeback": "a chargeback"}
_FORWARDED = {
    MessageKind.REFUND_NOTICE: "refund notice", MessageKind.A_TO_Z_CLAIM: "A-to-z claim",
    MessageKind.CHARGEBACK: "chargeback", MessageKind.CANCELLATION_REQUEST: "cancellation",
}  # fmt: skip


def forwarded_task(case: Case, message: BuyerMessage, now: datetime) -> Decision:
    """Mail someone forwarded that quotes Amazon's refund, claim, chargeback or cancellation
    for this order (`message.forwarded`, Case.unread_money_notices): no one can authenticate
    a forward, so it is never acted on as Amazon's — a person reads it, and no automatic
    refund for the order follows until then. Never a reply, never money."""
    forwarded = message.forwarded
    assert forwarded is not None and forwarded.stops_money
    what = _FORWARDED.get(forwarded.kind) or "notice that speaks of " + ", ".join(
        _MATTERS[m] for m in forwarded.speaks_of
    )
    return Decision(
        action=Action.ESCALATE_REVIEW,
        refund=None,
        ask_for_photos=False,
        reply_template=None,
        priority=Priority.HIGH,
        respond_by=message.received_at + AMAZON_RESPONSE_WINDOW,
        needs_approval=False,
        rules=(f"forwarded:{forwarded.kind.value}",),
        guards=("unread_money_notice",),
        explanation=(
            f"a forwarded Amazon {what} for order {case.amazon_order_id} (quoted sender "
            f"{forwarded.sender}; a forward cannot be authenticated): read it in the mailbox; "
            "no automatic refund for this order until then"
        ),
        policy_version=NOTICE_POLICY,
        intent=None,
        tenant=case.tenant,
        case_id=case.case_id,
        decided_at=now,
    )


def needs_no_person(decision: Decision) -> bool:
    return decision.action is Action.ACKNOWLEDGE


def is_informational(notice: BuyerMessage) -> bool:
    return notice.kind in INFORMATIONAL_KINDS


def _amount(notice: BuyerMessage) -> str:
    facts = notice.facts
    if isinstance(facts, RefundFacts) and facts.amount is not None:
        return f" ({facts.amount})"
    return ""


def _return_summary(notice: BuyerMessage) -> str:
    facts = notice.facts
    if not isinstance(facts, ReturnRequestFacts) or not facts.items:
        return ""
    reasons = "; ".join(dict.fromkeys(i.reason for i in facts.items if i.reason))
    return f" ({reasons})" if reasons else ""


def _decision(
    case: Case,
    notice: BuyerMessage,
    now: datetime,
    action: Action,
    priority: Priority,
    respond_by: datetime | None,
    explanation: str,
) -> Decision:
    return Decision(
        action=action,
        refund=None,
        ask_for_photos=False,
        reply_template=None,
        priority=priority,
        respond_by=respond_by,
        needs_approval=False,
        rules=(f"{NOTICE_RULE_PREFIX}{notice.kind.value}",),
        guards=(),
        explanation=explanation,
        policy_version=NOTICE_POLICY,
        intent=None,
        tenant=case.tenant,
        case_id=case.case_id,
        decided_at=now,
        notice=notice.kind,
    )


def _task(
    case: Case,
    notice: BuyerMessage,
    now: datetime,
    priority: Priority,
    respond_by: datetime,
    explanation: str,
) -> Decision:
    return _decision(case, notice, now, Action.ESCALATE_REVIEW, priority, respond_by, explanation)


def _noted(case: Case, notice: BuyerMessage, now: datetime, explanation: str) -> Decision:
    return _decision(case, notice, now, Action.ACKNOWLEDGE, Priority.LOW, None, explanation)
