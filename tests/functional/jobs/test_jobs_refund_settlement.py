"""A person settles a refund whose outcome is unknown (`spconnector refunds settle`), and a
late redelivery of a refund Amazon rejected tells the buyer nothing (audit 11 items 1, 2)."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from spconnector.cli import app
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event

from .conftest import JobsEnv, ingest
from .test_jobs_refund_outcomes import DEFECT, _refunded_and_told, _track_until_settled

runner = CliRunner()


def _unknown_refund(env: JobsEnv, faults: Any) -> tuple[str, dict[str, Any]]:
    order_id, _case_id, _outcome = _refunded_and_told(env)
    faults(feed_fatal=1.0)
    _track_until_settled(env)
    faults()
    env.escalations()
    listed = runner.invoke(app, ["refunds", "unsettled", "--tenant", env.tid])
    assert listed.exit_code == 0, listed.output
    rows = [r for r in json.loads(listed.stdout) if r["amazon_order_id"] == order_id]
    assert len(rows) == 1 and rows[0]["state"] == "unknown", rows
    return order_id, rows[0]


def _buyer_writes_again(env: JobsEnv, order_id: str) -> dict[str, Any]:
    _case, events = ingest(env, order_id, DEFECT)
    for event in events:
        process_case_event(env.services, event)
    outcomes = [act_on(env.services, action) for action in env.drain("actions")]
    assert outcomes, "no action decided"
    return outcomes[-1]


def test_a_person_settles_an_unknown_refund_as_paid(jobs_env: JobsEnv, faults: Any) -> None:
    order_id, row = _unknown_refund(jobs_env, faults)
    args = ["refunds", "settle", jobs_env.tid, order_id, row["adjustment_id"]]

    missing = runner.invoke(app, [*args, "--note", "checked"])
    assert missing.exit_code == 2 and missing.stderr.count("\n") == 1, missing.output
    settled = runner.invoke(app, [*args, "--paid", "--note", "in Seller Central", "--by", "dana"])
    assert settled.exit_code == 0, settled.output
    assert json.loads(settled.stdout)["state"] == "confirmed"
    again = runner.invoke(app, [*args, "--not-paid", "--note", "oops", "--by", "dana"])
    assert again.exit_code == 2 and "not unknown" in again.stderr, again.output

    assert _buyer_writes_again(jobs_env, order_id)["refund"]["state"] == "refused"


def test_a_person_settles_an_unknown_refund_as_not_paid(jobs_env: JobsEnv, faults: Any) -> None:
    order_id, row = _unknown_refund(jobs_env, faults)
    # meanwhile: still blocked
    assert _buyer_writes_again(jobs_env, order_id)["refund"]["state"] == "refused"
    settled = runner.invoke(
        app,
        [
            *("refunds", "settle", jobs_env.tid, order_id, row["adjustment_id"]),
            *("--not-paid", "--note", "no refund in Seller Central", "--by", "dana"),
        ],
    )
    assert settled.exit_code == 0, settled.output
    assert json.loads(settled.stdout)["state"] == "failed"
    # The sim applied it (feed_fatal applies) and the person says otherwise: their word
    # settles the record, but Amazon's Finances lists the refund, so the next automatic
    # refund is refused and a person decides again (it was "approved" before that check).
    again = _buyer_writes_again(jobs_env, order_id)["refund"]
    assert again["state"] == "refused"
    assert "Finances API lists" in again["reason"] and "refund of" in again["reason"]


def test_a_late_redelivery_after_amazon_rejected_the_refund_tells_the_buyer_nothing(
    jobs_env: JobsEnv, faults: Any
) -> None:
    from spconnector.jobs.act import carry_out

    order_id, case_id, _outcome = _refunded_and_told(jobs_env)
    faults(message_rejected=1.0)
    _track_until_settled(jobs_env)
    faults()
    jobs_env.escalations()
    services = jobs_env.services
    case = services.cases.get(jobs_env.tid, case_id)
    decisions = services.cases.decisions(jobs_env.tid, case_id)
    mails_before = len(jobs_env.sent_mail())

    # the same decision carried out again (the action's first run died before it finished)
    again = carry_out(services, jobs_env.tenant, case, decisions[-1], len(decisions))

    assert again["refund"]["state"] == "failed" and again["reply"]["status"] == "held", again
    assert again["status"] == "escalated"
    assert len(jobs_env.sent_mail()) == mails_before
    assert jobs_env.env.sim.state.refund_count(order_id) == 0
