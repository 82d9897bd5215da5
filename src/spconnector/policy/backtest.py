"""Replay history through a policy: what it would have decided, what that would have cost,
and what its guards would have stopped. How an agency tunes "how far is too far" before
going live.

The returns report does not say everything a live case knows, so the replay assumes what
it must and says so in `assumptions`.

Expected feedback effect (an estimate, never an observation): from an export of the tenant's
impact ledger, each action's negative-feedback (1-2 star) rate is a Beta-binomial posterior
(spconnector.impact.aggregate) whose prior leans on the seller's baseline rate. The replay's
decisions times those rates give the expected number of negatives. Its 90 % band sums each
action's credible bounds times its count — a conservative band (as if every action sat at its
bound at once) for the expected count, not for the noise of the count itself. A second policy
replayed on the same history — or, failing that, what actually happened to the replayed
orders that the ledger knows — turns the difference into a cost per avoided negative.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.enums import Action, Mode
from spconnector.domain.marketplaces import BY_ID
from spconnector.domain.models import BuyerMessage, Order, OrderItem, ReturnRequest
from spconnector.domain.money import Money
from spconnector.impact.aggregate import (
    CREDIBLE_MASS,
    GroupStats,
    LedgerAggregator,
    cost_per_avoided_negative,
    prior_from_baseline,
)
from spconnector.impact.beta import credible_interval
from spconnector.impact.ledger import ImpactRecord, LedgerFileError, read_jsonl
from spconnector.policy.case import CaseInput, CaseMessage, CaseReturn
from spconnector.policy.engine import TenantState, decide
from spconnector.policy.facts import amount_in
from spconnector.policy.loader import policy_version
from spconnector.policy.schema import Policy

ASSUMED_DELIVERY_DAYS = 7  # the report has no delivery date: delivered a week before the return
PROGRESS_THRESHOLD = 500  # show a progress bar from this many cases
FEEDBACK_NOT_AVAILABLE = (
    "not available: pass --ledger FILE.jsonl (an export of the tenant's impact ledger, one "
    "ImpactRecord a line) for per-action negative-feedback rates; --feedback adds outcomes "
    "to it and --baseline RATE sets the prior"
)
ESTIMATE_LABEL = (
    "estimate: ledger negative-feedback (1-2 star) rates per action × the replay's decisions"
)


class BacktestInputError(ValueError):
    """An input file that cannot be replayed at all (one line, names the file)."""


class Stopped(BaseModel):
    model_config = ConfigDict(frozen=True)

    cases: int = 0
    amount: dict[str, Decimal] = {}


@dataclass(frozen=True, slots=True)
class ReplayedCase:
    """One decided return: what the policy did with the order and what it cost."""

    order_id: str
    action: str
    intent: str
    cost: dict[str, Decimal] = field(default_factory=dict)  # refund paid + goods kept


@dataclass(frozen=True, slots=True)
class FeedbackOutcome:
    """The latest feedback on an order, from the seller feedback report."""

    rating: int
    day: date


class RateEstimate(BaseModel):
    """One action's or intent's negative rate, and what the replay's decisions make of it."""

    model_config = ConfigDict(frozen=True)

    decisions: int  # the replay's decisions with this action / intent
    rate_mean: float | None  # posterior mean; None: no data and no baseline to lean on
    rate_low: float | None
    rate_high: float | None
    expected_negatives: float | None
    expected_low: float | None
    expected_high: float | None
    data_points: int  # ledger decisions behind the rate (0: the prior alone)
    negatives_seen: int  # of those, how many drew 1-2 star feedback
    source: str


class ActionEstimate(RateEstimate):
    action: str


class IntentEstimate(RateEstimate):
    intent: str


class FeedbackTotals(BaseModel):
    model_config = ConfigDict(frozen=True)

    decisions: int
    estimated_decisions: int  # decisions whose action has a rate
    expected_negatives: float
    expected_low: float
    expected_high: float
    expected_rate: float | None  # expected negatives / estimated decisions


