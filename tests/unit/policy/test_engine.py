"""Guards, modes, money and deadlines of decide()."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from spconnector.domain import Action, Budgets, Decision, Intent, Mode, Money
from spconnector.intake.classifier import Classification
from spconnector.policy import (
    CaseInput,
    Policy,
    TenantState,
    decide,
    load_policy,
    policy_version,
    resolve_intent,
)
from tests.unit.policy.cases import DEFAULT_POLICY, NOW, make_case


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(DEFAULT_POLICY)


GENEROUS = """
name: generous
guards:
  autonomy_limit: 100
  daily_refund_budget: 200
  monthly_refund_budget: 1000
  buyer_refund_frequency: {max_refunds_365d: 3}
rules:
  - id: refund-all
    description: every problem refunded
    when: {intent: [defective, abusive]}
    then: {action: refund_without_return}
"""


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_decision_is_a_valid_model(policy: Policy) -> None:
    decision = decide(policy, make_case())
    again = Decision.model_validate(decision.model_dump(mode="json"))
    assert again == decision
    assert decision.policy_version == policy_version(policy)
    assert decision.case_id == "demo-us#order#113-1234567-1234567"
    assert decision.decided_at == NOW


def test_autonomy_limit_holds_a_dear_refund(policy: Policy) -> None:
    decision = decide(policy, make_case(sku="KN-01", price="80.00"))
    assert decision.action is Action.REFUND_WITHOUT_RETURN
    assert decision.needs_approval
    assert decision.guards == ("autonomy_limit",)
    assert "80.00 USD is above the autonomy limit 75.00 USD" in decision.explanation


def test_tenant_budgets_override_the_policy(policy: Policy) -> None:
    state = TenantState(mode=Mode.LIVE, budgets=Budgets(autonomy_limit=usd("10")))
    decision = decide(policy, make_case(), tenant_state=state)
    assert decision.guards == ("autonomy_limit",)
    assert decision.needs_approval


def test_daily_budget_is_never_overrun(policy: Policy) -> None:
    state = TenantState(mode=Mode.LIVE, spent_today=usd("290.00"))
    decision = decide(policy, make_case(), tenant_state=state)
    assert decision.needs_approval
    assert decision.guards == ("daily_budget",)
    assert "daily refund budget" in decision.explanation
    exact = TenantState(mode=Mode.LIVE, spent_today=usd("287.01"))  # 287.01 + 12.99 = 300
    assert not decide(policy, make_case(), tenant_state=exact).needs_approval


def test_monthly_budget_is_never_overrun(policy: Policy) -> None:
    state = TenantState(mode=Mode.LIVE, spent_month=usd("2999.00"))
    decision = decide(policy, make_case(), tenant_state=state)
    assert decision.guards == ("monthly_budget",)


def test_spending_in_another_currency_cannot_be_checked_so_a_person_looks(
    policy: Policy,
) -> None:
    state = TenantState(mode=Mode.LIVE, spent_today=Money.of("5", "EUR"))
    decision = decide(policy, make_case(), tenant_state=state)
    assert "daily_budget" in decision.guards and decision.needs_approval


def test_buyer_refund_frequency_is_an_abuse_signal(policy: Policy) -> None:
    decision = decide(policy, make_case(orders=10, refunds=4))
    assert decision.guards == ("buyer_refund_frequency",)
    rate = decide(policy, make_case(orders=6, refunds=3 + 1))
    assert "buyer_refund_frequency" in rate.guards
    fine = decide(policy, make_case(orders=10, refunds=2))
    assert fine.guards == ()


def test_abusive_guard_overrides_a_generous_rule() -> None:
    decision = decide(load_policy(GENEROUS), make_case(intent="abusive"))
    assert decision.action is Action.ESCALATE_OWNER
    assert decision.refund is None
    assert decision.guards == ("abusive_language",)
    assert decision.reply_template == "escalate_owner.holding"
    assert not decision.needs_approval


def test_final_sale_needs_the_policy_to_allow_it() -> None:
    case = make_case(item={"flags": ["final_sale"]})
    held = decide(load_policy(GENEROUS), case)
    assert held.needs_approval and held.guards == ("protected_item",)
    allowed = load_policy(
        GENEROUS.replace(
            "then: {action: refund_without_return}",
            "then: {action: refund_without_return, allow_protected_items: true}",
        )
    )
    assert not decide(allowed, case).needs_approval


def test_approve_mode_holds_every_action(policy: Policy) -> None:
    state = TenantState(mode=Mode.APPROVE)
    decision = decide(policy, make_case(intent="product_question"), tenant_state=state)
    assert decision.needs_approval and decision.guards == ()
    assert "approve mode" in decision.explanation


def test_refund_never_exceeds_the_charge() -> None:
    text = GENEROUS.replace("autonomy_limit: 100", "autonomy_limit: 10000")
    case = make_case(price="50.00", quantity=2, return_quantity=5, reason="CR-DEFECTIVE")
    decision = decide(load_policy(text), case)
    assert decision.refund is not None and decision.refund.amount == Decimal("100.00")


def test_partial_and_capped_refunds() -> None:
    partial = GENEROUS.replace(
        "then: {action: refund_without_return}",
        "then: {action: refund_without_return, refund: {amount: partial, percent: 33}}",
    )
    decision = decide(load_policy(partial), make_case(price="10.00"))
    assert decision.refund is not None and decision.refund.amount == Decimal("3.30")
    capped = GENEROUS.replace(
        "then: {action: refund_without_return}",
        "then: {action: refund_without_return, refund: {cap: 20}}",
    )
    decision = decide(load_policy(capped), make_case(price="45.00"))
    assert decision.refund is not None and decision.refund.amount == Decimal("20")


def test_amount_thresholds_in_another_currency_never_match(policy: Policy) -> None:
    plain = load_policy(
        GENEROUS.replace("when: {intent: [defective, abusive]}", "when: {item_value: {max: 25}}")
    )
    usd_case = decide(plain, make_case(price="20"))
    jpy_case = decide(plain, make_case(price="20", currency="JPY", marketplace="A1VC38T7YXB528"))
    assert usd_case.rules == ("refund-all",)
    assert jpy_case.rules == ()


def test_respond_by_uses_the_policy_sla_and_amazons_24_hours(policy: Policy) -> None:
    with_message = decide(policy, make_case())
    assert with_message.respond_by == NOW - timedelta(hours=1) + timedelta(hours=12)
    bare_return = decide(policy, make_case(intent=None, message=False, reason="CR-DEFECTIVE"))
    assert bare_return.respond_by == NOW - timedelta(hours=2) + timedelta(hours=12)
    no_sla = load_policy(GENEROUS)
    assert decide(no_sla, make_case()).respond_by == NOW - timedelta(hours=1) + timedelta(days=1)


def test_no_refund_without_an_order() -> None:
    everything = GENEROUS.replace("when: {intent: [defective, abusive]}", "when: {}")
    decision = decide(load_policy(everything), make_case(order=False))
    assert decision.action is Action.ESCALATE_REVIEW
    assert decision.refund is None
    assert decision.guards == ("no_order",)
    assert decision.case_id == "demo-us#msg#<m1@example.com>"


def test_rules_on_order_facts_never_match_without_an_order() -> None:
    flags_none = GENEROUS.replace(
        "when: {intent: [defective, abusive]}", "when: {flags_none: [final_sale]}"
    )
    assert decide(load_policy(flags_none), make_case(order=False)).rules == ()


def test_the_dearest_item_is_judged_when_the_return_names_none(policy: Policy) -> None:
    case = make_case(
        price="9.99",
        extra_items=[
            {"sku": "KN-01", "quantity": 1, "unit_price": {"amount": "60.00", "currency": "USD"}}
        ],
    )
    assert decide(policy, case).rules == ("defect-higher-value",)


class _FakeClassifier:
    def classify(self, subject: str, body: str) -> Classification:
        intent = Intent.SIZE_FIT if "size" in body else Intent.OTHER
        return Classification(intent, 0.9, ("size",), "en")


def test_resolve_intent_fills_only_a_missing_intent() -> None:
    case = make_case(intent=None, body="wrong size, sorry")
    resolved = resolve_intent(case, _FakeClassifier())
    assert resolved.message is not None and resolved.message.intent is Intent.SIZE_FIT
    known = make_case(intent="defective", body="wrong size")
    assert resolve_intent(known, _FakeClassifier()) is known


def test_an_unresolved_message_intent_falls_back_to_the_return_reason(policy: Policy) -> None:
    case = make_case(intent=None, reason="CR-DEFECTIVE")
    assert decide(policy, case).intent is Intent.DEFECTIVE


def test_case_input_rejects_naive_timestamps() -> None:
    with pytest.raises(ValueError, match="timezone"):
        CaseInput.model_validate(
            {**make_case().model_dump(mode="json"), "now": "2026-11-20T10:00:00"}
        )


def test_resolve_intent_uses_the_intake_classifier_by_default(policy: Policy) -> None:
    case = make_case(intent=None, subject="Broken", body="The handle snapped off, it is broken.")
    resolved = resolve_intent(case)
    assert resolved.message is not None and resolved.message.intent is not None
    assert decide(policy, resolved).intent is resolved.message.intent


@pytest.mark.parametrize("price", ["0.00", "-5.00"])
def test_a_zero_or_negative_price_never_becomes_a_refund(policy: Policy, price: str) -> None:
    """Audit 11 item 12: a misread price must never propose a refund <= 0; a person looks."""
    decision = decide(policy, make_case(price=price))
    assert decision.refund is None
    assert not decision.action.moves_money
    assert decision.action is Action.ESCALATE_REVIEW
    assert "refund_not_positive" in decision.guards


# --- a return Amazon settles itself: the guard, whatever the tenant's rules say ------------
_REFUND_ALL = {
    "name": "refunds every return",
    "defaults": {"currency": "USD"},
    "rules": [
        {
            "id": "refund-everything",
            "description": "a refund for every return, to show what the guard overrides",
            "when": {"has_return_request": True},
            "then": {"action": "refund_without_return"},
        }
    ],
}


@pytest.mark.parametrize(
    ("settled", "a_to_z"),
    [
        ("the returns report shows 12.99 USD already refunded", False),
        ("a returnless refund: Amazon refunds the buyer itself", False),
        (None, True),  # a case file with the claim flag alone: no rule needed to stop it
    ],
)
def test_a_return_amazon_settles_is_never_refunded_even_by_a_refund_rule(
    settled: str | None, a_to_z: bool
) -> None:
    policy = Policy.model_validate(_REFUND_ALL)
    case = make_case(message=False, reason="CR-DEFECTIVE", a_to_z=a_to_z)
    control = decide(policy, make_case(message=False, reason="CR-DEFECTIVE"))
    assert control.action is Action.REFUND_WITHOUT_RETURN  # the rule refunds when nothing stops it
    if settled is not None:
        assert case.return_request is not None
        ret = case.return_request.model_copy(update={"settled_by_amazon": settled})
        case = case.model_copy(update={"return_request": ret})

    decision = decide(policy, case)

    assert decision.action is Action.ESCALATE_REVIEW and decision.refund is None
    assert decision.guards == ("return_settled_by_amazon",)
    assert (settled or "A-to-z") in decision.explanation
