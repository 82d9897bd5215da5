"""A queue body that is not its message type fails alone, with its reason logged; the good
records beside it in the batch are done (lambdas/_sqs_batch.py sqs_handler, model=...)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from spconnector.local.embedded import Embedded, embedded
from spconnector.local.fleet import add_tenant
from spconnector.local.invoke import invoke
from tests.functional.fanout.fleet import TEMPLATE, json_lines

A = "alpha"


@pytest.fixture
def env() -> Iterator[Embedded]:
    with embedded(seed=7) as env:
        add_tenant(env, A)
        yield env


def _record(message_id: str, body: str) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "receiptHandle": "local",
        "body": body,
        "attributes": {"ApproximateReceiveCount": "2"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:local",
        "awsRegion": "us-east-1",
    }


def test_malformed_work_items_fail_alone_with_their_reason(
    env: Embedded, capsys: pytest.CaptureFixture[str]
) -> None:
    good = json.dumps({"job": "sla_watch", "tenant": A, "tick": env.services.now().isoformat()})
    records = [
        _record("good-1", good),
        _record("no-job", json.dumps({"tenant": A, "secret": "buyer@example.com"})),
        _record("not-json", "job=sla_watch"),
        _record("a-list", json.dumps([A])),
    ]
    capsys.readouterr()

    outcome = invoke(TEMPLATE, TEMPLATE.function("TenantWorkerFunction"), {"Records": records}, env)

    assert outcome.error is None
    failed = [f["itemIdentifier"] for f in outcome.result["batchItemFailures"]]
    assert failed == ["no-job", "not-json", "a-list"]
    assert len(outcome.record_failures) == 3
    assert all(f.startswith("ValidationError") for f in outcome.record_failures)
    logs = json_lines(capsys.readouterr().err)
    reasons = {line["message_id"]: line for line in logs if line.get("message") == "record failed"}
    assert set(reasons) == {"no-job", "not-json", "a-list"}
    assert "job" in reasons["no-job"]["reason"]  # names the missing field...
    assert reasons["no-job"]["tenant"] == A and reasons["no-job"]["receive_count"] == "2"
    assert "buyer@example.com" not in json.dumps(logs)  # ...never the body's values
    assert any(line.get("message") == "tenant work done" for line in logs)  # good-1 ran


def test_an_action_whose_decision_is_not_a_number_is_refused_before_act_runs(
    env: Embedded,
) -> None:
    body = json.dumps({"tenant": A, "case_id": f"{A}#order#1", "decision": "first"})
    outcome = invoke(
        TEMPLATE, TEMPLATE.function("ActFunction"), {"Records": [_record("bad", body)]}, env
    )
    assert outcome.result["batchItemFailures"] == [{"itemIdentifier": "bad"}]
    (failure,) = outcome.record_failures
    assert failure.startswith("ValidationError") and "decision" in failure
