"""The uncertain_reading guard: money and goods never move on a reading the model doubted."""

from __future__ import annotations

import pytest

from spconnector.domain import Action, Intent
from spconnector.policy import CaseInput, Policy, PolicyError, decide, load_policy, resolve_intent
from spconnector.policy.engine import UNCERTAIN
from spconnector.policy.schema import Guards
from tests.unit.policy.cases import DEFAULT_POLICY, make_case

REFUND_DEFECTS = """
name: refund-defects
rules:
  - id: refund-defect
    description: a defect refunded
    when: {intent: [defective]}
    then: {action: refund_without_return}
  - id: replace-damage
    description: damage replaced
    when: {intent: [damaged_in_transit]}
    then: {action: replace}
  - id: answer-questions
    description: a question answered
    when: {intent: [product_question]}
    then: {action: acknowledge}
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(REFUND_DEFECTS)


def read_with(case: CaseInput, confidence: float | None) -> CaseInput:
    assert case.message is not None
    message = case.message.model_copy(update={"confidence": confidence})
    return case.model_copy(update={"message": message})


def test_a_refund_on_an_unsure_reading_goes_to_a_person(policy: Policy) -> None:
    decision = decide(policy, read_with(make_case(intent="defective"), 0.41))
    assert decision.action is Action.ESCALATE_REVIEW
    assert decision.refund is None
    assert decision.guards == (UNCERTAIN,)
    assert "defective with confidence 0.41, below 0.6" in decision.explanation


def test_a_sure_reading_keeps_the_refund(policy: Policy) -> None:
    decision = decide(policy, read_with(make_case(intent="defective"), 0.93))
    assert decision.action is Action.REFUND_WITHOUT_RETURN
    assert UNCERTAIN not in decision.guards


def test_a_replacement_is_goods_and_is_guarded_too(policy: Policy) -> None:
    decision = decide(policy, read_with(make_case(intent="damaged_in_transit"), 0.5))
    assert decision.action is Action.ESCALATE_REVIEW
    assert decision.guards == (UNCERTAIN,)


def test_an_answer_that_moves_nothing_is_not_held(policy: Policy) -> None:
    decision = decide(policy, read_with(make_case(intent="product_question"), 0.3))
    assert decision.action is Action.ACKNOWLEDGE
    assert decision.guards == ()


def test_an_intent_given_by_a_person_has_no_confidence_to_weigh(policy: Policy) -> None:
    decision = decide(policy, read_with(make_case(intent="defective"), None))
    assert decision.action is Action.REFUND_WITHOUT_RETURN


def test_the_threshold_is_the_policys_and_can_be_turned_off() -> None:
    strict = load_policy(REFUND_DEFECTS + "guards: {uncertain_reading_below: 0.95}\n")
    off = load_policy(REFUND_DEFECTS + "guards: {uncertain_reading_below: null}\n")
    case = read_with(make_case(intent="defective"), 0.9)
    assert decide(strict, case).action is Action.ESCALATE_REVIEW
    assert decide(off, read_with(case, 0.05)).action is Action.REFUND_WITHOUT_RETURN
    with pytest.raises(PolicyError):
        load_policy(REFUND_DEFECTS + "guards: {uncertain_reading_below: 1.5}\n")
    assert Guards().uncertain_reading_below == 0.6


def test_resolve_intent_carries_the_models_confidence_to_the_guard() -> None:
    policy = load_policy(DEFAULT_POLICY)
    case = make_case(intent=None, subject="", body="The kettle stopped working after two days.")
    resolved = resolve_intent(case)
    assert resolved.message is not None
    assert resolved.message.confidence is not None and resolved.message.confidence >= 0.6
    # The same case, read by a model that doubted it, goes to a person however generous the rule.
    doubted = decide(policy, read_with(resolved, 0.2))
    assert doubted.action is Action.ESCALATE_REVIEW and UNCERTAIN in doubted.guards


def test_readings_that_lead_to_the_same_refund_add_up(policy: Policy) -> None:
    """Split between two intents the policy refunds alike, the refund is a sure decision."""
    both = load_policy(
        REFUND_DEFECTS.replace("intent: [defective]", "intent: [defective, damaged_in_transit]")
    )
    case = read_with(make_case(intent="defective"), 0.45)
    assert case.message is not None
    split = {
        Intent.DEFECTIVE: 0.45,
        Intent.DAMAGED_IN_TRANSIT: 0.3,
        Intent.PRODUCT_QUESTION: 0.2,
    }
    message = case.message.model_copy(update={"intent_probabilities": split})
    case = case.model_copy(update={"message": message})
    assert decide(both, case).action is Action.REFUND_WITHOUT_RETURN
    # Under a policy that replaces damage instead, the refund rests on 0.45 alone.
    held = decide(policy, case)
    assert held.action is Action.ESCALATE_REVIEW
    assert "read as defective with confidence 0.45" in held.explanation
