from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from spconnector.domain.case import Case
from spconnector.domain.enums import CaseStatus, Intent, MessageKind, Priority
from spconnector.domain.tenant import Tenant
from spconnector.impact.feedback import FeedbackEntry
from spconnector.impact.follow_up import FOLLOW_UP_TEMPLATE, follow_up_for_feedback

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
ORDER = "113-7654321-7654321"


def tenant(on: bool = True) -> Tenant:
    return Tenant(
        tenant_id="acme",
        seller_id="A1SELLER",
        region="na",
        marketplace_ids=("ATVPDKIKX0DER",),
        credentials_secret="spconnector/acme/lwa",
        feedback_follow_up=on,
    )


def feedback(rating: int = 2) -> FeedbackEntry:
    return FeedbackEntry(
        feedback_date=date(2026, 11, 22), rating=rating, amazon_order_id=ORDER, line=2
    )


def existing(
    status: CaseStatus = CaseStatus.ANSWERED, priority: Priority = Priority.NORMAL
) -> Case:
    opened = NOW - timedelta(days=4)
    return Case(
        tenant="acme",
        case_id=f"acme#order#{ORDER}",
        amazon_order_id=ORDER,
        status=status,
        priority=priority,
        opened_at=opened,
        respond_by=opened + timedelta(hours=24),
        message_ids=("m1",),
        intents=(Intent.DEFECTIVE,),
        kinds=(MessageKind.BUYER_MESSAGE,),
    )


def test_new_low_rating_opens_an_urgent_case_with_the_follow_up_template() -> None:
    action = follow_up_for_feedback(tenant(), feedback(1), None, NOW, sla=timedelta(hours=8))
    assert action is not None and action.opened
    assert action.reply_template == FOLLOW_UP_TEMPLATE == "feedback_follow_up"
    case = action.case
    assert case.case_id == f"acme#order#{ORDER}" and case.priority is Priority.URGENT
    assert case.status is CaseStatus.OPEN
    assert case.respond_by == NOW + timedelta(hours=8)
    assert case.kinds == (MessageKind.FEEDBACK_NOTICE,)
    assert action.feedback_key == feedback(1).dedup_key


def test_closed_case_is_reopened_and_raised_to_urgent() -> None:
    action = follow_up_for_feedback(tenant(), feedback(3), existing(), NOW)
    assert action is not None and not action.opened
    case = action.case
    assert case.priority is Priority.URGENT and case.status is CaseStatus.OPEN
    assert case.respond_by == NOW + timedelta(hours=24)
    assert case.message_ids == ("m1",)  # history kept
    assert case.kinds[-1] is MessageKind.FEEDBACK_NOTICE


def test_open_case_keeps_its_earlier_deadline() -> None:
    case = existing(status=CaseStatus.OPEN).model_copy(
        update={"respond_by": NOW + timedelta(hours=2)}
    )
    action = follow_up_for_feedback(tenant(), feedback(), case, NOW)
    assert action is not None and action.case.respond_by == NOW + timedelta(hours=2)


def test_tenant_setting_off_or_good_rating_or_already_following_up_does_nothing() -> None:
    assert follow_up_for_feedback(tenant(on=False), feedback(1), None, NOW) is None
    assert follow_up_for_feedback(tenant(), feedback(4), None, NOW) is None
    first = follow_up_for_feedback(tenant(), feedback(1), existing(), NOW)
    assert first is not None
    assert follow_up_for_feedback(tenant(), feedback(1), first.case, NOW) is None


def test_a_case_of_another_order_is_refused() -> None:
    other = existing().model_copy(update={"amazon_order_id": "999-0000000-0000000"})
    with pytest.raises(ValueError, match="not this tenant's case"):
        follow_up_for_feedback(tenant(), feedback(), other, NOW)
