"""What to do when a 1-3 star feedback arrives for an order (pure rule, no I/O).

The follow-up solves the buyer's problem first. The `feedback_follow_up` reply template may
say, neutrally, that the buyer can update their feedback; it never offers anything for it
(Amazon forbids incentives and asking for a change in exchange for anything).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from spconnector.domain.case import Case, case_id_for, respond_by
from spconnector.domain.enums import CaseStatus, Intent, MessageKind, Priority
from spconnector.domain.tenant import Tenant
from spconnector.impact.feedback import NON_POSITIVE_MAX_RATING, FeedbackEntry

FOLLOW_UP_TEMPLATE = "feedback_follow_up"


@dataclass(frozen=True, slots=True)
class FollowUp:
    case: Case  # the case to store: newly opened, or the existing one raised to urgent
    opened: bool  # True when no case existed for the order
    reply_template: str
    feedback_key: str  # FeedbackEntry.dedup_key: the caller acts once per key
    reason: str


def follow_up_for_feedback(
    tenant: Tenant,
    feedback: FeedbackEntry,
    existing: Case | None,
    now: datetime,
    sla: timedelta | None = None,
) -> FollowUp | None:
    """None when the tenant turned follow-ups off, the rating is 4-5 stars, or the case is
    already an open urgent feedback case (a second report of it changes nothing)."""
    if not tenant.feedback_follow_up or feedback.rating > NON_POSITIVE_MAX_RATING:
        return None
    reason = f"{feedback.rating}-star feedback on {feedback.feedback_date.isoformat()}"
    deadline = respond_by(now, sla)
    if existing is None:
        case = Case(
            tenant=tenant.tenant_id,
            case_id=case_id_for(tenant.tenant_id, feedback.amazon_order_id),
            amazon_order_id=feedback.amazon_order_id,
            priority=Priority.URGENT,
            opened_at=now,
            respond_by=deadline,
            intents=(Intent.FEEDBACK,),
            kinds=(MessageKind.FEEDBACK_NOTICE,),
        )
        return FollowUp(case, True, FOLLOW_UP_TEMPLATE, feedback.dedup_key, reason)
    if existing.tenant != tenant.tenant_id or existing.amazon_order_id != feedback.amazon_order_id:
        raise ValueError("the case is not this tenant's case for this order")
    already = (
        not existing.status.is_terminal
        and existing.priority is Priority.URGENT
        and MessageKind.FEEDBACK_NOTICE in existing.kinds
    )
    if already:
        return None
    reopened = existing.status.is_terminal
    case = existing.model_copy(
        update={
            "priority": Priority.URGENT,
            "status": CaseStatus.OPEN if reopened else existing.status,
            "respond_by": deadline if reopened else min(existing.respond_by, deadline),
            "intents": (*existing.intents, Intent.FEEDBACK),
            "kinds": (*existing.kinds, MessageKind.FEEDBACK_NOTICE),
        }
    )
    return FollowUp(case, False, FOLLOW_UP_TEMPLATE, feedback.dedup_key, reason)
