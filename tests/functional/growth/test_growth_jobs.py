"""Removal candidates and A-to-z claims on the embedded default (simulator over HTTP + moto):
the same jobs the Lambdas run, the person's side read from the escalations topic."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from spconnector.cli import app
from spconnector.jobs import claims, poll_feedback, sla_watch
from spconnector.jobs.act import act_on
from spconnector.jobs.impact_report import impact_summary
from spconnector.jobs.ingest import ingest_s3_object
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.removal_candidates import (
    OUTCOME_AFTER,
    candidates,
    check_outcomes,
    settle_outcomes,
)
from spconnector.local.demo_summary import EscalationInbox
from spconnector.local.embedded import Embedded, embedded
from tests.chaos.moto_speed import faster_moto


@pytest.fixture
def env() -> Iterator[Embedded]:
    with warnings.catch_warnings(), faster_moto(), embedded(seed=7, time_scale=120.0) as env:
        warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")
        yield env


def _poll_feedback_twice(env: Embedded) -> None:
    poll_feedback.run(env.services, env.tenant, env.services.now())
    env.sim.simulator.advance(120)
    poll_feedback.run(env.services, env.tenant, env.services.now())


def test_removal_candidates_reach_a_person_once_and_outcomes_are_recorded(env: Embedded) -> None:
    inbox = EscalationInbox(env.topic_arn, name="growth-inbox")
    _poll_feedback_twice(env)
    found = candidates(env.services, env.tenant)
    assert found, "the seeded feedback holds comments Amazon would remove"
    tasks = [t for t in inbox.read() if t["action"] == "request_feedback_removal"]
    assert {t["amazon_order_id"] for t in tasks} == {c["amazon_order_id"] for c in found}
    assert len(tasks) == len(found)  # once each
    for task in tasks:
        text = " ".join(task["reasons"])
        assert "removal candidate" in text and "Request removal" in text
        assert "case" in text  # the order's case history (or that there is none)
    # a later poll that sees the same rows hands nothing over again
    env.sim.simulator.advance(120)
    poll_feedback.run(env.services, env.tenant, env.services.now())
    assert not [t for t in inbox.read() if t["action"] == "request_feedback_removal"]

    # outcomes: a report covering their days, one row gone → removed; the rest still there
    # OUTCOME_AFTER later → not removed
    now = env.services.now()
    covered = (now - timedelta(days=90), now)
    gone = found[0]
    from spconnector.impact.feedback import FeedbackEntry

    rows = [
        FeedbackEntry(
            feedback_date=c["feedback_date"],
            rating=c["rating"],
            amazon_order_id=c["amazon_order_id"],
            line=n + 2,
        )
        for n, c in enumerate(found[1:])
    ]
    first = settle_outcomes(env.services, env.tenant, rows, covered, now)
    assert first == {"removed": 1, "not_removed": 0}
    later = settle_outcomes(env.services, env.tenant, rows, covered, now + OUTCOME_AFTER)
    assert later == {"removed": 0, "not_removed": len(found) - 1}
    events = env.services.growth.events(env.tenant.tenant_id)
    outcomes = {e.amazon_order_id: e.outcome for e in events if e.kind == "removal_outcome"}
    assert outcomes[gone["amazon_order_id"]] == "removed"
    summary = impact_summary(env.services, env.tenant)
    assert sum(m.removals_requested for m in summary.growth) == len(found)
    assert sum(m.removed for m in summary.growth) == 1


def test_the_outcome_check_reads_a_report_of_its_own(env: Embedded) -> None:
    _poll_feedback_twice(env)
    assert candidates(env.services, env.tenant)
    env.sim.simulator.advance(3 * 86400)  # past CHECK_AFTER
    requested = check_outcomes(env.services, env.tenant, env.services.now())
    assert requested["requested"]
    env.sim.simulator.advance(300)
    read = check_outcomes(env.services, env.tenant, env.services.now())
    # the simulator still has every row, and it is too early to say "not removed"
    assert read == {"requested": None, "removed": 0, "not_removed": 0}
    assert all(c["outcome"] is None for c in candidates(env.services, env.tenant))


def _a_to_z_mail(env: Embedded) -> bytes:
    for raw in env.sim.scenario.emails:
        if b"A_Z_CLAIM_RESPONDENT_NOTIFY" in raw:
            return raw
    pytest.skip("no A-to-z claim mail in this scenario")


def test_an_a_to_z_claim_gets_a_record_reminders_an_evidence_pack_and_an_outcome(
    env: Embedded,
) -> None:
    from spconnector.aws.clients import client

    services, tenant = env.services, env.tenant
    inbox = EscalationInbox(env.topic_arn, name="claims-inbox")
    raw = _a_to_z_mail(env)
    for n in range(2):  # the same notice delivered twice: one record
        key = f"inbound/{tenant.tenant_id}/atoz-{n}.eml"
        client("s3").put_object(Bucket=env.bucket, Key=key, Body=raw)
        ingest_s3_object(services, env.bucket, key)
        for body in env.drain("case-events"):
            process_case_event(services, body)
        for body in env.drain("actions"):
            act_on(services, body)
    recorded = claims.list_claims(services, tenant)
    assert len(recorded) == 1
    claim = recorded[0]
    assert claim.respond_by > claim.opened_at
    urgent = [t for t in inbox.read() if t["amazon_order_id"] == claim.amazon_order_id]
    assert urgent and all(t["priority"] == "urgent" for t in urgent)
    # notice routing's task, and once (for two deliveries) the task with the evidence pack
    opened = [t for t in urgent if t["action"] == "a_to_z_claim_evidence"]
    assert len(opened) == 1 and "Messages (UTC)" in opened[0]["reasons"][-1]
    assert any(t["action"] != "a_to_z_claim_evidence" for t in urgent)

    # reminders: 48 h, 24 h and 6 h before the deadline, once each, whatever the ticks
    for hours_left in (47, 47, 23, 5, 5):
        at = claim.respond_by - timedelta(hours=hours_left)
        sla_watch.run(services, tenant, at)
    reminders = [t for t in inbox.read() if t["action"] == "answer_a_to_z_claim"]
    assert len(reminders) == 3
    assert all("claims evidence" in " ".join(r["reasons"]) for r in reminders)

    pack = claims.evidence_pack(services, tenant, claim.amazon_order_id)
    data = pack.as_dict()
    assert data["order"] is not None and data["thread"]
    assert all(t["at"] for t in data["thread"])
    dumped = json.dumps(data)
    assert "@marketplace.amazon" not in dumped  # no relay alias
    text = pack.text()
    assert f"order {claim.amazon_order_id}" in text and "Respond by" in text

    runner = CliRunner()
    shown = runner.invoke(app, ["claims", "evidence", tenant.tenant_id, claim.amazon_order_id])
    assert shown.exit_code == 0 and "Messages (UTC)" in shown.output
    bad = runner.invoke(app, ["claims", "outcome", tenant.tenant_id, claim.amazon_order_id, "won"])
    assert bad.exit_code == 2 and "must be one of" in bad.output
    missing = runner.invoke(app, ["claims", "evidence", tenant.tenant_id, "999-0000000-0000000"])
    assert missing.exit_code == 2 and "no A-to-z claim" in missing.output
    done = runner.invoke(
        app, ["claims", "outcome", tenant.tenant_id, claim.amazon_order_id, "granted"]
    )
    assert done.exit_code == 0, done.output
    assert claims.get_claim(services, tenant, claim.amazon_order_id).outcome == "granted"  # type: ignore[union-attr]
    # a settled claim sends no more reminders
    sla_watch.run(services, tenant, claim.respond_by - timedelta(hours=1))
    assert not [t for t in inbox.read() if t["action"] == "answer_a_to_z_claim"]
    summary = impact_summary(services, tenant)
    assert sum(m.claims_opened for m in summary.growth) == 1
    assert sum(m.claims_granted for m in summary.growth) == 1
