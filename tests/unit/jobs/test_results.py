"""Act's reply outcomes: which ones hand the case to a person, which ones reached the buyer."""

from __future__ import annotations

import json

from spconnector.jobs.results import RefundOutcome, ReplyStatus


def test_escalating_outcomes_are_the_ones_act_and_proactive_escalate() -> None:
    escalating = {status.value for status in ReplyStatus if status.escalates}
    assert escalating == {
        "lint_failed",
        "state_unknown",
        "no_sender",
        "mailbox_unusable",
        "not_offered",
        "rejected",
    }


def test_only_a_sent_reply_reached_the_buyer() -> None:
    assert {s for s in ReplyStatus if s.reached_buyer} == {"sent", "already_sent"}
    assert not ReplyStatus.HELD.reached_buyer and not ReplyStatus.HELD.escalates


def test_the_wire_value_is_the_old_string() -> None:
    # handler results (and the idempotency records that store them) serialize to the same JSON
    assert json.dumps({"status": ReplyStatus.NO_BUYER_MESSAGE}) == '{"status": "no_buyer_message"}'
    assert ReplyStatus("already_sent") is ReplyStatus.ALREADY_SENT


def test_every_refund_state_is_a_refund_outcome_of_the_same_name() -> None:
    from spconnector.refunds.model import RefundState

    for state in RefundState:
        assert RefundOutcome(state.value).name == state.name


def test_held_refunds_are_the_ones_no_reply_may_call_refunded() -> None:
    held = {outcome.value for outcome in RefundOutcome if outcome.held}
    assert held == {"refused", "needs_person", "failed", "unknown"}
    issued = {outcome.value for outcome in RefundOutcome if outcome.issued}
    assert issued == {"approved", "submitted", "confirmed"}
    assert not RefundOutcome.AWAITING_RETURN.held and not RefundOutcome.AWAITING_RETURN.issued
