"""The uncertain_reading guard: money and goods never move on a reading the model doubted.

What counts is the decision, not the label: "arrived broken, does not work" split between
damaged_in_transit and defective is a sure reading when both lead to the same action, so the
probabilities of every intent whose rule gives this action are added up. Pure, like decide().
"""

from __future__ import annotations

from spconnector.domain.enums import Action, Intent
from spconnector.policy.case import CaseInput, case_intent
from spconnector.policy.compiler import CompiledPolicy
from spconnector.policy.facts import build_facts
from spconnector.policy.schema import Policy


def uncertain_reading(
    policy: Policy, cp: CompiledPolicy, case: CaseInput, action: Action
) -> str | None:
    """Why the reading behind `action` is too unsure to act on, or None when it is sure
    enough (or there is no model reading to weigh: the guard is off, or a person gave the
    intent)."""
    threshold = policy.guards.uncertain_reading_below
    message = case.message
    if threshold is None or message is None or message.confidence is None:
        return None
    if message.confidence >= threshold:
        return None
    intent = case_intent(case)
    sure = message.confidence
    agreeing = [intent.value]
    for other, p in sorted(message.intent_probabilities.items()):
        if other is intent or action_for(policy, cp, case, other) is not action:
            continue
        sure += p
        agreeing.append(other.value)
    if sure >= threshold:
        return None
    reading = " or ".join(agreeing)
    return f"the message was read as {reading} with confidence {sure:.2f}, below {threshold:g}"


def action_for(policy: Policy, cp: CompiledPolicy, case: CaseInput, intent: Intent) -> Action:
    """The action the policy would take had the message been read as `intent`."""
    assert case.message is not None
    message = case.message.model_copy(update={"intent": intent})
    hit = cp.first_match(build_facts(policy, case.model_copy(update={"message": message})))
    return hit.rule.then.action if hit is not None else policy.defaults.fallback.action
