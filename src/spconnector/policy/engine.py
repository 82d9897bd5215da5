"""decide(): one case in, one explained Decision out. Pure: no clock, no I/O.

Order of work: facts → the first rule that matches (or the fallback) → the refund it
implies → guards, each of which can only make the outcome safer (a person looks, or the
owner takes over), never richer → priority, deadline and the sentence that explains it.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from pydantic import BaseModel, ConfigDict

from spconnector.domain.case import case_id_for, priority_for, respond_by
from spconnector.domain.decision import Decision
from spconnector.domain.enums import Action, Intent, MessageKind, Mode, Priority
from spconnector.domain.models import A_TO_Z_OPEN, RefundSpec
from spconnector.domain.money import Money
from spconnector.domain.tenant import Budgets
from spconnector.policy.case import CaseInput
from spconnector.policy.compiler import CompiledPolicy
from spconnector.policy.facts import Facts, amount_in, build_facts
from spconnector.policy.loader import compiled, policy_version
from spconnector.policy.reading import uncertain_reading
from spconnector.policy.schema import Policy, RefundRule, Rule, Then

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)

# guard ids, as they appear in Decision.guards
ABUSIVE = "abusive_language"
PROTECTED = "protected_item"
FREQUENCY = "buyer_refund_frequency"
AUTONOMY = "autonomy_limit"
DAILY = "daily_budget"
MONTHLY = "monthly_budget"
CAP = "refund_cap"
NO_ORDER = "no_order"
NOT_POSITIVE = "refund_not_positive"
NOT_A_REQUEST = "not_a_buyer_request"
REFUNDED_ELSEWHERE = "already_refunded"
SETTLED_BY_AMAZON = "return_settled_by_amazon"
UNREAD_NOTICE = "unread_money_notice"
UNCERTAIN = "uncertain_reading"  # see policy/reading.py

# Actions that act on an order: never decided for a case without one.
_NEEDS_ORDER = frozenset({Action.REFUND_WITHOUT_RETURN, Action.REFUND_ON_RETURN, Action.REPLACE})
# Actions that move money or goods: never decided on a reading the model was unsure of.
_MOVES_VALUE = _NEEDS_ORDER


class TenantState(BaseModel):
    """What the guards need to know about the tenant at decide time."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    mode: Mode = Mode.SHADOW
    spent_today: Money | None = None  # refunds already committed today
    spent_month: Money | None = None  # … and this calendar month
    budgets: Budgets = Budgets()  # the tenant's own limits; they override the policy's


_NO_STATE = TenantState()
# guards that hold a refund for a person's approval (the others re-route the case)
_HELD = frozenset({PROTECTED, FREQUENCY, AUTONOMY, DAILY, MONTHLY, CAP})

_ACTION_PHRASE = {
    Action.REFUND_WITHOUT_RETURN: "Refund without return",
    Action.REFUND_ON_RETURN: "Refund once the item is back",
    Action.REPLACE: "Send a replacement",
    Action.REQUEST_INFO: "Ask for what is missing",
    Action.EDUCATE: "Explain gently with next steps",
    Action.DECLINE: "Decline kindly and offer what help there is",
    Action.ESCALATE_OWNER: "Pass to the owner",
    Action.ESCALATE_REVIEW: "Pass to a person for review",
    Action.ACKNOWLEDGE: "Answer",
}


@dataclass(slots=True)
class _Bite:
    guard: str
    reason: str


