"""Amazon mail of the fourth corpus (tests/fixtures/intake/layouts3) through the jobs: none
moves money; Amazon's account-health warnings that name A-to-z claims and chargebacks are no
claim to answer; a SAFE-T decision that speaks of Amazon's earlier refund goes to a person
and stops our refund for the order; a cancellation request worded beyond the five languages
is a cancellation task."""

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


@pytest.mark.usefixtures("live")
def test_no_notice_of_the_fourth_corpus_moves_money_in_live_mode(jobs_env: JobsEnv) -> None:
    no_notice_moves_money(jobs_env, fixture_generators.layouts3(), 1_100, 20)
    tasks = [(e["priority"], e["reasons"][0]) for e in jobs_env.escalations()]
    answer = [t for t in tasks if t[1].startswith("task: answer the")]
    # one A-to-z claim and one chargeback: the Order Defect Rate warnings and the account
    # deactivation name both in their opening, but no order, and are no claim to answer
    assert sum("A-to-z claim" in t[1] for t in answer) == 1, answer
    assert sum("chargeback" in t[1] for t in answer) == 1, answer


def _mail(name: str, order_id: str) -> Any:
    gen = fixture_generators.layouts3()
    return gen, next(m for m in gen.mails(lambda _o: order_id) if m.name == name)


@pytest.mark.usefixtures("live")
def test_a_safe_t_decision_speaking_of_amazons_refund_stops_our_refund(
    jobs_env: JobsEnv,
) -> None:
    """Read as a refund notice of the reimbursement's amount before (a refund Amazon never
    made of that sum), it now goes to a person, and the buyer's next message is not refunded."""
    order = jobs_env.order(channel="MFN", max_total=60.0)
    gen, mail = _mail("safe_t_claim_mentions_amazon_refund_en", order.order_id)
    case_id, outcomes = run_mail(jobs_env, gen.render(mail, 1_300))
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.ESCALATED, outcomes
    assert case.external_refunds == () and len(case.unread_money_notices) == 1
    (task,) = [e for e in jobs_env.escalations() if e["case_id"] == case_id]
    assert "speaks of a refund but could not be read with confidence" in task["reasons"][0]

    later, events = ingest(
        jobs_env, order.order_id, "The item arrived broken, the handle snapped off.",
        received_at=jobs_env.now() - timedelta(minutes=5),
    )  # fmt: skip
    for body in events:
        process_case_event(jobs_env.services, body)
    outcomes = [act_on(jobs_env.services, body) for body in jobs_env.drain("actions")]
    decision = jobs_env.services.cases.decisions(jobs_env.tid, later)[-1]
    assert "unread_money_notice" in decision.guards and not decision.action.moves_money
    assert refunds_of(jobs_env, order.order_id) == []


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize(
    "name", ["cancellation_nl_verzoek", "cancellation_tr_iptal_istegi", "cancellation_ja_iso2022jp"]
)
def test_a_cancellation_request_beyond_the_five_languages_is_a_cancellation_task(
    jobs_env: JobsEnv, name: str
) -> None:
    order = jobs_env.order(channel="MFN", max_total=60.0)
    gen, mail = _mail(name, order.order_id)
    case_id, _ = run_mail(jobs_env, gen.render(mail, 1_310))
    decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
    assert [d.rules for d in decisions] == [("notice:cancellation_request",)]
    assert not any(d.action.moves_money for d in decisions)