class ExpectedFeedback(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    credible_mass: float
    ledger_records: int
    ledger_with_feedback: int
    feedback_rows_joined: int  # ledger records given an outcome from --feedback
    baseline_rate: float | None
    baseline_source: str
    prior: tuple[float, float]
    by_action: list[ActionEstimate]
    by_intent: list[IntentEstimate]  # the ledger's rate per intent, whatever was done
    totals: FeedbackTotals
    notes: list[str]


class Comparison(BaseModel):
    """This policy against a reference on the same history."""

    model_config = ConfigDict(frozen=True)

    reference: str
    reference_kind: Literal["policy", "as_it_happened"]
    decisions: int  # cases compared
    expected_negatives: float | None  # this policy
    reference_negatives: float | None  # expected (policy) or observed (as it happened)
    avoided_negatives: float | None  # reference - this; negative: this policy draws more
    avoided_low: float | None
    avoided_high: float | None
    cost: dict[str, Decimal]  # this policy: refunds paid + goods kept
    reference_cost: dict[str, Decimal]
    extra_cost: dict[str, Decimal]  # this - reference
    cost_per_avoided_negative: dict[str, Decimal] | None
    note: str


class BacktestResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    policy: str
    policy_version: str
    cases: int
    skipped: list[str]  # "line N: reason" or "order …: reason"
    decisions: dict[str, int]  # action → count
    refunds_without_return: dict[str, Decimal]  # currency → total
    refunds_on_return: dict[str, Decimal]
    goods_kept_units: int  # units the buyer keeps (refund without return)
    goods_kept_cost: dict[str, Decimal]  # their unit cost, from the catalog
    needs_approval: int
    stopped_by_guard: dict[str, Stopped]  # guard → cases and refund amounts held
    messages_replayed: int
    messages_without_return: dict[str, int]  # intent → count (no order value to judge)
    negative_feedback_on_replayed_orders: dict[str, int] | None  # action → count
    expected_feedback_effect: str  # one line: the estimate in brief, or what would enable it
    expected_feedback: ExpectedFeedback | None = None
    comparison: Comparison | None = None
    assumptions: list[str]
    # Per-case outcomes for the feedback estimate; not part of the printed summary.
    replayed: list[ReplayedCase] = Field(default_factory=list, exclude=True, repr=False)


def run_backtest(
    policy: Policy,
    *,
    returns_path: Path,
    messages_dir: Path | None = None,
    feedback_path: Path | None = None,
    tenant: str = "backtest",
    progress: bool = False,
) -> BacktestResult:
    from spconnector.intake.returns import ReturnsReportError, parse_returns

    data = _read_bytes(returns_path)
    try:
        parsed = parse_returns(data)
    except ReturnsReportError as exc:
        raise BacktestInputError(f"{returns_path}: {exc}") from None
    messages = _read_messages(messages_dir) if messages_dir is not None else {}
    feedback = _read_feedback(feedback_path) if feedback_path is not None else None
    skipped = [f"line {q.line}: {q.reason}" for q in parsed.quarantined]
    return replay(
        policy,
        parsed.records,
        messages=messages,
        feedback=feedback,
        skipped=skipped,
        tenant=tenant,
        progress=progress,
    )


def replay(
    policy: Policy,
    records: Iterable[ReturnRequest],
    *,
    messages: dict[str, list[BuyerMessage]] | None = None,
    feedback: dict[str, int] | None = None,
    skipped: list[str] | None = None,
    tenant: str = "backtest",
    progress: bool = False,
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
    replayed_messages = 0

    for record in _progress(ordered, progress):
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
        if decision.action is Action.REFUND_WITHOUT_RETURN:
            without[refund.currency] += refund.amount
            units = record.quantity
            kept_units += units
            entry = policy.catalog.get(record.sku or "")
            cost = amount_in(entry.unit_cost, refund.currency, pcur) if entry else None
            if cost is not None:
                kept_cost[refund.currency] += cost * units
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
            ),
        )
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        return f"cannot build a case: {str(exc).splitlines()[0]}"
    return case, currency


def _progress(items: list[ReturnRequest], enabled: bool) -> Iterable[ReturnRequest]:
    if not enabled or len(items) < PROGRESS_THRESHOLD:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description="replaying", console=Console(stderr=True))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BacktestInputError(f"{path}: cannot read ({exc.__class__.__name__})") from None


def _read_messages(folder: Path) -> dict[str, list[BuyerMessage]]:
    from spconnector.intake.email import EmailParseError, parse_email

    if not folder.is_dir():
        raise BacktestInputError(f"{folder}: not a folder of .eml files")
    out: dict[str, list[BuyerMessage]] = {}
    for path in sorted(folder.glob("*.eml")):
        try:
            message = parse_email(_read_bytes(path))
        except EmailParseError:
            continue  # unreadable mail is intake's to quarantine; the replay skips it
        out.setdefault(message.amazon_order_id or f"no-order:{path.name}", []).append(message)
    return out


def _read_feedback(path: Path) -> dict[str, int]:
    """GET_SELLER_FEEDBACK_DATA (tab-separated): order id → rating."""
    text = _read_bytes(path).decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "rating" not in fields or "order id" not in fields:
        raise BacktestInputError(f"{path}: not a feedback report (needs Rating and Order ID)")
    out: dict[str, int] = {}
    for row in reader:
        order_id = (row.get(fields["order id"]) or "").strip()
        try:
            rating = int((row.get(fields["rating"]) or "").strip())
        except ValueError:
            continue
        if order_id:
            out[order_id] = rating
    return out


def render_text(result: BacktestResult) -> str:
    def money(totals: dict[str, Decimal]) -> str:
        if not totals:
            return "0"
        return ", ".join(f"{amount:.2f} {cur}" for cur, amount in totals.items())

    lines = [
        f"policy {result.policy} ({result.policy_version}): {result.cases} cases replayed"
        f", {len(result.skipped)} skipped",
        "decisions by action:",
        *(f"  {action:<24}{count:>6}" for action, count in result.decisions.items()),
        f"refunds without return: {money(result.refunds_without_return)}"
        f" (goods kept by buyers: {result.goods_kept_units} units"
        f", cost {money(result.goods_kept_cost)})",
        f"refunds on return:      {money(result.refunds_on_return)}",
        f"held for approval:      {result.needs_approval} refunds",
    ]
    for guard, stop in result.stopped_by_guard.items():
        lines.append(f"  {guard:<24}{stop.cases:>6}  {money(stop.amount)}")
    if result.messages_without_return:
        counts = ", ".join(f"{k} {v}" for k, v in result.messages_without_return.items())
        lines.append(f"messages with no return row (not replayed): {counts}")
    if result.negative_feedback_on_replayed_orders is not None:
        counts = ", ".join(
            f"{k} {v}" for k, v in result.negative_feedback_on_replayed_orders.items()
        )
        lines.append(f"1-3 star feedback on replayed orders, by decision: {counts or 'none'}")
    lines.append(f"expected feedback effect: {result.expected_feedback_effect}")
    lines.append("assumed:")
    lines.extend(f"  - {a}" for a in result.assumptions)
    for reason in result.skipped[:10]:
        lines.append(f"skipped {reason}")
    if len(result.skipped) > 10:
        lines.append(f"… and {len(result.skipped) - 10} more skipped")
    return "\n".join(lines)
