"""The replay: returns (and joined messages) decided by a policy, in request-date order.

Pure: no file, no clock, no network — the records come parsed and the progress display, if
any, is handed in. Each case is decided at its request date in live mode, with refunds
committed so far counted against the daily and monthly budgets; what the report cannot say
is assumed, and the assumptions are listed in the result.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from spconnector.backtest.model import (
    ASSUMED_DELIVERY_DAYS,
    FEEDBACK_NOT_AVAILABLE,
    BacktestResult,
    ReplayedCase,
    Stopped,
)
from spconnector.domain.enums import Action, Mode
from spconnector.domain.marketplaces import BY_ID
from spconnector.domain.models import BuyerMessage, Order, OrderItem, ReturnRequest
from spconnector.domain.money import Money
from spconnector.policy.case import CaseInput, CaseMessage, CaseReturn
from spconnector.policy.engine import TenantState, decide
from spconnector.policy.facts import amount_in
from spconnector.policy.loader import policy_version
from spconnector.policy.schema import Policy

# Wraps the ordered records, e.g. in a progress bar (sources.py); the identity by default.
Progress = Callable[[list[ReturnRequest]], Iterable[ReturnRequest]]


def replay(
    policy: Policy,
    records: Iterable[ReturnRequest],
    *,
    messages: dict[str, list[BuyerMessage]] | None = None,
    feedback: dict[str, int] | None = None,
    skipped: list[str] | None = None,
    tenant: str = "backtest",
    progress: Progress | None = None,
) -> BacktestResult:
    """The replay itself, on already-parsed records (returns in request-date order)."""
    messages = dict(messages or {})
    skipped = list(skipped or [])
    pcur = policy.defaults.currency
    ordered = sorted(
        records,
        key=lambda r: (r.request_date or datetime.max.replace(tzinfo=UTC), r.amazon_order_id),
    )
    decisions: Counter[str] = Counter()
    without: defaultdict[str, Decimal] = defaultdict(Decimal)
    on_return: defaultdict[str, Decimal] = defaultdict(Decimal)
    kept_cost: defaultdict[str, Decimal] = defaultdict(Decimal)
    kept_units = 0
    approvals = 0
    stopped: dict[str, tuple[int, defaultdict[str, Decimal]]] = {}
    spent_day: defaultdict[tuple[str, str], Decimal] = defaultdict(
        Decimal
    )  # (YYYY-MM-DD, currency) → committed
    spent_month: defaultdict[tuple[str, str], Decimal] = defaultdict(Decimal)
    decided_orders: dict[str, str] = {}
    replayed: list[ReplayedCase] = []
    replayed_messages = 0

    for record in progress(ordered) if progress is not None else ordered:
        built = _case(record, messages.pop(record.amazon_order_id, []), tenant, pcur)
        if isinstance(built, str):
            skipped.append(f"order {record.amazon_order_id}: {built}")
            continue
        case, currency = built
        replayed_messages += 1 if case.message is not None else 0
        day = case.now.date().isoformat()
        month = day[:7]
        state = TenantState(
            mode=Mode.LIVE,
            spent_today=Money(amount=spent_day[(day, currency)], currency=currency),
            spent_month=Money(amount=spent_month[(month, currency)], currency=currency),
        )
        decision = decide(policy, case, tenant_state=state)
        decisions[decision.action.value] += 1
        decided_orders[record.amazon_order_id] = decision.action.value
        cost: dict[str, Decimal] = {}
        replayed.append(
            ReplayedCase(
                order_id=record.amazon_order_id,
                action=decision.action.value,
                intent=decision.intent.value if decision.intent else "unknown",
                cost=cost,  # filled below once the refund is known to be paid
            )
        )
        refund = decision.refund
        if refund is None:
            continue
        if decision.needs_approval:
            approvals += 1
            for guard in decision.guards:
                count, amounts = stopped.get(guard, (0, defaultdict(Decimal)))
                amounts[refund.currency] += refund.amount
                stopped[guard] = (count + 1, amounts)
            continue
        spent_day[(day, refund.currency)] += refund.amount
        spent_month[(month, refund.currency)] += refund.amount
        cost[refund.currency] = refund.amount
        if decision.action is Action.REFUND_WITHOUT_RETURN:
            without[refund.currency] += refund.amount
            units = record.quantity
            kept_units += units
            entry = policy.catalog.get(record.sku or "")
            unit_cost = amount_in(entry.unit_cost, refund.currency, pcur) if entry else None
            if unit_cost is not None:
                kept_cost[refund.currency] += unit_cost * units
                cost[refund.currency] += unit_cost * units
        else:
            on_return[refund.currency] += refund.amount

    unmatched: Counter[str] = Counter()
    for group in messages.values():
        for message in group:
            unmatched[message.intent.value] += 1
    negative: dict[str, int] | None = None
    if feedback is not None:
        hits: Counter[str] = Counter()
        for order_id, rating in feedback.items():
            if rating <= 3 and order_id in decided_orders:
                hits[decided_orders[order_id]] += 1
        negative = dict(sorted(hits.items()))

    return BacktestResult(
        policy=policy.name,
        policy_version=policy_version(policy),
        cases=sum(decisions.values()),
        skipped=skipped,
        decisions=dict(sorted(decisions.items())),
        refunds_without_return=dict(sorted(without.items())),
        refunds_on_return=dict(sorted(on_return.items())),
        goods_kept_units=kept_units,
        goods_kept_cost=dict(sorted(kept_cost.items())),
        needs_approval=approvals,
        stopped_by_guard={
            g: Stopped(cases=c, amount=dict(sorted(a.items())))
            for g, (c, a) in sorted(stopped.items())
        },
        messages_replayed=replayed_messages,
        messages_without_return=dict(sorted(unmatched.items())),
        negative_feedback_on_replayed_orders=negative,
        expected_feedback_effect=FEEDBACK_NOT_AVAILABLE,
        replayed=replayed,
        assumptions=[
            "unit price = the report's order amount ÷ the returned quantity",
            f"delivered {ASSUMED_DELIVERY_DAYS} days before the return request (the report "
            "has no delivery date), so every return is inside the return window",
            "each return decided at its request date, in the tenant's live mode, with refunds "
            "committed so far counted against the daily and monthly budgets",
            "buyer history unknown: no earlier orders or refunds",
            "items take category, flags and costs from the policy catalog (defaults otherwise)",
            "messages are joined to returns by order id; the others are counted by intent only",
        ],
    )


def _case(
    record: ReturnRequest, messages: list[BuyerMessage], tenant: str, pcur: str
) -> tuple[CaseInput, str] | str:
    if record.order_amount is None:
        return "no order amount in the report"
    if record.request_date is None:
        return "no return request date in the report"
    currency = record.order_amount.currency
    unit = (record.order_amount.amount / record.quantity).quantize(Decimal("0.01"))
    market = next((m for m in BY_ID.values() if m.currency == currency), None)
    delivered = record.request_date - timedelta(days=ASSUMED_DELIVERY_DAYS)
    sku = record.sku or record.asin or "UNKNOWN"
    first = min(messages, key=lambda m: m.received_at) if messages else None
    try:
        order = Order(
            amazon_order_id=record.amazon_order_id,
            marketplace_id=market.marketplace_id if market else "ATVPDKIKX0DER",
            purchase_date=delivered - timedelta(days=2),
            delivered_at=delivered,
            fulfillment_channel=record.fulfillment,
            items=(
                OrderItem(
                    sku=sku,
                    asin=record.asin,
                    quantity=record.quantity,
                    unit_price=Money(amount=unit, currency=currency),
                ),
            ),
        )
        case = CaseInput(
            tenant=tenant,
            now=max(record.request_date, first.received_at) if first else record.request_date,
            order=order,
            message=CaseMessage(
                subject=first.subject,
                body=first.body,
                received_at=first.received_at,
                intent=first.intent,
                kind=first.kind,
                message_id=first.message_id,
            )
            if first
            else None,
            return_request=CaseReturn(
                reason_code=record.reason_code,
                in_policy=record.in_policy,
                quantity=record.quantity,
                sku=sku,
                request_date=record.request_date,
                a_to_z_claim=bool(record.a_to_z_claim),
                settled_by_amazon=record.settled_by_amazon,
            ),
        )
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return f"cannot build a case: {str(exc).splitlines()[0]}"
    return case, currency
