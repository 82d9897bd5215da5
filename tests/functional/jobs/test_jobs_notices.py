"""Amazon's notices through the whole pipeline in live mode (embedded: moto + simulator):
ingest → ProcessCase → Act. No notice ever creates a refund; each ends as a task for a
person or a note on the case, and what it says (Amazon refunded, the buyer opted out, the
claim's deadline) is kept and acted on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from spconnector.domain import CaseStatus, Mode
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from tests import fixture_generators
from tests.functional.jobs.conftest import JobsEnv, ingest
from tests.functional.jobs.notice_runs import (
    BROKEN,
    buyer_writes,
    no_notice_moves_money,
    refunds_of,
    run_mail,
)


@pytest.fixture
def live(mode: Any) -> None:
    mode(Mode.LIVE)


def _notices(env: JobsEnv, lang: str) -> list[tuple[Any, bytes, str | None]]:
    """The corpus' notices for `lang`, each about one of the simulator's real orders."""
    gen = fixture_generators.notices()
    orders: dict[int, str] = {}

    def order_id(_market: Any, n: int) -> str:
        if n not in orders:
            try:
                orders[n] = env.order(channel="AFN").order_id
            except LookupError:  # (cheap MFN orders are kept for the refund tests)
                orders[n] = env.order(channel="MFN", min_total=60.0).order_id
        return orders[n]

    gen.order_id = order_id
    mails = gen.notices_for(lang)
    return [(m, gen.render(m, 500 + n), m.expected["order"]) for n, m in enumerate(mails)]


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize("lang", ["it", "en"])
def test_no_notice_ever_moves_money_in_live_mode(jobs_env: JobsEnv, lang: str) -> None:
    for mail, raw, order_id in _notices(jobs_env, lang):
        case_id, outcomes = run_mail(jobs_env, raw)
        decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
        assert decisions, mail.name
        assert not any(d.action.moves_money or d.refund for d in decisions), mail.name
        assert all(d.rules == (f"notice:{mail.expected['kind']}",) for d in decisions)
        if order_id:
            assert refunds_of(jobs_env, order_id) == [], f"{mail.name} refunded"
        case = jobs_env.services.cases.get(jobs_env.tid, case_id)
        assert case is not None
        assert case.status in (CaseStatus.ESCALATED, CaseStatus.CLOSED), (mail.name, outcomes)
        if mail.expected["kind"] in ("refund_notice", "buyer_opt_out"):
            assert case.status is CaseStatus.CLOSED, mail.name
        else:
            assert case.status is CaseStatus.ESCALATED, mail.name
    escalations = jobs_env.escalations()
    claims = [e for e in escalations if "A-to-z claim" in " ".join(e["reasons"])]
    opened = [e for e in claims if e["priority"] == "urgent"]
    assert opened, claims
    # the claim's own deadline (mail date + the 3 days it states), not the 24 h of a message
    assert all(e["respond_by"].startswith("2026-11-26") for e in opened), opened
    assert any("cancel" in " ".join(e["reasons"]) for e in escalations)


@pytest.mark.usefixtures("live")
def test_after_amazon_refunded_a_buyers_request_for_money_goes_to_a_person(
    jobs_env: JobsEnv,
) -> None:
    gen = fixture_generators.notices()
    order = jobs_env.order(channel="MFN", max_total=60.0)
    gen.order_id = lambda _m, _n: order.order_id
    refund = next(m for m in gen.notices_for("en") if m.name == "refund_issued_en")
    case_id, _ = run_mail(jobs_env, gen.render(refund, 900))
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and len(case.external_refunds) == 1
    assert str(case.external_refunds[0].amount) == "169.01 USD"

    # The buyer then writes what the default policy would refund without a return.
    _case_id, outcomes = buyer_writes(jobs_env, order.order_id, timedelta(minutes=5))

    decision = jobs_env.services.cases.decisions(jobs_env.tid, case_id)[-1]
    assert "already_refunded" in decision.guards and not decision.action.moves_money
    assert refunds_of(jobs_env, order.order_id) == []
    assert outcomes and outcomes[-1]["status"] == "escalated"


@pytest.mark.usefixtures("live")
def test_a_refund_notice_on_an_order_we_refunded_too_is_urgent(jobs_env: JobsEnv) -> None:
    gen = fixture_generators.notices()
    order = jobs_env.order(channel="MFN", max_total=20.0)
    buyer_writes(jobs_env, order.order_id, timedelta(hours=2))
    assert len(refunds_of(jobs_env, order.order_id)) == 1
    jobs_env.escalations()

    gen.order_id = lambda _m, _n: order.order_id
    refund = next(m for m in gen.notices_for("it") if m.name == "refund_issued_it")
    run_mail(jobs_env, gen.render(refund, 901))

    assert len(refunds_of(jobs_env, order.order_id)) == 1  # nothing more
    sent = jobs_env.escalations()
    urgent = [e for e in sent if e["priority"] == "urgent"]
    assert urgent, [(e["priority"], e["reasons"]) for e in sent]
    assert "double refund" in " ".join(urgent[-1]["reasons"])


@pytest.mark.usefixtures("live")
def test_a_buyers_message_that_came_with_a_notice_still_gets_the_policys_answer(
    jobs_env: JobsEnv,
) -> None:
    gen = fixture_generators.notices()
    order = jobs_env.order(channel="MFN", min_total=20.0, max_total=80.0)
    gen.order_id = lambda _m, _n: order.order_id
    refund = next(m for m in gen.notices_for("fr") if m.name == "refund_issued_fr")
    _case_id, events = ingest(
        jobs_env, order.order_id, BROKEN, received_at=jobs_env.now() - timedelta(minutes=30)
    )
    outcome = ingest_email(jobs_env.services, jobs_env.tenant, gen.render(refund, 904))
    assert outcome.status == "ingested" and outcome.case_id
    events += jobs_env.drain("case-events")
    for body in events:  # both inputs are in the case before the first event is processed
        process_case_event(jobs_env.services, body)
    for body in jobs_env.drain("actions"):
        act_on(jobs_env.services, body)

    decisions = jobs_env.services.cases.decisions(jobs_env.tid, outcome.case_id)
    assert [d.rules[0].startswith("notice:") for d in decisions] == [True, False]
    assert "already_refunded" in decisions[-1].guards
    assert not any(d.action.moves_money for d in decisions)
    assert refunds_of(jobs_env, order.order_id) == []


def test_a_refund_approved_after_amazons_refund_notice_moves_no_money(
    jobs_env: JobsEnv, mode: Any
) -> None:
    """The refund was decided and held for approval; Amazon's refund notice came before the
    person approved. Routing the notice marks the order in the refund ledger, so the approval
    cannot pay the order a second time."""
    from spconnector.jobs.approvals import approve

    gen = fixture_generators.notices()
    order = jobs_env.order(channel="MFN", max_total=60.0)
    case_id, events = ingest(
        jobs_env, order.order_id, BROKEN, received_at=jobs_env.now() - timedelta(hours=2)
    )
    for body in events:
        process_case_event(jobs_env.services, body)  # decided while live
    mode(Mode.APPROVE)  # then held for a person, as in the approve-mode switch test
    held = [act_on(jobs_env.services, body) for body in jobs_env.drain("actions")]
    assert held and held[0]["status"] == "awaiting_approval"

    gen.order_id = lambda _m, _n: order.order_id
    notice = next(m for m in gen.notices_for("en") if m.name == "refund_issued_en")
    outcome = ingest_email(jobs_env.services, jobs_env.tenant, gen.render(notice, 905))
    assert outcome.status == "ingested"
    for body in jobs_env.drain("case-events"):
        process_case_event(jobs_env.services, body)
    claim = jobs_env.services.refund_ledger.order_claim(jobs_env.tid, order.order_id)
    assert claim is not None and claim.external, claim

    try:
        approve(jobs_env.services, case_id, by="dana")
    except Exception as exc:  # refused loudly is fine; paying is not
        assert "refund" in str(exc).lower(), exc
    assert refunds_of(jobs_env, order.order_id) == []


@pytest.mark.usefixtures("live")
def test_no_notice_of_the_layouts_corpus_moves_money_in_live_mode(jobs_env: JobsEnv) -> None:
    """Plain-text notices, older layouts and the nl/sv/pl/tr/ja marketplaces, each about a
    real order of the simulator: every one is a notice decision, none refunds."""
    no_notice_moves_money(jobs_env, fixture_generators.layouts(), 600, 12)
    claims = [e for e in jobs_env.escalations() if "A-to-z claim" in " ".join(e["reasons"])]
    # the .ca claim states 72 hours: its deadline is the mail's date + 72 h
    assert any(e["respond_by"].startswith("2026-11-26") for e in claims), claims


@pytest.mark.usefixtures("live")
def test_a_plain_text_refund_notice_without_amazons_header_stops_our_refund(
    jobs_env: JobsEnv,
) -> None:
    gen = fixture_generators.layouts()
    order = jobs_env.order(channel="MFN", max_total=60.0)
    refund = next(m for m in gen.mails(lambda _o: order.order_id) if m.name == "refund_plain_en")
    assert refund.notification_type is None  # only the subject and sender say what it is
    case_id, _ = run_mail(jobs_env, gen.render(refund, 910))
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and len(case.external_refunds) == 1
    assert str(case.external_refunds[0].amount) == "32.50 USD"

    _case_id, outcomes = buyer_writes(jobs_env, order.order_id, timedelta(minutes=5))
    decision = jobs_env.services.cases.decisions(jobs_env.tid, case_id)[-1]
    assert "already_refunded" in decision.guards and not decision.action.moves_money
    assert refunds_of(jobs_env, order.order_id) == []
    assert outcomes and outcomes[-1]["status"] == "escalated"


@pytest.mark.usefixtures("live")
def test_a_refund_notice_naming_no_order_goes_to_a_person(jobs_env: JobsEnv) -> None:
    """Recorded on no order it would guard none: a person finds the order (mark-external)."""
    gen = fixture_generators.layouts()
    refund = next(m for m in gen.mails(lambda _o: "") if m.name == "refund_plain_en")
    case_id, outcomes = run_mail(jobs_env, gen.render(refund, 911))
    decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
    assert [d.rules for d in decisions] == [("notice:refund_notice",)]
    assert not decisions[0].action.moves_money
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.amazon_order_id is None
    assert case.status is CaseStatus.ESCALATED, outcomes
    reasons = " ".join(r for e in jobs_env.escalations() for r in e["reasons"])
    assert "names none we could read" in reasons and "32.50 USD" in reasons
