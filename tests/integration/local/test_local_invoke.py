"""`local invoke` of every function in template.yaml with its events/ sample: the handler runs
in-process, through the same code as the Lambda, against the seeded simulator and moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest

from spconnector.local.embedded import Embedded, embedded
from spconnector.local.invoke import Invocation, function_environment, invoke
from spconnector.local.seed import Seeded, seed_demo
from spconnector.local.template import Template
from tests.chaos.moto_speed import faster_moto

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = Template.load(REPO / "template.yaml")


@pytest.fixture(scope="module")
def seeded() -> Iterator[tuple[Embedded, Seeded]]:
    # One seeded environment for the module (seeding takes seconds): each sample touches
    # different data, and each test drains the queues it asserts on.
    # moto sped up as for the chaos runs (tests/chaos/moto_speed.py: the same results)
    with faster_moto(), embedded(seed=7) as env:
        yield env, seed_demo(env)


def sample(name: str) -> dict[str, Any]:
    return json.loads((REPO / "events" / f"{name}.json").read_text())


def body_of(event: dict[str, Any]) -> dict[str, Any]:
    return json.loads(event["Records"][0]["body"])


def run(name: str, env: Embedded) -> Invocation:
    outcome = invoke(TEMPLATE, TEMPLATE.function(name), sample(name), env)
    assert outcome.error is None, "".join(outcome.error["stackTrace"][-3:])
    assert outcome.record_failures == []
    return outcome


def test_every_template_function_is_covered_here() -> None:
    covered = {
        name.removeprefix("test_")
        for name, value in globals().items()
        if name.startswith("test_") and callable(value)
    }
    assert {f.short_name for f in TEMPLATE.functions()} <= covered


def test_ingest_email(seeded: tuple[Embedded, Seeded]) -> None:
    env, _ = seeded
    outcome = run("ingest_email", env)
    (result,) = outcome.result["outcomes"]
    assert result["status"] == "ingested"
    assert result["tenant"] == "demo-us"
    case = env.services.cases.get("demo-us", result["case_id"])
    assert case is not None
    published = [b for b in env.drain("case-events") if b["case_id"] == result["case_id"]]
    assert published and published[-1]["event"] == "message"


def test_process_case(seeded: tuple[Embedded, Seeded]) -> None:
    env, _ = seeded
    body = body_of(sample("process_case"))
    before = env.services.cases.decisions(body["tenant"], body["case_id"])
    outcome = run("process_case", env)
    assert outcome.result == {"batchItemFailures": []}
    after = env.services.cases.decisions(body["tenant"], body["case_id"])
    assert len(after) == len(before) + 1
    case = env.services.cases.get(body["tenant"], body["case_id"])
    assert case is not None and case.status != "open"


def test_act(seeded: tuple[Embedded, Seeded]) -> None:
    env, _ = seeded
    body = body_of(sample("act"))
    assert env.services.cases.decisions(body["tenant"], body["case_id"]), "act.json is stale"
    outcome = run("act", env)
    assert outcome.result == {"batchItemFailures": []}
    case = env.services.cases.get(body["tenant"], body["case_id"])
    assert case is not None
    assert case.status in ("answered", "refunded", "escalated")


def test_notifications(seeded: tuple[Embedded, Seeded]) -> None:
    env, _ = seeded
    env.drain("tenant-work")
    run("notifications", env)
    work = env.drain("tenant-work")
    assert [(w["job"], w["tenant"]) for w in work] == [("poll_returns", "demo-us")]


def test_scheduler(seeded: tuple[Embedded, Seeded]) -> None:
    env, _ = seeded
    env.drain("tenant-work")
    outcome = run("scheduler", env)
    assert outcome.result["job"] == "poll_returns"
    assert outcome.result["enqueued"] == ["demo-us"]
    work = env.drain("tenant-work")
    assert [(w["job"], w["tenant"]) for w in work] == [("poll_returns", "demo-us")]


def test_tenant_worker(seeded: tuple[Embedded, Seeded]) -> None:
    env, _ = seeded
    requested_before = {r.report_type for r in env.sim.state.reports.values()}
    run("tenant_worker", env)
    requested = {r.report_type for r in env.sim.state.reports.values()} - requested_before
    # poll_returns asked the (simulated) Reports API for both returns reports
    assert requested == {
        "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
        "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
    }


def test_poll_mailbox(seeded: tuple[Embedded, Seeded]) -> None:
    env, seeded_ids = seeded
    # the scheduler's poll tick goes to the mailbox-poll queue, never to TenantWorker's
    env.drain("tenant-work")
    outcome = invoke(TEMPLATE, TEMPLATE.function("scheduler"), {"job": "poll_mailbox"}, env)
    assert outcome.error is None and outcome.result["enqueued"] == [seeded_ids.tenant]
    assert env.drain("tenant-work") == []
    assert [w["job"] for w in env.drain("mailbox-poll")] == ["poll_mailbox"]
    # the seeded tenant receives by SES: its sample poll runs in PollMailbox and is skipped
    result = run("poll_mailbox", env).result
    assert result == {"batchItemFailures": []}
    assert env.services.checkpoints.imap(seeded_ids.tenant, "INBOX") is None


def test_console(seeded: tuple[Embedded, Seeded]) -> None:
    env, seeded_ids = seeded
    outcome = run("console", env)
    # the JWT claims name an agent of the seeded tenant: its inbox page, as HTML
    assert outcome.result["statusCode"] == 200
    assert outcome.result["headers"]["Content-Type"].startswith("text/html")
    body = outcome.result["body"]
    assert "agent@agency.example" in body and 'data-testid="inbox"' in body
    open_cases = [
        c
        for c in env.services.cases.list_cases(seeded_ids.tenant)
        if c.status.value in ("open", "decided", "awaiting_approval", "escalated")
    ]
    # (message-only case ids hold a Message-ID's angle brackets: escaped in the attribute)
    missing = [c.case_id for c in open_cases if f'data-case="{escape(c.case_id)}"' not in body]
    assert open_cases and missing == []


def test_environment_points_the_handler_at_the_local_resources(
    seeded: tuple[Embedded, Seeded],
) -> None:
    env, _ = seeded
    values = function_environment(TEMPLATE, TEMPLATE.function("act"), env)
    settings = env.services.settings
    assert values["SPCONNECTOR_TABLE"] == settings.table
    assert values["SPCONNECTOR_BUCKET"] == env.bucket
    assert values["SPCONNECTOR_ACTIONS_QUEUE"] == settings.actions_queue
    assert values["SPCONNECTOR_SP_API_ENDPOINT"] == env.sim.base_url
    assert values["SPCONNECTOR_LWA_TOKEN_URL"] == env.sim.lwa_token_url
    assert values["AWS_LAMBDA_FUNCTION_NAME"] == "ActFunction"


def test_a_crashing_handler_is_reported_like_lambda(seeded: tuple[Embedded, Seeded]) -> None:
    env, _ = seeded
    outcome = invoke(TEMPLATE, TEMPLATE.function("scheduler"), {"job": "no_such_job"}, env)
    assert outcome.error is not None
    assert outcome.error["errorType"] == "UnknownJob"
    assert "no_such_job" in outcome.error["errorMessage"]


def test_a_failing_record_is_reported_and_the_batch_goes_on(
    seeded: tuple[Embedded, Seeded],
) -> None:
    env, _ = seeded
    good = sample("notifications")["Records"][0]
    bad = dict(good, messageId="bad-1", body=json.dumps({"notificationType": "ORDER_CHANGE"}))
    outcome = invoke(TEMPLATE, TEMPLATE.function("notifications"), {"Records": [good, bad]}, env)
    assert outcome.error is None
    assert outcome.result["batchItemFailures"] == [{"itemIdentifier": "bad-1"}]
    assert outcome.record_failures == ["UnknownSeller: no tenant for seller ''"]
    assert len(env.drain("tenant-work")) == 1  # the good record still did its work
