"""The case life cycle table: every status has a row, and Case.with_status obeys it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spconnector.domain import BuyerMessage, Case, CaseStatus, Intent, MessageKind
from spconnector.domain.case_lifecycle import TRANSITIONS, IllegalCaseTransition, can_become

S = CaseStatus


def _case(status: CaseStatus) -> Case:
    message = BuyerMessage(
        amazon_order_id="113-1234567-1234567",
        buyer_address=None,
        buyer_name=None,
        marketplace="amazon.com",
        subject="Where is my order?",
        kind=MessageKind.BUYER_MESSAGE,
        intent=Intent.NOT_RECEIVED,
        language="en",
        body="It has not arrived.",
        message_id="<m1@example.com>",
        received_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
    )
    return Case.open_for_message("acme", message).model_copy(update={"status": status})


def test_every_status_has_a_row_and_may_stay_where_it_is() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    assert all(can_become(status, status) for status in CaseStatus)


def test_a_person_can_always_be_asked_and_bad_input_always_quarantines() -> None:
    assert all(can_become(status, S.ESCALATED) for status in CaseStatus)
    assert all(can_become(status, S.QUARANTINED) for status in CaseStatus)


def test_only_a_finished_case_reopens() -> None:
    reopen = {status for status in CaseStatus if can_become(status, S.OPEN)}
    assert reopen == {status for status in CaseStatus if status.is_terminal} | {S.OPEN}


@pytest.mark.parametrize("start", [S.QUARANTINED, S.CLOSED])
@pytest.mark.parametrize("to", [S.ANSWERED, S.REFUNDED])
def test_a_quarantined_or_closed_case_is_not_answered_or_refunded_without_a_decision(
    start: CaseStatus, to: CaseStatus
) -> None:
    with pytest.raises(IllegalCaseTransition, match=f"{start} → {to}"):
        _case(start).with_status(to)
    assert _case(start).with_status(S.DECIDED).with_status(to).status is to


def test_with_status_moves_along_the_normal_path() -> None:
    case = _case(S.OPEN)
    for step in (S.DECIDED, S.REFUNDED, S.OPEN, S.AWAITING_APPROVAL, S.ANSWERED):
        case = case.with_status(step)
        assert case.status is step
    with pytest.raises(IllegalCaseTransition):
        _case(S.DECIDED).with_status(S.OPEN)  # still being worked on