def decide(policy: Policy, case: CaseInput, *, tenant_state: TenantState | None = None) -> Decision:
    state = tenant_state or _NO_STATE
    cp = compiled(policy)
    facts = build_facts(policy, case)
    hit = cp.first_match(facts)
    rule: Rule | None = hit.rule if hit is not None else None
    then: Then = rule.then if rule is not None else policy.defaults.fallback

    action = then.action
    template = then.reply_template
    priority = then.priority
    ask_for_photos = then.ask_for_photos
    bites: list[_Bite] = []
    amount: Decimal | None = None
    money_stop = _money_stop(case) if action.moves_money else None
    doubt = uncertain_reading(policy, cp, case, action) if action in _MOVES_VALUE else None
    uncertain = _Bite(UNCERTAIN, doubt) if doubt is not None else None
    if not facts.has_order and action in _NEEDS_ORDER:
        bites.append(_Bite(NO_ORDER, "there is no order to act on"))
        action, template, ask_for_photos = Action.ESCALATE_REVIEW, None, False
    elif money_stop is not None:
        # Whatever the policy says: money moves only on a buyer's own request, once.
        bites.append(money_stop)
        action, template, ask_for_photos = Action.ESCALATE_REVIEW, None, False
    elif uncertain is not None:
        # A misread message never moves money or goods: a person reads it first.
        bites.append(uncertain)
        action, template, ask_for_photos = Action.ESCALATE_REVIEW, None, False
    elif action.moves_money:
        amount = _refund_amount(then.refund or _FULL, facts, policy, bites)
        if amount <= 0:
            # a zero or negative price is a misread order, never a refund: a person looks
            bites.append(_Bite(NOT_POSITIVE, f"the refund would be {amount}, not positive"))
            action, amount, template, ask_for_photos = Action.ESCALATE_REVIEW, None, None, False

    # --- guards: each can only hand the case to a person ---------------------------------
    if (
        policy.guards.abusive_to_owner
        and facts.intent is Intent.ABUSIVE
        and action is not Action.ESCALATE_OWNER
    ):
        bites.append(_Bite(ABUSIVE, "abusive language goes to the owner"))
        action, amount, ask_for_photos = Action.ESCALATE_OWNER, None, False
        template, priority = "escalate_owner.holding", Priority.URGENT
    if amount is not None:
        _money_guards(policy, cp, then, facts, amount, state, bites)

    if priority is None:
        kind = MessageKind.A_TO_Z_CLAIM if facts.a_to_z_claim else facts.kind
        priority = priority_for(facts.intent, kind)
    needs_approval = state.mode is Mode.APPROVE or any(b.guard in _HELD for b in bites)

    message = case.message
    if message is not None:
        base = message.received_at
    elif case.return_request is not None and case.return_request.request_date is not None:
        base = case.return_request.request_date
    else:
        base = case.now
    refund = (
        RefundSpec.model_construct(
            amount=amount,
            currency=facts.currency,
            requires_return=action is Action.REFUND_ON_RETURN,
        )
        if amount is not None
        else None
    )
    return Decision.model_construct(
        action=action,
        refund=refund,
        ask_for_photos=ask_for_photos,
        reply_template=template,
        priority=priority,
        respond_by=respond_by(base, cp.sla.get(priority)),
        needs_approval=needs_approval,
        rules=(rule.id,) if rule is not None else (),
        guards=tuple(b.guard for b in bites),
        explanation=_explain(policy, cp, rule, action, amount, facts, bites, state),
        policy_version=policy_version(policy),
        intent=facts.intent,
        wants=facts.wants,
        understanding_version=case.message.understanding_version if case.message else None,
        tenant=case.tenant,
        case_id=_case_id(case),
        decided_at=case.now,
    )


_FULL = RefundRule()


def _money_stop(case: CaseInput) -> _Bite | None:
    if case.already_refunded:
        return _Bite(REFUNDED_ELSEWHERE, "Amazon already refunded this order")
    ret = case.return_request
    settled: str | None = None
    if ret is not None:
        settled = ret.settled_by_amazon or (A_TO_Z_OPEN if ret.a_to_z_claim else None)
    if settled:
        # The returns report says Amazon pays (or paid) this return: ours would be a second.
        return _Bite(SETTLED_BY_AMAZON, settled)
    if case.unread_money_notice:
        return _Bite(
            UNREAD_NOTICE,
            "an Amazon notice for this order speaks of a refund, claim or chargeback that "
            "could not be read with confidence: a person reads it before any refund",
        )
    message = case.message
    if message is not None and message.kind is not MessageKind.BUYER_MESSAGE:
        return _Bite(NOT_A_REQUEST, f"a {message.kind.value} is no buyer's request for money")
    return None


