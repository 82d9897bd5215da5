"""Amazon's notices and seller feedback on fakes: no notice moves money (claims are urgent,
refund notices close the case), an opt-out marks the case, mail that only looks like Amazon's
is quarantined with its reason; the feedback poll snapshots, remembers the rows it saw, and
follows up on new negative feedback."""

from __future__ import annotations

from typing import Any

from spconnector.domain import CaseStatus
from spconnector.jobs import poll_feedback
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from spconnector.memory import MemoryRawMail
from tests import fixture_generators
from tests.unit.jobs.conftest import World


def _run(world: World, raw: bytes) -> tuple[str, list[dict[str, Any]]]:
    outcome = ingest_email(world.services, world.tenant, raw)
    assert outcome.status == "ingested", outcome
    assert outcome.case_id is not None
    routed = [process_case_event(world.services, body) for body in world.drain("case_events")]
    acted = [act_on(world.services, body) for body in world.drain("actions")]
    return outcome.case_id, routed + acted


def test_no_english_notice_moves_money(world: World) -> None:
    gen = fixture_generators.notices()
    orders: dict[int, str] = {}

    def order_id(_market: Any, n: int) -> str:
        if n not in orders:
            orders[n] = world.order(channel="AFN").order_id
        return orders[n]

    gen.order_id = order_id
    for n, mail in enumerate(gen.notices_for("en")):
        case_id, outcomes = _run(world, gen.render(mail, 500 + n))
        decisions = world.services.cases.decisions(world.tid, case_id)
        assert decisions, mail.name
        assert not any(d.action.moves_money or d.refund for d in decisions), mail.name
        expected_order = mail.expected["order"]
        if expected_order:
            refunds = world.services.refund_ledger.refunds_for_order(world.tid, expected_order)
            assert refunds == [], mail.name
        case = world.services.cases.get(world.tid, case_id)
        assert case is not None
        closed = mail.expected["kind"] in ("refund_notice", "buyer_opt_out")
        assert case.status is (CaseStatus.CLOSED if closed else CaseStatus.ESCALATED), (
            mail.name,
            outcomes,
        )
    claims = [e for e in world.escalations if "A-to-z claim" in " ".join(e.reasons)]
    assert any(e.priority == "urgent" for e in claims), claims


def test_an_opt_out_marks_the_case_and_decides_nothing(world: World) -> None:
    gen = fixture_generators.notices()
    order = world.order(channel="AFN")
    gen.order_id = lambda _m, _n: order.order_id
    opt_out = next(m for m in gen.notices_for("de") if m.name == "opt_out_de")

    case_id, outcomes = _run(world, gen.render(opt_out, 902))

    case = world.services.cases.get(world.tid, case_id)
    assert case is not None and case.buyer_opted_out and case.status is CaseStatus.CLOSED
    assert [o.get("action") for o in outcomes] == ["acknowledge"]
    assert world.escalations == []


def test_mail_that_only_looks_like_amazons_is_quarantined(world: World) -> None:
    gen = fixture_generators.notices()
    order = world.order(channel="MFN")
    gen.order_id = lambda _m, _n: order.order_id
    refund = next(m for m in gen.notices_for("en") if m.name == "refund_issued_en")
    refund.ses = False  # no verdict headers: nothing vouches for donotreply@amazon.com

    outcome = ingest_email(world.services, world.tenant, gen.render(refund, 903))

    assert outcome.status == "quarantined" and "not authentic" in (outcome.reason or "")
    assert world.drain("case_events") == []
    raw_mail = world.services.raw_mail
    assert isinstance(raw_mail, MemoryRawMail)
    assert any("not authentic" in r for r in raw_mail.quarantined(world.tid).values())


def test_the_feedback_poll_snapshots_and_remembers_what_it_saw(world: World) -> None:
    first = poll_feedback.run(world.services, world.tenant, world.now())
    world.amazon.sim.advance(120)
    second = poll_feedback.run(world.services, world.tenant, world.now())

    assert first["snapshots"] == 0 and first["errors"] == []
    assert second["snapshots"] == 1 and second["errors"] == []
    assert len(world.services.impact.snapshots(world.tid)) == 1
    seen = world.services.impact.seen_feedback(world.tid)
    assert seen  # the report's rows are remembered, so the next poll does not act on them
    # each follow-up either answers in the buyer's thread or hands the case to a person, and
    # each removal candidate goes to a person once
    assert second["follow_ups"] > 0
    candidates = second["removal_candidates"]
    assert len(world.mails) + len(world.escalations) == second["follow_ups"] + candidates
    assert len(world.services.growth.docs(world.tid, "removal")) == candidates
    world.amazon.sim.advance(120)
    third = poll_feedback.run(world.services, world.tenant, world.now())
    assert third["follow_ups"] == 0 and world.services.impact.seen_feedback(world.tid) >= seen
