"""Amazon's notices in the shapes real seller mailboxes receive, through the jobs, for the three
corpora written from them (tests/fixtures/intake/layouts2, layouts3, layouts4), each in an embedded
environment of its own: none moves money; every opened claim and chargeback is an urgent task
with the deadline its mail states, and Amazon's account-health warnings that name claims and
chargebacks are no claim to answer; a refund on the seller's behalf stops our own refund; a
notice whose words speak of a refund that intake could not read as one (a SAFE-T decision
speaking of Amazon's earlier refund among them) goes to a person and stops any automatic
refund for its order; a cancellation request worded beyond the five languages is a
cancellation task; layouts5's and layouts6's notices move no money either (layouts6's refunds
in Hindi and behind a gateway's tag stop ours); and an Amazon refund notice an
assistant forwards (not Amazon's mail: it cannot be authenticated) stops the order's automatic
refunds for a person, without refunding or answering anyone itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from spconnector.domain import CaseStatus, Mode
from spconnector.jobs.process_case import process_case_event
from tests import fixture_generators
from tests.functional.jobs.conftest import JobsEnv, ingest, jobs_world
from tests.functional.jobs.notice_runs import (
    buyer_writes,
    no_notice_moves_money,
    refunds_of,
    run_mail,
)


@pytest.fixture(scope="module")
def corpus(request: pytest.FixtureRequest) -> str:
    """The corpus a test reads ("layouts2", "layouts3", "layouts4"), by its parametrization."""
    return str(request.param)


@pytest.fixture(scope="module")
def jobs_env(corpus: str) -> Iterator[JobsEnv]:
    """One embedded environment per corpus: each corpus's run finds the simulator's orders
    unused, as when each corpus had a test module of its own."""
    with jobs_world() as env:
        yield env


@pytest.fixture
def live(mode: Any) -> None:
    mode(Mode.LIVE)


def _mail(corpus: str, name: str, order_id: str) -> tuple[Any, Any]:
    """The corpus's generator and its mail `name`, about `order_id`."""
    gen = getattr(fixture_generators, corpus)()
    return gen, next(m for m in gen.mails(lambda _o: order_id) if m.name == name)


def _buyer_asks_for_money(env: JobsEnv, order_id: str) -> tuple[Any, list[dict[str, Any]]]:
    """The buyer then writes what the default policy would refund without a return."""
    case_id, outcomes = buyer_writes(env, order_id, timedelta(minutes=5))
    return env.services.cases.decisions(env.tid, case_id)[-1], outcomes


@dataclass(frozen=True)
class CorpusRun:
    """What every notice of a corpus through the jobs gives: the tasks to answer."""

    first_uid: int
    least: int  # notices in the corpus, at least
    claims: int  # A-to-z claims to answer
    chargebacks: int  # chargebacks to answer
    deadlines: set[str] | None = None  # the tasks' respond-by days, where pinned
    unread: int | None = None  # tasks for notices that could not be read, where pinned


RUNS = {
    # six claims and four chargebacks, by the 3- and 7-day deadlines the mails state from
    # their date (24 Nov 2026), not a message's 24 hours
    "layouts2": CorpusRun(
        700, 20, claims=6, chargebacks=4, deadlines={"2026-11-27", "2026-12-01"}, unread=2
    ),
    # one A-to-z claim and one chargeback: the Order Defect Rate warnings and the account
    # deactivation name both in their opening, but no order, and are no claim to answer
    "layouts3": CorpusRun(1_100, 20, claims=1, chargebacks=1),
    # two claims opened (amazon.in, amazon.com.br in Portuguese, 3 days) and a French
    # chargeback on amazon.ca (7 days); the withdrawn, appealed, Claims-Protection and decided
    # ones are no claim to answer; the refund digest and the refund that failed go to a person
    "layouts4": CorpusRun(
        1_500, 20, claims=2, chargebacks=1, deadlines={"2026-11-29", "2026-12-03"}, unread=2
    ),
}


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize("corpus", list(RUNS), indirect=True)
def test_no_notice_of_the_real_shapes_corpus_moves_money_in_live_mode(
    jobs_env: JobsEnv, corpus: str
) -> None:
    run = RUNS[corpus]
    gen = getattr(fixture_generators, corpus)()
    no_notice_moves_money(jobs_env, gen, run.first_uid, run.least)
    tasks = [(e["priority"], e["reasons"][0], e["respond_by"]) for e in jobs_env.escalations()]
    answer = [t for t in tasks if t[1].startswith("task: answer the")]
    # every opened claim and chargeback is an urgent task to answer
    assert {t[0] for t in answer} == {"urgent"}, answer
    assert sum("A-to-z claim" in t[1] for t in answer) == run.claims, answer
    assert sum("chargeback" in t[1] for t in answer) == run.chargebacks, answer
    if run.deadlines is not None:
        assert {t[2][:10] for t in answer} == run.deadlines, answer
    if run.unread is not None:
        assert sum("could not be read with confidence" in t[1] for t in tasks) == run.unread, tasks


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize(
    ("corpus", "name", "uid"),
    [
        ("layouts2", "refund_on_behalf_uk", 920),
        ("layouts2", "refund_plain_stub_html_es", 920),
        # a returnless refund: read as a return request before, a refund that could follow
        ("layouts4", "refund_returnless_prime_no_label_en", 1_720),
        # a Hindi refund on amazon.in: read before as an unknown notice that speaks of no
        # money (no guard at all); a refund behind a gateway's banner and "[External]" tag
        ("layouts6", "refund_hi_in", 2_400),
        ("layouts6", "m365_external_tag_refund_en", 2_401),
    ],
    indirect=["corpus"],
)
def test_a_refund_amazon_made_in_a_real_shape_stops_our_refund(
    jobs_env: JobsEnv, corpus: str, name: str, uid: int
) -> None:
    """Read as unknown notices (or a return request) before (no refund recorded), these let a
    buyer's next message be refunded a second time."""
    order = jobs_env.order(channel="MFN", max_total=60.0)
    gen, mail = _mail(corpus, name, order.order_id)
    case_id, _ = run_mail(jobs_env, gen.render(mail, uid))
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and len(case.external_refunds) == 1
    assert case.external_refunds[0].amount is not None

    decision, outcomes = _buyer_asks_for_money(jobs_env, order.order_id)
    assert "already_refunded" in decision.guards and not decision.action.moves_money
    assert refunds_of(jobs_env, order.order_id) == []
    assert outcomes and outcomes[-1]["status"] == "escalated"