def _case_id(case: CaseInput) -> str | None:
    if case.order is not None:
        return case_id_for(case.tenant, case.order.amazon_order_id)
    if case.message is not None and case.message.message_id:
        return case_id_for(case.tenant, None, case.message.message_id)
    return None


def _refund_amount(spec: RefundRule, f: Facts, policy: Policy, bites: list[_Bite]) -> Decimal:
    assert f.item_value is not None and f.charged is not None  # cases with an order only
    amount = f.item_value
    if spec.amount == "partial" and spec.percent is not None:
        amount = (amount * spec.percent / _HUNDRED).quantize(_CENT, rounding=ROUND_DOWN)
    if spec.cap is not None:
        cap = amount_in(spec.cap, f.currency, policy.defaults.currency)
        if cap is None:
            bites.append(_Bite(CAP, f"the rule's cap has no amount in {f.currency}"))
        elif amount > cap:
            amount = cap
    # never more than the buyer was charged
    return min(amount, f.charged)


def _budget(
    tenant: Money | None, policy_amounts: dict[str, Decimal] | None, currency: str
) -> tuple[bool, Decimal | None]:
    """(is there a limit at all, the limit in `currency` or None when unknown in it)."""
    if tenant is not None:
        return True, tenant.amount if tenant.currency == currency else None
    if policy_amounts is not None:
        return True, policy_amounts.get(currency)
    return False, None


def _spent(spent: Money | None, currency: str) -> Decimal | None:
    if spent is None:
        return Decimal(0)
    if spent.currency != currency:
        return Decimal(0) if spent.amount == 0 else None
    return spent.amount


def _money_guards(
    policy: Policy,
    cp: CompiledPolicy,
    then: Then,
    f: Facts,
    amount: Decimal,
    state: TenantState,
    bites: list[_Bite],
) -> None:
    guards = policy.guards
    cur = f.currency
    if not then.allow_protected_items:
        protected = f.flags.intersection(guards.protected_flags)
        if protected:
            names = " and ".join(sorted(protected)).replace("_", "-")
            bites.append(_Bite(PROTECTED, f"the item is {names}"))
    freq = guards.buyer_refund_frequency
    if freq is not None:
        if freq.max_refunds_365d is not None and f.buyer_refunds_365d >= freq.max_refunds_365d:
            bites.append(
                _Bite(FREQUENCY, f"the buyer had {f.buyer_refunds_365d} refunds in 365 days")
            )
        elif (
            freq.max_refund_rate is not None
            and f.buyer_refund_rate is not None
            and f.buyer_orders_365d >= freq.min_orders_for_rate
            and f.buyer_refund_rate > freq.max_refund_rate
        ):
            bites.append(
                _Bite(
                    FREQUENCY,
                    f"the buyer had {f.buyer_refunds_365d} refunds on "
                    f"{f.buyer_orders_365d} orders in 365 days",
                )
            )
    budgets = state.budgets
    exists, limit = _budget(budgets.autonomy_limit, cp.guard_amounts["autonomy_limit"], cur)
    if exists and (limit is None or amount > limit):
        bites.append(
            _Bite(AUTONOMY, f"{_fmt(amount, cur)} is above the autonomy limit {_fmt(limit, cur)}")
        )
    for gid, tenant_budget, key, spent, label in (
        (DAILY, budgets.daily_refunds, "daily_refund_budget", state.spent_today, "daily"),
        (MONTHLY, budgets.monthly_refunds, "monthly_refund_budget", state.spent_month, "monthly"),
    ):
        exists, limit = _budget(tenant_budget, cp.guard_amounts[key], cur)
        if not exists:
            continue
        already = _spent(spent, cur)
        if already is None:
            reason = f"the {label} spending so far is not in {cur}, so the budget cannot be checked"
            bites.append(_Bite(gid, reason))
        elif limit is None or already + amount > limit:
            bites.append(
                _Bite(
                    gid,
                    f"{_fmt(already, cur)} spent + {_fmt(amount, cur)} would pass "
                    f"the {label} refund budget of {_fmt(limit, cur)}",
                )
            )


