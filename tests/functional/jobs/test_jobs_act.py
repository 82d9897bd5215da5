"""Act: replies by SES at most once, lint failures and unknown outcomes escalated, refunds
recorded once per (tenant, order, adjustment), FBA refunds handed to a person, impact kept."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy
from typing import Any

import pytest

from spconnector.domain import CaseStatus
from spconnector.jobs.act import act_on, carry_out
from spconnector.jobs.process_case import process_case_event
from spconnector.refunds.model import Refund, RefundState
from spconnector.replies.findings import Finding

from .conftest import JobsEnv, ingest

DEFECT = "The item arrived broken, it does not work at all."


def _decided(env: JobsEnv, order_id: str, body: str = DEFECT, **mail: Any) -> dict[str, Any]:
    """Ingest and decide one mail; returns the action message ProcessCase queued."""
    _, events = ingest(env, order_id, body, **mail)
    for event in events:
        process_case_event(env.services, event)
    (action,) = env.drain("actions")
    return action


def _mail_to(env: JobsEnv, alias: str) -> list[Any]:
    found = []
    for sent in env.sent_mail():
        parsed = message_from_bytes(sent.raw_data.encode(), policy=default_policy)
        if parsed["To"] == alias:
            found.append(parsed)
    return found


def _refunds_for(env: JobsEnv, order_id: str) -> list[Refund]:
    market = env.tenant.marketplace_ids[0]
    return [
        r
        for state in RefundState
        for r in env.services.refund_ledger.refunds_in_state(env.tid, market, state)
        if r.amazon_order_id == order_id
    ]


def test_a_reply_goes_by_ses_to_the_relay_alias_in_the_buyers_thread(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    alias = "k2v9x7reply01@marketplace.amazon.com"
    message_id = "<0100018cfunctional-reply-01@email.amazonses.com>"
    action = _decided(jobs_env, order.order_id, alias=alias, message_id=message_id)

    outcome = act_on(jobs_env.services, action)

    assert outcome["reply"]["status"] == "sent"
    (mail,) = _mail_to(jobs_env, alias)
    assert mail["From"] == jobs_env.tenant.approved_sender
    assert mail["In-Reply-To"] == message_id
    assert message_id in mail["References"]
    assert mail["Subject"].strip().startswith("Re: ")
    assert order.order_id in mail.get_content()
    case = jobs_env.services.cases.get(jobs_env.tid, action["case_id"])
    assert case is not None and case.status.value == outcome["status"]


def test_the_same_action_delivered_twice_sends_one_mail(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    alias = "k2v9x7reply02@marketplace.amazon.com"
    action = _decided(jobs_env, order.order_id, "Do you have this in blue?", alias=alias)

    first = act_on(jobs_env.services, action)
    second = act_on(jobs_env.services, dict(action))

    assert first["reply"]["status"] == "sent"
    assert second == first  # Powertools idempotency hands back the stored result
    assert len(_mail_to(jobs_env, alias)) == 1


def test_a_reply_that_fails_the_lint_is_escalated_with_findings_not_sent(
    jobs_env: JobsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    import spconnector.replies as replies

    real = replies.render_reply

    def with_a_forbidden_link(decision: Any, context: Any) -> Any:
        rendered = real(decision, context)
        finding = Finding(
            code="link", severity="error", message="links are not allowed", excerpt="www.x.test"
        )
        return rendered.model_copy(update={"findings": [*rendered.findings, finding]})

    monkeypatch.setattr(replies, "render_reply", with_a_forbidden_link)
    order = jobs_env.order(channel="MFN", max_total=30)
    alias = "k2v9x7reply04@marketplace.amazon.com"
    action = _decided(jobs_env, order.order_id, "Do you have this in blue?", alias=alias)
    jobs_env.escalations()

    outcome = act_on(jobs_env.services, action)

    assert outcome["reply"] == {
        "status": "lint_failed",
        "findings": ["link: links are not allowed"],
    }
    assert outcome["status"] == CaseStatus.ESCALATED.value
    assert _mail_to(jobs_env, alias) == []
    (escalation,) = jobs_env.escalations()
    assert "reply failed the lint" in escalation["reasons"]
    assert "link: links are not allowed" in escalation["reasons"]


def test_a_refund_is_recorded_once_however_often_the_action_arrives(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    alias = "k2v9x7reply05@marketplace.amazon.com"
    action = _decided(jobs_env, order.order_id, alias=alias)
    tenant = jobs_env.tenant
    case = jobs_env.services.cases.get(jobs_env.tid, action["case_id"])
    decision = jobs_env.services.cases.decisions(jobs_env.tid, action["case_id"])[0]
    assert decision.action.moves_money and decision.refund is not None

    first = act_on(jobs_env.services, action)
    # Underneath the idempotency layer (an expired record, a concurrent worker, the approve
    # command): carrying out the same decision again finds the same refund and the sent reply.
    assert case is not None
    again = carry_out(jobs_env.services, tenant, case, decision, action["decision"])

    assert first["refund"]["state"] == "approved"
    assert again["refund"]["adjustment_id"] == first["refund"]["adjustment_id"]
    assert again["reply"] == {"status": "already_sent"}
    (refund,) = _refunds_for(jobs_env, order.order_id)
    assert refund.key == (jobs_env.tid, order.order_id, first["refund"]["adjustment_id"])
    assert refund.state is RefundState.APPROVED
    assert refund.total.amount == decision.refund.money.amount
    assert len(_mail_to(jobs_env, alias)) == 1
    case = jobs_env.services.cases.get(jobs_env.tid, action["case_id"])
    assert case is not None and case.status is CaseStatus.REFUNDED


def test_an_fba_refund_becomes_a_task_for_a_person_and_no_refund_is_claimed(
    jobs_env: JobsEnv,
) -> None:
    order = jobs_env.order(channel="AFN", max_total=30)
    alias = "k2v9x7reply06@marketplace.amazon.com"
    action = _decided(jobs_env, order.order_id, alias=alias)
    jobs_env.escalations()

    outcome = act_on(jobs_env.services, action)

    assert outcome["refund"]["state"] == "needs_person"
    (refund,) = _refunds_for(jobs_env, order.order_id)
    assert refund.state is RefundState.NEEDS_PERSON
    assert refund.person_task and order.order_id in refund.person_task
    assert outcome["status"] == CaseStatus.ESCALATED.value
    (escalation,) = jobs_env.escalations()
    assert any(r.startswith("refund:") for r in escalation["reasons"])
    # The refund template says "I've refunded": it must not go out while no refund was made.
    assert outcome["reply"]["status"] == "held"
    assert _mail_to(jobs_env, alias) == []


def test_abuse_goes_to_the_owner(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    body = "You are useless idiots and scammers, I will destroy you, you pathetic morons."
    action = _decided(jobs_env, order.order_id, body)
    decision = jobs_env.services.cases.decisions(jobs_env.tid, action["case_id"])[0]
    jobs_env.escalations()

    outcome = act_on(jobs_env.services, action)

    assert decision.action.value == "escalate_owner"
    assert outcome["status"] == CaseStatus.ESCALATED.value
    assert [e["case_id"] for e in jobs_env.escalations()] == [action["case_id"]]


def test_every_decision_carried_out_leaves_an_impact_record(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    action = _decided(jobs_env, order.order_id, "Do you have this in blue?")

    act_on(jobs_env.services, action)

    records = [
        r
        for r in jobs_env.services.impact.ledger.iter_records(jobs_env.tid)
        if r.case_id == action["case_id"]
    ]
    assert len(records) == 1
    (record,) = records
    assert record.amazon_order_id == order.order_id
    assert record.first_response_seconds is not None and record.within_24h is True
