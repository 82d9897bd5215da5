"""Scheduled work fans out one unit per active tenant, grouped by tenant; a failing tenant's
unit ends in the DLQ after three receives, with its reason logged, and the others complete."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from spconnector.aws.clients import client
from spconnector.jobs.fanout import UnknownJob, fan_out
from spconnector.local.embedded import Embedded, embedded
from spconnector.local.fleet import add_tenant, refresh_token_for
from spconnector.local.invoke import invoke
from tests.functional.fanout.fleet import (
    MAX_RECEIVE_COUNT,
    TEMPLATE,
    json_lines,
    pump,
    receive_all,
    scan,
    with_redrive,
)

RETURNS_REPORT = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
ACTIVE = sorted(["demo-us", "alpha", "bravo", "charlie"])  # demo-us: the embedded default


@pytest.fixture
def env() -> Iterator[Embedded]:
    with embedded(seed=7) as env:
        for tid in ("alpha", "bravo", "charlie"):
            add_tenant(env, tid)
        add_tenant(env, "delta", paused=True)
        assert sorted(t.tenant_id for t in env.services.tenants.list() if not t.paused) == ACTIVE
        yield env


def test_scheduler_enqueues_one_item_per_active_tenant_grouped_by_tenant(env: Embedded) -> None:
    outcome = invoke(TEMPLATE, TEMPLATE.function("SchedulerFunction"), {"job": "sla_watch"}, env)
    assert outcome.error is None
    assert sorted(outcome.result["enqueued"]) == ACTIVE
    assert outcome.result["skipped_paused"] == ["delta"]

    messages = receive_all(env.queues["tenant-work"])
    tenants = [json.loads(m["Body"])["tenant"] for m in messages]
    assert sorted(tenants) == ACTIVE  # exactly one each, none for the paused tenant
    for message, tenant in zip(messages, tenants, strict=True):
        assert message["Attributes"]["MessageGroupId"] == tenant
        assert message["MessageAttributes"]["tenant"]["StringValue"] == tenant
        assert json.loads(message["Body"])["job"] == "sla_watch"


def test_the_same_tick_resent_is_one_unit_of_work(env: Embedded) -> None:
    with_redrive(env)  # the template's DeduplicationScope messageGroup
    tick = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    fan_out(env.services, "track_feeds", now=tick)
    fan_out(env.services, "track_feeds", now=tick)  # a scheduler retry of the same tick
    fan_out(env.services, "sla_watch", now=tick)  # another job is other work
    bodies = [json.loads(m["Body"]) for m in receive_all(env.queues["tenant-work"])]
    assert Counter((b["job"], b["tenant"]) for b in bodies) == Counter(
        {(job, t): 1 for job in ("track_feeds", "sla_watch") for t in ACTIVE}
    )


def test_unknown_job_is_refused_before_anything_is_enqueued(env: Embedded) -> None:
    with pytest.raises(UnknownJob, match="unknown job 'poll_everything'"):
        fan_out(env.services, "poll_everything")
    assert receive_all(env.queues["tenant-work"]) == []


def test_failing_tenant_dead_letters_while_the_others_complete(
    env: Embedded, capsys: pytest.CaptureFixture[str]
) -> None:
    dlq = with_redrive(env)
    # Sorts first, so its unit is received before everyone else's: its credentials secret
    # holds a refresh token Login with Amazon refuses, so every SP-API call fails.
    add_tenant(env, "aaa-broken", valid=False)
    capsys.readouterr()

    scheduled = invoke(
        TEMPLATE, TEMPLATE.function("SchedulerFunction"), {"job": "poll_returns"}, env
    )
    assert sorted(scheduled.result["enqueued"]) == sorted(["aaa-broken", *ACTIVE])
    pumped = pump(env)
    logs = json_lines(capsys.readouterr().err)

    # The broken tenant: received three times, each a reported batch item failure, then DLQ.
    broken = pumped.invocations["aaa-broken"]
    assert len(broken) == MAX_RECEIVE_COUNT
    for attempt in broken:
        assert attempt.error is None  # a reported item failure, not a failed invocation
        assert len(attempt.result["batchItemFailures"]) == 1
        assert attempt.record_failures == [
            "AuthError: lwa:token HTTP 400 invalid_grant: "
            "The request has an invalid grant parameter : refresh_token"
        ]
    dead = receive_all(dlq)
    assert [json.loads(m["Body"]) for m in dead] == [
        {"job": "poll_returns", "tenant": "aaa-broken", "tick": json.loads(dead[0]["Body"])["tick"]}
    ]
    assert dead[0]["Attributes"]["MessageGroupId"] == "aaa-broken"
    # The reason is in the tenant's own log lines (the DLQ keeps the message, not the reason).
    failed = [x for x in logs if x["message"] == "tenant work failed"]
    assert len(failed) == MAX_RECEIVE_COUNT
    for line in failed:
        assert line["tenant"] == "aaa-broken"
        assert line["level"] == "ERROR"
        assert line["job"] == "poll_returns"
        assert "invalid_grant" in line["reason"]
        assert refresh_token_for("aaa-broken") not in json.dumps(line)  # never the token

    # Everyone else: one receive, done, a returns report requested for their own account.
    assert sorted(pumped.completed) == ACTIVE
    pending = env.services.pending_reports
    for tenant in ACTIVE:
        (attempt,) = pumped.invocations[tenant]
        assert attempt.ok, attempt.record_failures
        assert pending.get(tenant, RETURNS_REPORT) is not None
    assert pending.get("aaa-broken", RETURNS_REPORT) is None
    done = sorted(x["tenant"] for x in logs if x["message"] == "tenant work done")
    assert done == ACTIVE
    assert receive_all(env.queues["tenant-work"]) == []


def test_a_tenant_paused_after_its_work_was_enqueued_does_nothing(env: Embedded) -> None:
    fan_out(env.services, "poll_returns")
    env.services.tenants.pause("alpha")
    before = {
        k: v for k, v in scan(env.services.settings.table).items() if k[0].startswith("alpha#")
    }
    pumped = pump(env)
    (attempt,) = pumped.invocations["alpha"]
    assert attempt.ok
    after = {
        k: v for k, v in scan(env.services.settings.table).items() if k[0].startswith("alpha#")
    }
    assert after == before  # no report requested, no cursor, nothing
    assert env.services.pending_reports.get("alpha", RETURNS_REPORT) is None
    assert env.services.pending_reports.get("bravo", RETURNS_REPORT) is not None
    # and alpha's unit is done, not retried
    assert (
        client("sqs").get_queue_attributes(
            QueueUrl=env.queues["tenant-work"], AttributeNames=["ApproximateNumberOfMessages"]
        )["Attributes"]["ApproximateNumberOfMessages"]
        == "0"
    )