# the notice of each corpus that speaks of a refund intake cannot read as one, and its uid
UNREAD = {
    "layouts2": ("unknown_update_mentions_refund_en", 930),
    # read as a refund notice of the reimbursement's amount before (a refund Amazon never
    # made of that sum), it now goes to a person
    "layouts3": ("safe_t_claim_mentions_amazon_refund_en", 1_300),
    # a refund Amazon could not process: the buyer is still owed, a person decides
    "layouts4": ("refund_failed_not_processed_en", 1_730),
}


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize("corpus", list(UNREAD), indirect=True)
def test_an_unread_notice_that_speaks_of_a_refund_goes_to_a_person_and_stops_our_refund(
    jobs_env: JobsEnv, corpus: str
) -> None:
    name, uid = UNREAD[corpus]
    order = jobs_env.order(channel="MFN", max_total=60.0)
    gen, mail = _mail(corpus, name, order.order_id)
    case_id, outcomes = run_mail(jobs_env, gen.render(mail, uid))
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


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize(
    "name", ["cancellation_nl_verzoek", "cancellation_tr_iptal_istegi", "cancellation_ja_iso2022jp"]
)
@pytest.mark.parametrize("corpus", ["layouts3"], indirect=True)
def test_a_cancellation_request_beyond_the_five_languages_is_a_cancellation_task(
    jobs_env: JobsEnv, corpus: str, name: str
) -> None:
    order = jobs_env.order(channel="MFN", max_total=60.0)
    gen, mail = _mail(corpus, name, order.order_id)
    case_id, _ = run_mail(jobs_env, gen.render(mail, 1_310))
    decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
    assert [d.rules for d in decisions] == [("notice:cancellation_request",)]
    assert not any(d.action.moves_money for d in decisions)


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize("corpus", ["layouts5"], indirect=True)
def test_no_notice_of_layouts5_moves_money_and_its_claims_are_urgent_tasks(
    jobs_env: JobsEnv, corpus: str
) -> None:
    """Every notice of layouts5 (two still read otherwise than expected: see its README) is a
    notice decision that moves no money; the claims it opens (amazon.co.jp, .com.mx, .se, and
    the one whose response Amazon received) and the Dutch chargeback are urgent tasks; the
    reversed and the owed refund, the label scanned and the refund request go to a person."""
    gen = fixture_generators.layouts5()
    orders: dict[str, str] = {}

    def order(made_up: str) -> str:
        if made_up not in orders:
            orders[made_up] = made_up
            for channel, low in (("AFN", 0.0), ("MFN", 60.01)):
                try:
                    orders[made_up] = jobs_env.order(channel=channel, min_total=low).order_id
                    break
                except LookupError:
                    continue
        return orders[made_up]

    notices = [m for m in gen.mails(order) if m.expected["kind"] not in ("other", "buyer_message")]
    assert len(notices) >= 25
    for n, mail in enumerate(notices):
        case_id, _ = run_mail(jobs_env, gen.render(mail, 2_000 + n))
        decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
        assert decisions and all(d.rules[0].startswith("notice:") for d in decisions), mail.name
        assert not any(d.action.moves_money or d.refund for d in decisions), mail.name
        if mail.expected["order"]:
            assert refunds_of(jobs_env, mail.expected["order"]) == [], f"{mail.name} refunded"
    tasks = [(e["priority"], e["reasons"][0]) for e in jobs_env.escalations()]
    answer = [t for t in tasks if t[1].startswith("task: answer the")]
    assert {t[0] for t in answer} == {"urgent"}, answer
    assert sum("A-to-z claim" in t[1] for t in answer) == 4, answer
    # the Dutch chargeback, and Amazon Pay's (no marketplace order: a task all the same)
    assert sum("chargeback" in t[1] for t in answer) == 2, answer
    unread = [t for t in tasks if "could not be read with confidence" in t[1]]
    assert len(unread) == 4, tasks  # reversal, refund owed, label scanned, refund requested


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize("corpus", ["layouts6"], indirect=True)
def test_no_notice_of_layouts6_moves_money_and_its_claims_are_urgent_tasks(
    jobs_env: JobsEnv, corpus: str
) -> None:
    """Every notice of layouts6 — behind gateways' banners and tags, in Amazon's table
    template, in Chinese, Hindi and Arabic wording, in UTF-16/GB18030 and split encodings —
    is a notice decision that moves no money; its four A-to-z claims (a Mimecast banner, an
    order only in the button link, Chinese on .co.uk, Arabic on .sa) and two chargebacks
    (Safe Links, Chinese on .de) are urgent tasks, by the 3 and 7 days their mails state."""
    gen = fixture_generators.layouts6()
    orders: dict[str, str] = {}

    def order(made_up: str) -> str:
        if made_up not in orders:
            orders[made_up] = made_up
            for channel, low in (("AFN", 0.0), ("MFN", 60.01)):
                try:
                    orders[made_up] = jobs_env.order(channel=channel, min_total=low).order_id
                    break
                except LookupError:
                    continue
        return orders[made_up]

    notices = [
        (m.name, m.expected, gen.render(m, 2_500 + n))
        for n, m in enumerate(gen.mails(order))
        if m.expected["kind"] not in ("other", "buyer_message")
    ]
    notices += [
        (name, want, raw)
        for name, raw, want in gen.raw_mails(order)
        if want["kind"] not in ("other", "buyer_message")
    ]
    assert len(notices) >= 18
    for name, want, raw in notices:
        case_id, _ = run_mail(jobs_env, raw)
        decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
        assert decisions and all(d.rules[0].startswith("notice:") for d in decisions), name
        assert not any(d.action.moves_money or d.refund for d in decisions), name
        if want["order"]:
            assert refunds_of(jobs_env, want["order"]) == [], f"{name} refunded"
    tasks = [(e["priority"], e["reasons"][0], e["respond_by"]) for e in jobs_env.escalations()]
    answer = [t for t in tasks if t[1].startswith("task: answer the")]
    assert {t[0] for t in answer} == {"urgent"}, answer
    assert sum("A-to-z claim" in t[1] for t in answer) == 4, answer
    assert sum("chargeback" in t[1] for t in answer) == 2, answer
    assert all(t[2] for t in answer), answer  # each with the deadline its mail states


