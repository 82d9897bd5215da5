"""Amazon's notices in the shapes real seller mailboxes receive (tests/fixtures/intake/
layouts2), through the jobs: none moves money, every claim and chargeback is an urgent task
with the deadline its mail states, a refund on the seller's behalf stops our own refund, and
a notice whose words speak of a refund that intake could not read as one goes to a person
and stops any automatic refund for its order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from spconnector.domain import CaseStatus, Mode
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event
from tests import fixture_generators
from tests.functional.jobs.conftest import JobsEnv, ingest
from tests.functional.jobs.notice_runs import no_notice_moves_money, refunds_of, run_mail


@pytest.fixture
def live(mode: Any) -> None:
    mode(Mode.LIVE)


def _buyer_asks_for_money(env: JobsEnv, order_id: str) -> tuple[Any, list[dict[str, Any]]]:
    """The buyer then writes what the default policy would refund without a return."""
    case_id, events = ingest(
        env, order_id, "The item arrived broken, the handle snapped off.",
        received_at=env.now() - timedelta(minutes=5),
    )  # fmt: skip
    for body in events:
        process_case_event(env.services, body)
    outcomes = [act_on(env.services, body) for body in env.drain("actions")]
    return env.services.cases.decisions(env.tid, case_id)[-1], outcomes


@pytest.mark.usefixtures("live")
def test_no_notice_of_the_real_shapes_corpus_moves_money_in_live_mode(jobs_env: JobsEnv) -> None:
    no_notice_moves_money(jobs_env, fixture_generators.layouts2(), 700, 20)
    tasks = [(e["priority"], e["reasons"][0], e["respond_by"]) for e in jobs_env.escalations()]
    answer = [t for t in tasks if t[1].startswith("task: answer the")]
    # every opened claim and chargeback (6 + 4) is an urgent task to answer, by the 3- and
    # 7-day deadlines the mails state from their date (24 Nov 2026), not a message's 24 hours
    assert {t[0] for t in answer} == {"urgent"}, answer
    assert sum("A-to-z claim" in t[1] for t in answer) == 6, answer
    assert sum("chargeback" in t[1] for t in answer) == 4, answer
    assert {t[2][:10] for t in answer} == {"2026-11-27", "2026-12-01"}, answer
    assert sum("could not be read with confidence" in t[1] for t in tasks) == 2, tasks


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize("name", ["refund_on_behalf_uk", "refund_plain_stub_html_es"])
def test_a_refund_amazon_made_in_a_real_shape_stops_our_refund(
    jobs_env: JobsEnv, name: str
) -> None:
    """Read as unknown notices before (no refund recorded), these let a buyer's next message
    be refunded a second time."""
    gen = fixture_generators.layouts2()
    order = jobs_env.order(channel="MFN", max_total=60.0)
    mail = next(m for m in gen.mails(lambda _o: order.order_id) if m.name == name)
    case_id, _ = run_mail(jobs_env, gen.render(mail, 920))
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and len(case.external_refunds) == 1
    assert case.external_refunds[0].amount is not None

    decision, outcomes = _buyer_asks_for_money(jobs_env, order.order_id)
    assert "already_refunded" in decision.guards and not decision.action.moves_money
    assert refunds_of(jobs_env, order.order_id) == []
    assert outcomes and outcomes[-1]["status"] == "escalated"


@pytest.mark.usefixtures("live")
def test_an_unread_notice_that_speaks_of_a_refund_goes_to_a_person_and_stops_our_refund(
    jobs_env: JobsEnv,
) -> None:
    gen = fixture_generators.layouts2()
    order = jobs_env.order(channel="MFN", max_total=60.0)
    mail = next(
        m for m in gen.mails(lambda _o: order.order_id)
        if m.name == "unknown_update_mentions_refund_en"
    )  # fmt: skip
    case_id, outcomes = run_mail(jobs_env, gen.render(mail, 930))
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.ESCALATED, outcomes
    assert len(case.unread_money_notices) == 1 and case.external_refunds == ()
    (task,) = [e for e in jobs_env.escalations() if e["case_id"] == case_id]
    assert task["priority"] == "high"
    assert "speaks of a refund but could not be read with confidence" in task["reasons"][0]

    decision, outcomes = _buyer_asks_for_money(jobs_env, order.order_id)
    assert "unread_money_notice" in decision.guards and not decision.action.moves_money
    assert refunds_of(jobs_env, order.order_id) == []
    assert outcomes and outcomes[-1]["status"] == "escalated"

    # a person reads the notice (CLI `cases notices-read`, the console's button): the policy
    # decides the order's refunds again, with its usual guards
    from spconnector.jobs.approvals import ApprovalError, notices_read

    read = notices_read(jobs_env.services, case_id, by="sam")
    assert read["notices"] == list(case.unread_money_notices)
    with pytest.raises(ApprovalError, match="no unread Amazon notice"):
        notices_read(jobs_env.services, case_id, by="sam")
    later, events = ingest(
        jobs_env, order.order_id, "Still broken: the handle came off again, please help.",
        received_at=jobs_env.now() - timedelta(minutes=1),
    )  # fmt: skip
    for body in events:
        process_case_event(jobs_env.services, body)
    jobs_env.drain("actions")
    decision = jobs_env.services.cases.decisions(jobs_env.tid, later)[-1]
    assert "unread_money_notice" not in decision.guards, decision
