"""`Decision.notice`: set by notice routing; a decision stored before the field existed is still
read as a notice decision by its rule, and a policy decision's JSON has no new key."""

from __future__ import annotations

import json
from typing import Any

from spconnector.domain import Decision
from spconnector.domain.enums import MessageKind

WIRE: dict[str, Any] = {
    "action": "acknowledge",
    "refund": None,
    "ask_for_photos": False,
    "reply_template": None,
    "priority": "low",
    "respond_by": None,
    "needs_approval": False,
    "rules": ["notice:refund_notice"],
    "guards": [],
    "explanation": "Amazon refunded the buyer",
    "policy_version": "notices-1",
}


def test_a_stored_notice_decision_without_the_field_is_read_as_a_notice() -> None:
    decision = Decision.model_validate_json(json.dumps(WIRE))
    assert decision.notice is MessageKind.REFUND_NOTICE


def test_a_notice_decision_round_trips_with_its_notice() -> None:
    decision = Decision.model_validate({**WIRE, "notice": "a_to_z_claim"})
    assert json.loads(decision.model_dump_json())["notice"] == "a_to_z_claim"
    assert Decision.model_validate_json(decision.model_dump_json()) == decision


def test_a_policy_decision_is_no_notice_and_its_json_is_unchanged() -> None:
    policy = {**WIRE, "rules": ["defect.small_refund"], "policy_version": "v3"}
    decision = Decision.model_validate(policy)
    assert decision.notice is None
    assert "notice" not in json.loads(decision.model_dump_json())
    assert "notice" not in decision.model_dump()