# Forwards by an assistant of Amazon's refund notice, one per corpus that has one, and how the
# quoted notice reads ("Erstattung für Bestellung …, Erstattungsbetrag": words of a refund,
# no verb of one made — an unknown notice that speaks of a refund)
FORWARDS = [("layouts4", "va_gmail_forwards_refund_uk", 1_760, "refund notice"),
            ("layouts5", "va_apple_mail_forwards_refund_de", 2_100,
             "notice that speaks of a refund")]  # fmt: skip


@pytest.mark.usefixtures("live")
@pytest.mark.parametrize(("corpus", "name", "uid", "what"), FORWARDS, indirect=["corpus"])
def test_a_forwarded_refund_notice_stops_our_refund_and_moves_nothing_itself(
    jobs_env: JobsEnv, corpus: str, name: str, uid: int, what: str
) -> None:
    """Not Amazon's mail (anyone can type a forward): it is no refund made (none recorded), it
    neither refunds nor answers anyone, but the order's automatic refunds stop until a person
    has read it — before, it protected nothing and the buyer's next message was refunded."""
    order = jobs_env.order(channel="MFN", max_total=60.0)
    gen, mail = _mail(corpus, name, order.order_id)
    sent_before = len(jobs_env.sent_mail())
    case_id, outcomes = run_mail(jobs_env, gen.render(mail, uid))
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.amazon_order_id == order.order_id
    assert len(case.unread_money_notices) == 1 and case.external_refunds == ()
    decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
    assert len(decisions) == 1 and decisions[0].rules[0].startswith("forwarded:"), decisions
    assert not any(d.action.moves_money or d.refund for d in decisions), decisions
    assert len(jobs_env.sent_mail()) == sent_before  # no reply to whoever forwarded it
    (task,) = [e for e in jobs_env.escalations() if e["case_id"] == case_id]
    assert task["priority"] == "high", task
    assert f"a forwarded Amazon {what} for order {order.order_id}" in task["reasons"][0], task
    assert "cannot be authenticated" in task["reasons"][0], task

    decision, outcomes = _buyer_asks_for_money(jobs_env, order.order_id)
    assert "unread_money_notice" in decision.guards and not decision.action.moves_money
    assert refunds_of(jobs_env, order.order_id) == []
    assert outcomes and outcomes[-1]["status"] == "escalated"  # a person is told
