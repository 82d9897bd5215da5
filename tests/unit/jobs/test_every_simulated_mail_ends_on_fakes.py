"""A property over the simulator's own mail (every relay mail and notice of its scenario, in
the order they arrive, follow-ups on the same order included): each buyer mail ends in a
reply that reached the buyer, with a person, or quarantined; each of Amazon's notices as a
person's task or recorded on the case. None ends in silence (DESIGN invariant 2)."""

from __future__ import annotations

from collections import Counter

from spconnector.domain import CaseStatus
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.results import ReplyStatus
from tests.unit.jobs.conftest import World

_WITH_PERSON = (CaseStatus.ESCALATED, CaseStatus.AWAITING_APPROVAL)


def _ending(world: World, raw: bytes) -> str:
    outcome = ingest_email(world.services, world.tenant, raw)
    if outcome.status == "quarantined":
        return "quarantine"
    assert outcome.case_id is not None, outcome
    tid, case_id = world.tid, outcome.case_id
    asked_before = sum(e.case_id == case_id for e in world.escalations)
    for event in world.drain("case_events"):
        process_case_event(world.services, event)
    acted = [act_on(world.services, action) for action in world.drain("actions")]
    replies = [ReplyStatus(a["reply"]["status"]) for a in acted if a.get("reply")]
    case = world.services.cases.get(tid, case_id)
    assert case is not None
    newest = world.services.cases.messages(tid, case_id)[-1]
    if any(r.reached_buyer for r in replies):
        return "reply"
    if sum(e.case_id == case_id for e in world.escalations) > asked_before:
        assert case.status in _WITH_PERSON, case.status  # asked, and the case says so
        return "person"
    if case.status is CaseStatus.QUARANTINED:
        return "quarantine"
    routed = [d for d in world.services.cases.decisions(tid, case_id) if d.rules]
    if (
        newest.kind.is_notice
        and routed[-1].notice is newest.kind
        and routed[-1].rules == (f"notice:{newest.kind.value}",)
    ):
        return "notice recorded"
    return f"silent ({newest.kind.value}, case {case.status.value})"


def test_every_simulated_mail_ends_in_a_reply_a_person_a_quarantine_or_a_record(
    world: World,
) -> None:
    emails = world.amazon.sim.scenario.emails
    endings = Counter(_ending(world, raw) for raw in emails)

    assert sum(endings.values()) == len(emails) >= 30
    assert set(endings) <= {"reply", "person", "quarantine", "notice recorded"}, endings
    assert endings["reply"] > 0 and endings["person"] > 0  # the property is not vacuous
