"""One tenant's data can never be read through another tenant's run.

Two tenants of the same (simulated) seller: keys, logs, queues and S3 objects written while
tenant A's scheduled work runs belong to A, apart from the documented shared keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from spconnector.aws.clients import client
from spconnector.aws.errors import TenantMismatch
from spconnector.jobs.fanout import run_work_item
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from spconnector.local.embedded import Embedded, embedded
from spconnector.local.fleet import add_tenant
from spconnector.local.invoke import invoke
from tests.functional.fanout.fleet import TEMPLATE, json_lines, scan

A, B = "alpha", "bravo"
JOBS = ("poll_returns", "poll_feedback", "sla_watch", "track_feeds", "report", "sync_orders")


@pytest.fixture
def env() -> Iterator[Embedded]:
    with embedded(seed=7) as env:
        add_tenant(env, A)
        add_tenant(env, B)
        yield env


def _b_case(env: Embedded) -> str:
    b = env.services.tenants.require(B)
    outcome = ingest_email(env.services, b, env.sim.scenario.emails[0])
    assert outcome.status == "ingested" and outcome.case_id
    return outcome.case_id


def test_a_case_of_b_cannot_be_read_through_a(env: Embedded) -> None:
    case_id = _b_case(env)
    cases = env.services.cases
    assert cases.get(B, case_id) is not None
    for read in (cases.get, cases.messages, cases.returns, cases.decisions):
        with pytest.raises(TenantMismatch):
            read(A, case_id)
    message = cases.messages(B, case_id)[0]
    with pytest.raises(TenantMismatch):
        cases.add_message(A, case_id, message)
    # B's case id re-badged as A's names another key: nothing is there.
    assert cases.get(A, A + case_id.removeprefix(B)) is None
    assert cases.list_cases(A) == []
    assert [c.case_id for c in cases.list_cases(B)] == [case_id]
    # A's ProcessCase run handed B's case id refuses it.
    with pytest.raises(TenantMismatch):
        process_case_event(env.services, {"tenant": A, "case_id": case_id, "event": "message"})


def _changed(before: dict[Any, Any], after: dict[Any, Any]) -> list[tuple[str, str]]:
    return sorted(k for k, v in after.items() if before.get(k) != v) + sorted(
        k for k in before if k not in after
    )


def _shared_key_kind(pk: str, seller_id: str) -> str | None:
    """The documented keys not prefixed by a tenant that a tenant's run may write."""
    if pk.startswith(f"{seller_id}#ratelimit#"):
        return "sp rate limiter bucket, per (seller, operation) as Amazon's usage plans"
    return None


def test_work_for_a_touches_only_a_keys_queues_objects_and_logs(
    env: Embedded, capsys: pytest.CaptureFixture[str]
) -> None:
    table = env.services.settings.table
    # B has data of every kind first: a case with a message, a requested returns report.
    _b_case(env)
    run_work_item(env.services, {"job": "poll_returns", "tenant": B})
    env.drain("case-events")
    s3 = client("s3")
    objects_before = {o["Key"] for o in s3.list_objects_v2(Bucket=env.bucket).get("Contents", [])}
    before = scan(table)
    capsys.readouterr()

    # A's scheduled work, run twice around simulated time so reports finish, plus the
    # ProcessCase and Act runs its returns cause.
    for _ in range(2):
        for job in JOBS:
            run_work_item_via_worker(env, job, A)
        env.sim.advance(180)
    events = env.drain("case-events")
    assert events, "A's returns report opened no case"
    for body in events:
        assert body["tenant"] == A and body["case_id"].startswith(f"{A}#")
        assert invoke_sqs(env, "ProcessCaseFunction", body).ok
    acted = env.drain("actions")
    for body in acted:
        assert body["tenant"] == A
        assert invoke_sqs(env, "ActFunction", body).ok
    output = capsys.readouterr().err
    logs = json_lines(output)
    metrics = [json.loads(x) for x in output.splitlines() if x.startswith('{"_aws"')]
    after = scan(table)

    changed = _changed(before, after)
    assert any(pk.startswith(f"{A}#case#") for pk, _ in changed)
    # Act's idempotency records sit in A's own partition, not one shared by every tenant
    assert not acted or any(pk == f"{A}#idempotency#act" for pk, _ in changed)
    assert not any(pk == "idempotency#act" for pk, _ in changed)
    shared = {
        pk: kind
        for pk, _ in changed
        if not pk.startswith(f"{A}#")
        and (kind := _shared_key_kind(pk, env.tenant.seller_id)) is not None
    }
    foreign = [k for k in changed if not k[0].startswith(f"{A}#") and k[0] not in shared]
    assert foreign == []
    assert not [k for k in changed if k[0].startswith(f"{B}#")]
    for key in changed:
        item = after.get(key, {})
        if "gsi1pk" in item:
            assert item["gsi1pk"]["S"].startswith(f"{A}#")
        if "tenant" in item:
            assert item["tenant"]["S"] == A
    # (Printed for the record: pytest -s shows which shared keys A's run wrote.)
    print("shared keys written during A's run:", json.dumps(shared, indent=2))

    new_objects = {
        o["Key"] for o in s3.list_objects_v2(Bucket=env.bucket).get("Contents", [])
    } - objects_before
    assert new_objects and all(f"/{A}/" in f"/{k}" for k in new_objects), new_objects

    # Every EMF metric line of A's run is A's (the tenant is a dimension).
    assert metrics and {m.get("tenant") for m in metrics} == {A}
    assert logs, "A's run logged nothing"
    assert {line.get("tenant") for line in logs} == {A}, [
        (line["message"], line.get("tenant")) for line in logs if line.get("tenant") != A
    ]


def run_work_item_via_worker(env: Embedded, job: str, tenant: str) -> None:
    body = {"job": job, "tenant": tenant, "tick": env.services.now().isoformat()}
    outcome = invoke_sqs(env, "TenantWorkerFunction", body)
    assert outcome.ok, (job, outcome.record_failures, outcome.error)


def invoke_sqs(env: Embedded, function: str, body: dict[str, Any]) -> Any:
    """One SQS record as the event source would deliver it (body and tenant attribute)."""
    event = {
        "Records": [
            {
                "messageId": f"{function}-{body.get('case_id', body.get('job'))}",
                "receiptHandle": "local",
                "body": json.dumps(body),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {
                    "tenant": {"stringValue": body["tenant"], "dataType": "String"}
                },
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:local",
                "awsRegion": "us-east-1",
            }
        ]
    }
    return invoke(TEMPLATE, TEMPLATE.function(function), event, env)