def _fmt(value: Decimal | None, currency: str) -> str:
    if value is None:
        return f"(none set in {currency})"
    if value == value.to_integral_value() or value.as_tuple().exponent == -2:
        return f"{value:.2f} {currency}"
    return f"{value} {currency}"


def _details(rule: Rule, f: Facts, pcur: str) -> list[str]:
    """The numbers behind a rule, in words: what a seller checks first."""
    when = rule.when
    out: list[str] = []
    cur = f.currency
    for name, value in (("item_value", f.item_value), ("order_value", f.order_value)):
        rng = getattr(when, name)
        if rng is None or value is None:
            continue
        label = "item" if name == "item_value" else "order"
        low = amount_in(rng.min, cur, pcur) if rng.min is not None else None
        high = amount_in(rng.max, cur, pcur) if rng.max is not None else None
        if high is not None and low is None:
            out.append(f"{label} {_fmt(value, cur)} ≤ {_fmt(high, cur)}")
        elif low is not None and high is None:
            out.append(f"{label} {_fmt(value, cur)} ≥ {_fmt(low, cur)}")
        else:
            out.append(f"{label} {_fmt(low, cur)} ≤ {_fmt(value, cur)} ≤ {_fmt(high, cur)}")
    if when.cost_to_return_ratio is not None and f.cost_to_return_ratio is not None:
        ship = f.return_shipping_cost
        pct = (f.cost_to_return_ratio * _HUNDRED).quantize(Decimal(1))
        out.append(f"return shipping {_fmt(ship, cur)} is {pct}% of the item's value")
    if when.within_warranty is True:
        if f.warranty_days is None:
            out.append(f"lifetime guarantee, order {f.order_age_days} days old")
        else:
            out.append(f"{f.order_age_days} days into a {f.warranty_days}-day warranty")
    elif when.order_age_days is not None or when.within_return_window is not None:
        out.append(f"order {f.order_age_days} days old")
    if when.flags_any is not None or when.flags_all is not None:
        shown = sorted(f.flags.intersection((when.flags_any or []) + (when.flags_all or [])))
        if shown:
            out.append("item is " + " and ".join(shown).replace("_", "-"))
    if (
        when.buyer_refunds_365d is not None
        or when.buyer_refund_rate is not None
        or when.buyer_orders_365d is not None
    ):
        out.append(
            f"buyer: {f.buyer_refunds_365d} refunds on {f.buyer_orders_365d} orders in 365 days"
        )
    return out


def _explain(
    policy: Policy,
    cp: CompiledPolicy,
    rule: Rule | None,
    action: Action,
    amount: Decimal | None,
    f: Facts,
    bites: list[_Bite],
    state: TenantState,
) -> str:
    head = _ACTION_PHRASE[action]
    if amount is not None:
        head += f" of {_fmt(amount, f.currency)}"
    if rule is not None:
        details = _details(rule, f, policy.defaults.currency)
        why = rule.description + (f" ({'; '.join(details)})" if details else "")
        sentence = f"{head}: {why} — rule {rule.id}"
    else:
        reason = f" (reason {f.reason_code})" if f.reason_code else ""
        sentence = f"{head}: no rule matched a {f.intent.value} case{reason} — fallback"
    held = [b for b in bites if b.guard in _HELD]
    for bite in bites:
        if bite.guard not in _HELD:
            sentence += f"; guard {bite.guard}: {bite.reason}"
    if held:
        parts = ", ".join(f"{b.guard} ({b.reason})" for b in held)
        sentence += f"; needs approval — guard {parts}"
    elif amount is not None:
        exists, limit = _budget(
            state.budgets.autonomy_limit, cp.guard_amounts["autonomy_limit"], f.currency
        )
        if exists and limit is not None:
            sentence += f"; the autonomy limit ({_fmt(limit, f.currency)}) did not bite"
    if state.mode is Mode.APPROVE:
        sentence += "; approve mode: a person confirms every action"
    elif state.mode is Mode.SHADOW:
        sentence += "; shadow mode: logged, not carried out"
    return sentence + "."
