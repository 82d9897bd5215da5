"""Approve mode: decisions wait for a person; `spconnector cases approve/deny` settle them."""

from __future__ import annotations

import json
import warnings

import pytest
from typer.testing import CliRunner

from spconnector.cli import app
from spconnector.domain import CaseStatus, Mode
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from spconnector.local.embedded import embedded
from tests.chaos.moto_speed import faster_moto

runner = CliRunner()


@pytest.fixture()
def waiting_cases():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with faster_moto(), embedded(seed=7, time_scale=60.0, mode=Mode.APPROVE) as env:
            services = env.services
            for raw in env.sim.scenario.emails[:12]:
                ingest_email(services, env.tenant, raw)
            for body in env.drain("case-events"):
                process_case_event(services, body)
            waiting = services.cases.list_cases("demo-us", status=CaseStatus.AWAITING_APPROVAL)
            yield env, waiting


def test_approve_mode_sends_nothing_until_a_person_approves(waiting_cases) -> None:
    env, waiting = waiting_cases
    assert waiting, "approve mode must leave cases waiting"
    assert env.drain("actions") == []  # nothing acted alone

    listed = runner.invoke(
        app, ["cases", "list", "--tenant", "demo-us", "--needs-approval", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    assert {row["case_id"] for row in json.loads(listed.stdout)} == {c.case_id for c in waiting}

    case = waiting[0]
    approved = runner.invoke(app, ["cases", "approve", case.case_id, "--by", "dana"])
    assert approved.exit_code == 0, approved.output
    outcome = json.loads(approved.stdout)
    assert outcome["approved_by"] == "dana"
    after = env.services.cases.get("demo-us", case.case_id)
    assert after is not None and after.status is not CaseStatus.AWAITING_APPROVAL

    again = runner.invoke(app, ["cases", "approve", case.case_id, "--by", "dana"])
    assert again.exit_code == 2
    assert again.stderr.count("\n") == 1 and "not awaiting approval" in again.stderr


def test_deny_closes_with_the_reason_and_sends_nothing(waiting_cases) -> None:
    env, waiting = waiting_cases
    case = waiting[-1]
    denied = runner.invoke(
        app, ["cases", "deny", case.case_id, "--reason", "buyer already refunded by phone"]
    )
    assert denied.exit_code == 0, denied.output
    assert env.services.cases.get("demo-us", case.case_id).status is CaseStatus.CLOSED
    no_reason = runner.invoke(app, ["cases", "deny", case.case_id, "--reason", " "])
    assert no_reason.exit_code == 2


def test_bad_case_id_is_one_line_exit_2(waiting_cases) -> None:
    result = runner.invoke(app, ["cases", "approve", "not-a-case-id"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:")
