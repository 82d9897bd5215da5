"""events/ and env.json: one sample event per function, and overrides SAM will apply."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from spconnector.local.bootstrap import ResourceNames
from spconnector.local.template import Template

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = Template.load(REPO / "template.yaml")
FUNCTIONS = TEMPLATE.functions()


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.logical_id)
def test_every_function_has_a_sample_event(fn) -> None:
    path = REPO / "events" / f"{fn.short_name}.json"
    assert path.is_file(), f"{fn.logical_id} has no sample event {path.name}"
    event = json.loads(path.read_text())
    assert isinstance(event, dict) and event


def test_no_sample_event_without_a_function() -> None:
    names = {f.short_name for f in FUNCTIONS}
    extra = [p.name for p in (REPO / "events").glob("*.json") if p.stem not in names]
    assert extra == []


def test_sqs_samples_carry_json_bodies() -> None:
    for fn in FUNCTIONS:
        event = json.loads((REPO / "events" / f"{fn.short_name}.json").read_text())
        for record in event.get("Records", []):
            if record.get("eventSource") == "aws:sqs":
                assert isinstance(json.loads(record["body"]), dict), fn.logical_id


def test_notification_sample_is_amazons_shape(sp_api_models: Path) -> None:
    schema = json.loads((sp_api_models / "ReportProcessingFinishedNotification.json").read_text())
    event = json.loads((REPO / "events" / "notifications.json").read_text())
    body = json.loads(event["Records"][0]["body"])
    jsonschema.validate(body, schema)
    assert body["notificationType"] == "REPORT_PROCESSING_FINISHED"


ENV_JSON = json.loads((REPO / "env.json").read_text())


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.logical_id)
def test_env_json_overrides_only_declared_variables(fn) -> None:
    # `sam local invoke --env-vars` ignores variables the template does not declare.
    overrides = {**ENV_JSON.get("Parameters", {}), **ENV_JSON.get(fn.logical_id, {})}
    assert fn.logical_id in ENV_JSON
    undeclared = sorted(set(overrides) - set(fn.environment))
    assert undeclared == [], f"declare these in template.yaml Globals: {undeclared}"


def test_env_json_points_at_simulator_moto_and_local_up_names() -> None:
    names = ResourceNames()
    for fn in FUNCTIONS:
        env = ENV_JSON[fn.logical_id]
        assert env["SPCONNECTOR_SP_API_ENDPOINT"] == "http://host.docker.internal:8900"
        assert env["SPCONNECTOR_LWA_TOKEN_URL"] == "http://host.docker.internal:8900/auth/o2/token"
        assert env["SPCONNECTOR_AWS_ENDPOINT"] == "http://host.docker.internal:5000"
        assert env["SPCONNECTOR_TABLE"] == names.table
        assert env["SPCONNECTOR_BUCKET"] == names.bucket
        for var, queue in (
            ("SPCONNECTOR_CASE_EVENTS_QUEUE", names.case_events_queue),
            ("SPCONNECTOR_ACTIONS_QUEUE", names.actions_queue),
            ("SPCONNECTOR_TENANT_WORK_QUEUE", names.tenant_work_queue),
            ("SPCONNECTOR_MAILBOX_POLL_QUEUE", names.mailbox_poll_queue),
        ):
            assert env[var] == f"http://host.docker.internal:5000/123456789012/{queue}"
        assert env["SPCONNECTOR_ESCALATION_TOPIC"].endswith(f":{names.escalation_topic}")
