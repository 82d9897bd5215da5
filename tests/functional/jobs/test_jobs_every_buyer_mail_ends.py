"""No buyer mail ends in silence (DESIGN invariant 2, issue 19's pipeline finding): through
ingest → ProcessCase → Act, a buyer's message ends in a reply that reached the buyer or with
a person told why — a follow-up whose rule carries no reply included. Amazon's own notices
need no reply: they end recorded on the case or as a person's task."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from spconnector.domain import CaseStatus
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event

from .conftest import JobsEnv, ingest

FIRST = "Please cancel my order, I ordered it by mistake."
AGAIN = "I wrote yesterday asking you to cancel this order. Please cancel it, I do not want it."
DEFAULT_POLICY = Path(__file__).resolve().parents[3] / "policies" / "default.yaml"


def _through_the_chain(env: JobsEnv, order_id: str, body: str, alias: str) -> dict[str, Any]:
    """One relay mail along the chain the Lambdas form; Act's outcome."""
    _, events = ingest(env, order_id, body, alias=alias)
    for event in events:
        process_case_event(env.services, event)
    (action,) = env.drain("actions")
    return act_on(env.services, action)


def _mail_to(env: JobsEnv, alias: str) -> list[Any]:
    sent = env.sent_mail()
    parsed = (message_from_bytes(m.raw_data.encode(), policy=default_policy) for m in sent)
    return [m for m in parsed if m["To"] == alias]


def test_a_second_cancellation_request_is_answered_and_a_person_cancels(
    jobs_env: JobsEnv,
) -> None:
    order = jobs_env.order(channel="MFN", max_total=1e6)
    alias = "k2v9x7cancel01@marketplace.amazon.com"
    jobs_env.escalations()

    first = _through_the_chain(jobs_env, order.order_id, FIRST, alias)
    second = _through_the_chain(jobs_env, order.order_id, AGAIN, alias)

    for outcome in (first, second):
        assert outcome["action"] == "escalate_review"
        assert outcome["reply"]["status"] == "sent"
        assert outcome["status"] == CaseStatus.ESCALATED.value
    replies = _mail_to(jobs_env, alias)
    assert len(replies) == 2  # the follow-up hears back too, not only the first request
    assert all(order.order_id in r.get_content() and "cancel" in r.get_content() for r in replies)
    tasks = jobs_env.escalations()
    assert [t["case_id"] for t in tasks] == [first["case_id"]] * 2
    assert all(any("cancels the order" in r for r in t["reasons"]) for t in tasks)


@pytest.fixture
def replyless_policy(jobs_env: JobsEnv) -> Iterator[None]:
    """The tenant runs a policy whose cancel rule acknowledges with no reply template."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8").replace(
        "then: {action: escalate_review, reply_template: escalate_review.cancel_request, "
        "priority: high}",
        "then: {action: acknowledge, priority: high}",
    )
    assert "then: {action: acknowledge, priority: high}" in text
    tenants = jobs_env.services.tenants
    tenants.push_policy(jobs_env.tid, text)
    yield
    tenants.push_policy(jobs_env.tid, DEFAULT_POLICY.read_text(encoding="utf-8"))


@pytest.mark.usefixtures("replyless_policy")
def test_a_follow_up_whose_rule_has_no_reply_goes_to_a_person_with_the_reason(
    jobs_env: JobsEnv,
) -> None:
    order = jobs_env.order(channel="MFN", max_total=1e6)
    alias = "k2v9x7cancel02@marketplace.amazon.com"
    jobs_env.escalations()

    first = _through_the_chain(jobs_env, order.order_id, FIRST, alias)
    second = _through_the_chain(jobs_env, order.order_id, AGAIN, alias)

    assert _mail_to(jobs_env, alias) == []  # nothing to send: the rule names no reply
    for outcome in (first, second):
        assert outcome["action"] == "acknowledge" and "reply" not in outcome
        assert outcome["status"] == CaseStatus.ESCALATED.value
    case = jobs_env.services.cases.get(jobs_env.tid, first["case_id"])
    assert case is not None and case.status is CaseStatus.ESCALATED
    first_task, second_task = jobs_env.escalations()
    assert any(
        "no reply for this decision (acknowledge, rule cancel-request) on the buyer's message" in r
        for r in first_task["reasons"]
    )
    assert any(
        "no reply for this decision (acknowledge, rule cancel-request) on a follow-up" in r
        for r in second_task["reasons"]
    )
