"""Properties that must hold for every case: money, budgets, determinism, protected items,
photos never a condition, and the compiled rules agreeing with the reference reading."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spconnector.domain import Budgets, Intent, Mode, Money
from spconnector.policy import CaseInput, Policy, TenantState, decide, load_policy
from spconnector.policy.compiler import first_match_reference
from spconnector.policy.facts import build_facts
from spconnector.policy.loader import compiled
from tests.unit.policy.cases import DEFAULT_POLICY, FIXTURES, make_case

DEFAULT = load_policy(DEFAULT_POLICY)
BIG = load_policy(FIXTURES / "policies" / "two-hundred-rules.yaml")
# a policy that refunds everything, to stress the guards
EVERYTHING = load_policy(
    """
name: everything
guards:
  autonomy_limit: 100
  daily_refund_budget: 150
  monthly_refund_budget: 400
rules:
  - id: refund-everything
    description: refund anything, partially when costly
    when: {item_value: {min: 200}}
    then: {action: refund_on_return, refund: {amount: partial, percent: 60, cap: 180}}
  - id: refund-rest
    description: refund anything
    then: {action: refund_without_return, ask_for_photos: true}
"""
)
POLICIES = st.sampled_from([DEFAULT, BIG, EVERYTHING])

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)
money_spent = st.decimals(min_value=Decimal(0), max_value=Decimal(500), places=2)


@st.composite
def cases(draw: st.DrawFn) -> CaseInput:
    flags = draw(
        st.lists(
            st.sampled_from(["final_sale", "customized", "lifetime_guarantee", "fragile"]),
            max_size=2,
            unique=True,
        )
    )
    has_message = draw(st.booleans())
    return make_case(
        intent=draw(st.sampled_from(list(Intent))).value if has_message else None,
        message=has_message,
        price=str(draw(prices)),
        quantity=draw(st.integers(1, 4)),
        return_quantity=draw(st.one_of(st.none(), st.integers(1, 6))),
        reason=draw(st.sampled_from([None, "CR-DEFECTIVE", "CR-UNWANTED_ITEM", "WRONG_ITEM"])),
        sku=draw(st.sampled_from(["GP-01", "JB-CUSTOM-01", "JK-LIFE-01", "SKU-001", "NEW"])),
        delivered_days_ago=draw(st.integers(0, 2000)),
        orders=draw(st.integers(0, 20)),
        refunds=draw(st.integers(0, 8)),
        shipping=draw(st.sampled_from([None, "0.00", "4.99"])),
        item={"flags": flags} if flags else None,
        body=draw(st.sampled_from(["hi", "all wrinkled", "how do i use it", "broken"])),
        order=draw(st.integers(0, 9)) > 0,  # one case in ten has no order
    )


@st.composite
def states(draw: st.DrawFn) -> TenantState:
    tenant_budgets = draw(st.booleans())
    return TenantState(
        mode=draw(st.sampled_from(list(Mode))),
        spent_today=Money(amount=draw(money_spent), currency="USD"),
        spent_month=Money(amount=draw(money_spent) * 2, currency="USD"),
        budgets=Budgets(
            autonomy_limit=Money.of(draw(st.integers(5, 200)), "USD"),
            daily_refunds=Money.of(draw(st.integers(0, 400)), "USD"),
            monthly_refunds=Money.of(draw(st.integers(0, 900)), "USD"),
        )
        if tenant_budgets
        else Budgets(),
    )


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _charged(case: CaseInput) -> Decimal:
    # no order: nothing was charged, so no refund may be decided at all
    return case.order.charged_total.amount if case.order is not None else Decimal(-1)


@FAST
@given(POLICIES, cases(), states())
def test_a_refund_never_exceeds_what_was_charged(policy: Policy, case, state) -> None:
    decision = decide(policy, case, tenant_state=state)
    if decision.refund is not None:
        assert Decimal(0) <= decision.refund.amount <= _charged(case)
        assert decision.refund.currency == case.order.currency  # type: ignore[union-attr]


@FAST
@given(POLICIES, cases(), states())
def test_budgets_are_never_overrun(policy: Policy, case, state) -> None:
    decision = decide(policy, case, tenant_state=state)
    if decision.refund is None or decision.needs_approval:
        return
    amount = decision.refund.amount
    budgets = state.budgets
    cp = compiled(policy)
    daily = (
        budgets.daily_refunds.amount
        if budgets.daily_refunds
        else (cp.guard_amounts["daily_refund_budget"] or {}).get("USD")
    )
    monthly = (
        budgets.monthly_refunds.amount
        if budgets.monthly_refunds
        else (cp.guard_amounts["monthly_refund_budget"] or {}).get("USD")
    )
    limit = (
        budgets.autonomy_limit.amount
        if budgets.autonomy_limit
        else (cp.guard_amounts["autonomy_limit"] or {}).get("USD")
    )
    assert state.spent_today is not None and state.spent_month is not None
    if daily is not None:
        assert state.spent_today.amount + amount <= daily
    if monthly is not None:
        assert state.spent_month.amount + amount <= monthly
    if limit is not None:
        assert amount <= limit


@FAST
@given(POLICIES, cases(), states())
def test_the_same_input_gives_the_same_decision(policy: Policy, case, state) -> None:
    first = decide(policy, case, tenant_state=state)
    again = decide(
        policy, CaseInput.model_validate(case.model_dump(mode="json")), tenant_state=state
    )
    fresh = decide(load_policy(DEFAULT_POLICY), case, tenant_state=state)
    assert first == again
    if policy is DEFAULT:
        assert fresh == first


@FAST
@given(POLICIES, cases(), states())
def test_protected_items_never_get_an_automatic_refund(policy: Policy, case, state) -> None:
    decision = decide(policy, case, tenant_state=state)
    facts = build_facts(policy, case)
    if decision.refund is None or not ({"final_sale", "customized"} & facts.flags):
        return
    fired = next(r for r in policy.rules if r.id == decision.rules[0])
    assert decision.needs_approval or fired.then.allow_protected_items


@FAST
@given(POLICIES, cases(), states())
def test_photos_are_never_a_condition(policy: Policy, case, state) -> None:
    decision = decide(policy, case, tenant_state=state)
    if not decision.rules:
        return
    flipped_rules = [
        r.model_copy(
            update={"then": r.then.model_copy(update={"ask_for_photos": not r.then.ask_for_photos})}
        )
        for r in policy.rules
    ]
    flipped = policy.model_copy(update={"rules": flipped_rules})
    flipped._compiled = None
    flipped._version = None
    other = decide(flipped, case, tenant_state=state)
    assert (other.action, other.refund, other.needs_approval) == (
        decision.action,
        decision.refund,
        decision.needs_approval,
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(POLICIES, cases())
def test_compiled_rules_agree_with_the_reference_reading(policy: Policy, case) -> None:
    facts = build_facts(policy, case)
    hit = compiled(policy).first_match(facts)
    reference = first_match_reference(policy, facts)
    assert (hit.rule.id if hit else None) == (reference.id if reference else None)
