"""Rules compiled into plain predicates at load time, and indexed by intent.

`matches()` below is the reference: the obvious reading of a `When`, re-interpreted on
every call. The compiled predicates must agree with it on every case (a property test
checks that) and are what decide() uses; bench/policy.py measures one against the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from spconnector.domain.enums import Intent, Priority
from spconnector.policy.errors import PolicyError
from spconnector.policy.facts import Facts, amount_in
from spconnector.policy.schema import (
    MAX_SLA_HOURS,
    ORDER_CONDITIONS,
    Amounts,
    MoneyRange,
    NumberRange,
    Policy,
    Rule,
    When,
)

Predicate = Callable[[Facts], bool]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    index: int
    rule: Rule
    predicates: tuple[Predicate, ...]

    def matches(self, facts: Facts) -> bool:
        for predicate in self.predicates:  # noqa: SIM110 - a plain loop is faster than all()
            if not predicate(facts):
                return False
        return True


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    rules: tuple[CompiledRule, ...]
    by_intent: dict[Intent, tuple[CompiledRule, ...]]  # rules that can fire, in order
    sla: dict[Priority, timedelta]
    guard_amounts: dict[str, dict[str, Decimal] | None]  # autonomy/daily/monthly by currency

    def first_match(self, facts: Facts) -> CompiledRule | None:
        for compiled in self.by_intent[facts.intent]:
            if compiled.matches(facts):
                return compiled
        return None


def compile_policy(policy: Policy) -> CompiledPolicy:
    pcur = policy.defaults.currency
    compiled = tuple(
        CompiledRule(i, rule, _predicates(rule.when, pcur)) for i, rule in enumerate(policy.rules)
    )
    by_intent = {
        intent: tuple(
            c for c in compiled if c.rule.when.intent is None or intent in c.rule.when.intent
        )
        for intent in Intent
    }
    sla = {p: _hours(p.value, h) for p, h in policy.defaults.sla_hours.items()}
    guards = policy.guards
    amounts = {
        "autonomy_limit": _resolve(guards.autonomy_limit, pcur),
        "daily_refund_budget": _resolve(guards.daily_refund_budget, pcur),
        "monthly_refund_budget": _resolve(guards.monthly_refund_budget, pcur),
    }
    return CompiledPolicy(compiled, by_intent, sla, amounts)


def _hours(priority: str, hours: Decimal) -> timedelta:
    # The schema bounds sla_hours; a Policy built with model_construct skips it, so the
    # conversion is guarded here too (1e20 hours was an OverflowError traceback).
    try:
        if not hours.is_finite() or not 0 < hours <= MAX_SLA_HOURS:
            raise OverflowError
        return timedelta(hours=float(hours))
    except (OverflowError, ValueError):
        raise PolicyError(
            f"must be above 0 and at most {MAX_SLA_HOURS} hours, not {hours}",
            location=f"defaults.sla_hours.{priority}",
        ) from None


def _resolve(amounts: Amounts | None, pcur: str) -> dict[str, Decimal] | None:
    if amounts is None:
        return None
    out = {cur: value for cur, value in amounts.items() if cur}
    if "" in amounts:
        out.setdefault(pcur, amounts[""])
    return out


def _money(get: Callable[[Facts], Decimal | None], rng: MoneyRange, pcur: str) -> Predicate:
    low = _resolve(rng.min, pcur)
    high = _resolve(rng.max, pcur)

    def predicate(f: Facts) -> bool:
        value = get(f)
        if value is None:
            return False
        if low is not None:
            bound = low.get(f.currency)
            if bound is None or value < bound:
                return False
        if high is not None:
            bound = high.get(f.currency)
            if bound is None or value > bound:
                return False
        return True

    return predicate


def _number(get: Callable[[Facts], Decimal | int | None], rng: NumberRange) -> Predicate:
    low, high = rng.min, rng.max
    if low is not None and high is not None:
        return lambda f: (v := get(f)) is not None and low <= v <= high
    if low is not None:
        return lambda f: (v := get(f)) is not None and v >= low
    assert high is not None
    return lambda f: (v := get(f)) is not None and v <= high


def _predicates(when: When, pcur: str) -> tuple[Predicate, ...]:
    out: list[Predicate] = []
    # intent is handled by the index; the rest, cheapest first
    if any(getattr(when, name) is not None for name in ORDER_CONDITIONS):
        out.append(lambda f: f.has_order)
    if when.has_order is not None:
        has_order = when.has_order
        out.append(lambda f: f.has_order is has_order)
    if when.has_message is not None:
        has_message = when.has_message
        out.append(lambda f: f.has_message is has_message)
    if when.has_return_request is not None:
        has_return = when.has_return_request
        out.append(lambda f: f.has_return_request is has_return)
    if when.reason_code is not None:
        codes = frozenset(when.reason_code)
        out.append(lambda f: f.reason_code in codes)
    if when.kind is not None:
        kinds = frozenset(when.kind)
        out.append(lambda f: f.kind in kinds)
    if when.in_policy is not None:
        in_policy = when.in_policy
        out.append(lambda f: f.in_policy is in_policy)
    if when.a_to_z_claim is not None:
        a_to_z = when.a_to_z_claim
        out.append(lambda f: f.a_to_z_claim is a_to_z)
    if when.within_return_window is not None:
        window = when.within_return_window
        out.append(lambda f: f.within_return_window is window)
    if when.within_warranty is not None:
        warranty = when.within_warranty
        out.append(lambda f: f.within_warranty is warranty)
    if when.fulfillment_channel is not None:
        channels = frozenset(when.fulfillment_channel)
        out.append(lambda f: f.fulfillment_channel in channels)
    if when.category is not None:
        categories = frozenset(when.category)
        out.append(lambda f: f.category in categories)
    if when.flags_any is not None:
        flags_any = frozenset(when.flags_any)
        out.append(lambda f: not flags_any.isdisjoint(f.flags))
    if when.flags_all is not None:
        flags_all = frozenset(when.flags_all)
        out.append(lambda f: flags_all <= f.flags)
    if when.flags_none is not None:
        flags_none = frozenset(when.flags_none)
        out.append(lambda f: flags_none.isdisjoint(f.flags))
    if when.marketplace is not None:
        markets = frozenset(when.marketplace)
        out.append(lambda f: f.marketplace_id in markets or f.country in markets)
    if when.item_value is not None:
        out.append(_money(lambda f: f.item_value, when.item_value, pcur))
    if when.order_value is not None:
        out.append(_money(lambda f: f.order_value, when.order_value, pcur))
    if when.cost_to_return_ratio is not None:
        out.append(_number(lambda f: f.cost_to_return_ratio, when.cost_to_return_ratio))
    if when.order_age_days is not None:
        out.append(_number(lambda f: f.order_age_days, when.order_age_days))
    if when.buyer_orders_365d is not None:
        out.append(_number(lambda f: f.buyer_orders_365d, when.buyer_orders_365d))
    if when.buyer_refunds_365d is not None:
        out.append(_number(lambda f: f.buyer_refunds_365d, when.buyer_refunds_365d))
    if when.buyer_refund_rate is not None:
        out.append(_number(lambda f: f.buyer_refund_rate, when.buyer_refund_rate))
    if when.message_mentions is not None:
        phrases = tuple(when.message_mentions)
        out.append(lambda f: any(p in f.text for p in phrases))
    if when.wants is not None:
        wants = frozenset(when.wants)
        out.append(lambda f: f.wants is not None and f.wants in wants)
    if when.signals_any is not None:
        signals_any = frozenset(when.signals_any)
        out.append(lambda f: not signals_any.isdisjoint(f.signals))
    if when.signals_none is not None:
        signals_none = frozenset(when.signals_none)
        out.append(lambda f: signals_none.isdisjoint(f.signals))
    return tuple(out)


# ---- the reference reading ------------------------------------------------------------


def _in_range(value: Decimal | int | None, rng: NumberRange) -> bool:
    if value is None:
        return False
    return (rng.min is None or value >= rng.min) and (rng.max is None or value <= rng.max)


def _in_money_range(value: Decimal | None, rng: MoneyRange, f: Facts, pcur: str) -> bool:
    if value is None:
        return False
    if rng.min is not None:
        low = amount_in(rng.min, f.currency, pcur)
        if low is None or value < low:
            return False
    if rng.max is not None:
        high = amount_in(rng.max, f.currency, pcur)
        if high is None or value > high:
            return False
    return True


_FLAG_FIELDS = frozenset(
    {
        "has_order",
        "has_message",
        "has_return_request",
        "in_policy",
        "a_to_z_claim",
        "within_return_window",
        "within_warranty",
    }
)


def matches(when: When, f: Facts, pcur: str) -> bool:
    """Does the case satisfy every condition of `when`? Slow and obvious, on purpose."""
    checks: list[bool] = []
    for name in When.model_fields:
        if name in ORDER_CONDITIONS and getattr(when, name) is not None and not f.has_order:
            return False
        cond = getattr(when, name)
        if cond is None:
            continue
        if name == "intent":
            checks.append(f.intent in cond)
        elif name == "reason_code":
            checks.append(f.reason_code in cond)
        elif name == "kind":
            checks.append(f.kind in cond)
        elif name in _FLAG_FIELDS:
            checks.append(getattr(f, name) == cond)
        elif name == "fulfillment_channel":
            checks.append(f.fulfillment_channel in cond)
        elif name == "category":
            checks.append(f.category in cond)
        elif name == "flags_any":
            checks.append(any(flag in f.flags for flag in cond))
        elif name == "flags_all":
            checks.append(all(flag in f.flags for flag in cond))
        elif name == "flags_none":
            checks.append(not any(flag in f.flags for flag in cond))
        elif name == "marketplace":
            checks.append(f.marketplace_id in cond or f.country in cond)
        elif name in ("item_value", "order_value"):
            checks.append(_in_money_range(getattr(f, name), cond, f, pcur))
        elif name in (
            "cost_to_return_ratio",
            "order_age_days",
            "buyer_orders_365d",
            "buyer_refunds_365d",
            "buyer_refund_rate",
        ):
            checks.append(_in_range(getattr(f, name), cond))
        elif name == "message_mentions":
            checks.append(any(phrase in f.text for phrase in cond))
        elif name == "wants":
            checks.append(f.wants is not None and f.wants in cond)
        elif name == "signals_any":
            checks.append(any(signal in f.signals for signal in cond))
        elif name == "signals_none":
            checks.append(not any(signal in f.signals for signal in cond))
        else:  # pragma: no cover - a new When field must be taught to both readings
            raise AssertionError(f"condition {name} has no reference reading")
    return all(checks)


def first_match_reference(policy: Policy, f: Facts) -> Rule | None:
    for rule in policy.rules:
        if matches(rule.when, f, policy.defaults.currency):
            return rule
    return None
