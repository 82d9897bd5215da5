"""Queue messages: the wire bytes the sample events carry, and what a malformed body does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from spconnector.messages import (
    ActionMessage,
    CaseEvent,
    CaseEventKind,
    SpApiNotification,
    WorkItem,
)

EVENTS = Path(__file__).resolve().parents[2] / "events"


def _body(name: str) -> str:
    (record,) = json.loads((EVENTS / f"{name}.json").read_text())["Records"]
    return str(record["body"])


@pytest.mark.parametrize(
    ("event", "model"),
    [("act", ActionMessage), ("process_case", CaseEvent), ("tenant_worker", WorkItem)],
)
def test_a_sample_body_parses_and_is_sent_again_byte_for_byte(
    event: str, model: type[ActionMessage | CaseEvent | WorkItem]
) -> None:
    body = _body(event)
    assert model.model_validate_json(body).to_body() == body


def test_the_action_body_is_the_idempotency_key_fields() -> None:
    action = ActionMessage(tenant="acme", case_id="acme#order#1", decision=3)
    assert action.to_body() == '{"case_id": "acme#order#1", "decision": 3, "tenant": "acme"}'
    assert ActionMessage.of({"tenant": "acme", "case_id": "acme#order#1", "decision": "3"}) == (
        action
    )


@pytest.mark.parametrize(
    "body",
    [
        {"tenant": "acme", "case_id": "c"},  # no decision
        {"tenant": "acme", "case_id": "c", "decision": "first"},
        {"tenant": "acme", "case_id": "c", "decision": 0},  # decisions count from 1
        {"tenant": "", "case_id": "c", "decision": 1},
        {"tenant": "acme", "case_id": "c", "decision": 1, "refund": "all of it"},  # unknown
    ],
)
def test_a_malformed_action_is_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ActionMessage.of(body)


def test_a_case_event_names_its_kind_and_leaves_absent_fields_out() -> None:
    event = CaseEvent(tenant="acme", case_id="c", event=CaseEventKind.RETURN, return_key="k")
    assert json.loads(event.to_body()) == {
        "tenant": "acme",
        "case_id": "c",
        "event": "return",
        "return_key": "k",
    }
    with pytest.raises(ValidationError):
        CaseEvent.of({"tenant": "acme", "case_id": "c", "event": "gossip"})


def test_a_notification_is_read_in_either_envelope_spelling() -> None:
    sample = SpApiNotification.model_validate_json(_body("notifications"))
    assert sample.notification_type == "REPORT_PROCESSING_FINISHED"
    assert "reportProcessingFinishedNotification" in sample.payload
    # ORDER_CHANGE comes PascalCase (OrderChangeNotification.json in the API models)
    pascal = SpApiNotification.of(
        {"NotificationType": "ORDER_CHANGE", "Payload": {"OrderChangeNotification": {}}}
    )
    assert pascal.notification_type == "ORDER_CHANGE"
    assert pascal.payload == {"OrderChangeNotification": {}}
    # an unknown type is not a validation failure: the job answers "ignored"
    assert SpApiNotification.of({}).notification_type == ""
    with pytest.raises(ValidationError):
        SpApiNotification.of({"notificationType": "X", "payload": "not an object"})
