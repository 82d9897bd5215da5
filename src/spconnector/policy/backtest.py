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
MASS = f"{100 * CREDIBLE_MASS:.0f} %"
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
    ledger_path: Path | None = None,
    baseline_rate: float | None = None,
    compare_policy: Policy | None = None,
    tenant: str = "backtest",
    progress: bool = False,
) -> BacktestResult:
    """Replay the returns report (and messages) through `policy`; with `ledger_path`, add the
    expected feedback effect, compared with `compare_policy` replayed on the same history or,
    without one, with what the ledger says happened to the replayed orders."""
    from spconnector.intake.returns import ReturnsReportError, parse_returns

    data = _read_bytes(returns_path)
    try:
        parsed = parse_returns(data)
    except ReturnsReportError as exc:
        raise BacktestInputError(f"{returns_path}: {exc}") from None
    messages = _read_messages(messages_dir) if messages_dir is not None else {}
    feedback = _read_feedback(feedback_path) if feedback_path is not None else None
    skipped = [f"line {q.line}: {q.reason}" for q in parsed.quarantined]

    def run(chosen: Policy) -> BacktestResult:
        return replay(
            chosen,
            parsed.records,
            messages=messages,
            feedback={k: v.rating for k, v in feedback.items()} if feedback is not None else None,
            skipped=skipped,
            tenant=tenant,
            progress=progress,
        )

    result = run(policy)
    if ledger_path is None:
        return result
    reference = run(compare_policy) if compare_policy is not None else None
    return with_expected_feedback(
        result,
        _read_ledger(ledger_path),
        feedback=feedback,
        baseline_rate=baseline_rate,
        reference=reference,
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
    replayed: list[ReplayedCase] = []
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


def _read_feedback(path: Path) -> dict[str, FeedbackOutcome]:
    """GET_SELLER_FEEDBACK_DATA (tab-separated): order id → its latest rating and day.
    Rows the parser quarantines are left out, as intake would."""
    from spconnector.impact.feedback import FeedbackReportError, parse_feedback_report

    try:
        parsed = parse_feedback_report(_read_bytes(path))
    except FeedbackReportError as exc:
        raise BacktestInputError(f"{path}: not a feedback report ({exc})") from None
    out: dict[str, FeedbackOutcome] = {}
    for entry in sorted(parsed.entries, key=lambda e: e.feedback_date):
        out[entry.amazon_order_id] = FeedbackOutcome(entry.rating, entry.feedback_date)
    return out


def _read_ledger(path: Path) -> Iterator[ImpactRecord]:
    """Stream the ledger export; any unreadable line stops the backtest with its number."""
    try:
        yield from read_jsonl(path, ImpactRecord)
    except LedgerFileError as exc:
        raise BacktestInputError(str(exc)) from None
    except UnicodeDecodeError:
        raise BacktestInputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise BacktestInputError(f"{path}: cannot read ({exc.__class__.__name__})") from None


# --- expected feedback effect ------------------------------------------------------------


@dataclass(slots=True)
class _OrderOutcome:
    """What the ledger says happened to one replayed order."""

    negative: bool = False
    cost: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Rate:
    mean: float
    low: float
    high: float
    data_points: int
    negatives: int
    source: str


def with_expected_feedback(
    result: BacktestResult,
    ledger: Iterable[ImpactRecord],
    *,
    feedback: Mapping[str, FeedbackOutcome] | None = None,
    baseline_rate: float | None = None,
    reference: BacktestResult | None = None,
) -> BacktestResult:
    """The result with `expected_feedback` (and `comparison`) filled in from the ledger.

    feedback: outcomes from the seller feedback report, given to ledger records that have
    none yet — by the impact ledger's rule, only to decisions made on or before the day the
    feedback was left. baseline_rate: the seller's negative rate per order; default the
    ledger's decisions that move no money. reference: the same history replayed under
    another policy; without it the comparison is with what the ledger says happened to the
    replayed orders (when it knows any of them).
    """
    orders = {case.order_id for case in result.replayed}
    aggregator = LedgerAggregator()
    happened: dict[str, _OrderOutcome] = {}
    joined = with_feedback = 0
    for record in ledger:
        order_id = record.amazon_order_id
        outcome = feedback.get(order_id) if feedback and order_id else None
        if (
            outcome is not None
            and record.feedback_rating is None
            and record.decided_at.astimezone(UTC).date() <= outcome.day
        ):
            at = datetime(outcome.day.year, outcome.day.month, outcome.day.day, tzinfo=UTC)
            record = record.with_feedback(outcome.rating, at)
            joined += 1
        with_feedback += record.feedback_rating is not None
        aggregator.add(record)
        if order_id in orders:
            seen = happened.setdefault(order_id, _OrderOutcome())
            seen.negative = seen.negative or record.negative
            for money in record.cost:
                _add(seen.cost, money.currency, money.amount)

    # Two summaries of one pass: the first finds the baseline, the second leans on it.
    baseline = aggregator.summary(baseline_rate=baseline_rate)
    prior = (
        prior_from_baseline(baseline.baseline_rate) if baseline.baseline_rate is not None else None
    )
    summary = aggregator.summary(baseline_rate=baseline.baseline_rate, prior=prior)
    if baseline_rate is None:  # keep the source's own name, not "given"
        summary = summary.model_copy(update={"baseline_source": baseline.baseline_source})
    fallback = _prior_rate(prior)
    action_rates = {g.key: _group_rate(g) for g in summary.by_action if g.n}
    intent_rates = {g.key: _group_rate(g) for g in summary.by_intent if g.n}

    by_action = [
        ActionEstimate(action=a, **_estimate(n, action_rates.get(a, fallback)))
        for a, n in result.decisions.items()
    ]
    intents: Counter[str] = Counter(case.intent for case in result.replayed)
    by_intent = [
        IntentEstimate(intent=i, **_estimate(n, intent_rates.get(i, fallback), counts=False))
        for i, n in sorted(intents.items())
    ]
    estimated = [row for row in by_action if row.expected_negatives is not None]
    total = sum(row.expected_negatives or 0.0 for row in estimated)
    n_estimated = sum(row.decisions for row in estimated)
    totals = FeedbackTotals(
        decisions=result.cases,
        estimated_decisions=n_estimated,
        expected_negatives=total,
        expected_low=sum(row.expected_low or 0.0 for row in estimated),
        expected_high=sum(row.expected_high or 0.0 for row in estimated),
        expected_rate=total / n_estimated if n_estimated else None,
    )
    notes = [
        "an estimate from past outcomes, not a forecast of any one order; decisions held for "
        "approval count at their decided action, but their refunds are not in the cost",
        "negative = 1-2 stars; ledger decisions whose feedback has not arrived (up to 90 "
        "days) count as not negative, which pulls rates down",
        f"{MASS} band of the total = the sum of each action's {MASS} credible bounds × its "
        "decisions (conservative)",
    ]
    if fallback is None:
        notes.append(
            "no baseline (no --baseline, no ledger decisions that move no money): actions "
            "without ledger data have no estimate and are left out of the total"
        )
    for row in by_action:
        if row.data_points == 0:
            notes.append(f"{row.action}: {row.source}")
    expected = ExpectedFeedback(
        label=ESTIMATE_LABEL,
        credible_mass=CREDIBLE_MASS,
        ledger_records=aggregator.records,
        ledger_with_feedback=with_feedback,
        feedback_rows_joined=joined,
        baseline_rate=summary.baseline_rate,
        baseline_source=summary.baseline_source,
        prior=summary.prior,
        by_action=by_action,
        by_intent=by_intent,
        totals=totals,
        notes=notes,
    )
    rates = dict(action_rates)
    if fallback is not None:
        for action in set(result.decisions) | set(reference.decisions if reference else {}):
            rates.setdefault(action, fallback)
    if reference is not None:
        comparison: Comparison | None = _compare_policies(result, reference, rates)
    else:
        comparison = _compare_as_it_happened(result, happened, rates)
    return result.model_copy(
        update={
            "expected_feedback": expected,
            "comparison": comparison,
            "expected_feedback_effect": _headline(expected, comparison),
        }
    )


def _group_rate(group: GroupStats) -> _Rate:
    return _Rate(
        mean=group.posterior_mean,
        low=group.ci_low,
        high=group.ci_high,
        data_points=group.n,
        negatives=group.negatives,
        source=f"ledger: {group.negatives} negative of {group.n} decisions",
    )


def _prior_rate(prior: tuple[float, float] | None) -> _Rate | None:
    if prior is None:
        return None
    a, b = prior
    low, high = credible_interval(a, b, CREDIBLE_MASS)
    return _Rate(
        mean=a / (a + b),
        low=low,
        high=high,
        data_points=0,
        negatives=0,
        source=f"no ledger data: the prior Beta({a:g}, {b:g}) from the baseline alone",
    )


def _estimate(
    n: int, rate: _Rate | None, *, counts: bool = True
) -> dict[str, float | int | str | None]:
    if rate is None:
        return {
            "decisions": n,
            "rate_mean": None,
            "rate_low": None,
            "rate_high": None,
            "expected_negatives": None,
            "expected_low": None,
            "expected_high": None,
            "data_points": 0,
            "negatives_seen": 0,
            "source": "no estimate: no ledger data and no baseline",
        }
    return {
        "decisions": n,
        "rate_mean": rate.mean,
        "rate_low": rate.low,
        "rate_high": rate.high,
        "expected_negatives": n * rate.mean if counts else None,
        "expected_low": n * rate.low if counts else None,
        "expected_high": n * rate.high if counts else None,
        "data_points": rate.data_points,
        "negatives_seen": rate.negatives,
        "source": rate.source,
    }


def _paid(result: BacktestResult) -> dict[str, Decimal]:
    """Refunds paid (with and without return) plus goods the buyers keep."""
    out: dict[str, Decimal] = {}
    for case in result.replayed:
        for currency, amount in case.cost.items():
            _add(out, currency, amount)
    return dict(sorted(out.items()))


def _add(totals: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    totals[currency] = totals.get(currency, Decimal(0)) + amount


def _difference(this: dict[str, Decimal], other: dict[str, Decimal]) -> dict[str, Decimal]:
    return {
        cur: this.get(cur, Decimal(0)) - other.get(cur, Decimal(0))
        for cur in sorted(set(this) | set(other))
    }


def _per_avoided(
    extra: dict[str, Decimal], n: int, this: float, reference: float
) -> tuple[dict[str, Decimal] | None, str]:
    """Extra cost per avoided negative, with impact's guard against dividing by ~0."""
    if n == 0:
        return None, "no decisions to compare"
    avoided, per, _ = cost_per_avoided_negative(extra, n, this / n, reference / n)
    if avoided is None or per is None:
        return None, "no negatives avoided: the reference expects as few or fewer"
    paying = {cur: amount for cur, amount in per.items() if amount > 0}
    free = [cur for cur, amount in extra.items() if amount <= 0]
    if not paying:
        return None, "avoids negatives at no extra cost"
    return paying, f"no extra cost in {', '.join(free)}" if free else ""


def _unclear(low: float, high: float, note: str) -> str:
    if low > 0 or high < 0:
        return note
    unclear = f"the {MASS} band of avoided negatives includes 0: no clear difference"
    return f"{unclear}; {note}" if note else unclear


def _unrated(
    label: str,
    kind: str,
    decisions: int,
    reference_negatives: float | None,
    cost: dict[str, Decimal],
    ref_cost: dict[str, Decimal],
    extra: dict[str, Decimal],
    unrated: list[str],
) -> Comparison:
    """The comparison when some action has no rate: costs only, and why not more."""
    return Comparison(
        reference=label,
        reference_kind=kind,
        decisions=decisions,
        expected_negatives=None,
        reference_negatives=reference_negatives,
        avoided_negatives=None,
        avoided_low=None,
        avoided_high=None,
        cost=cost,
        reference_cost=ref_cost,
        extra_cost=extra,
        cost_per_avoided_negative=None,
        note=f"no rate for {', '.join(unrated)} (no ledger data and no baseline)",
    )


def _compare_policies(
    result: BacktestResult, reference: BacktestResult, rates: Mapping[str, _Rate]
) -> Comparison:
    cost, ref_cost = _paid(result), _paid(reference)
    extra = _difference(cost, ref_cost)
    label = f"policy {reference.policy} ({reference.policy_version})"
    actions = sorted(set(result.decisions) | set(reference.decisions))
    missing = [a for a in actions if a not in rates]
    if missing:
        return _unrated(label, "policy", result.cases, None, cost, ref_cost, extra, missing)
    this = sum(n * rates[a].mean for a, n in result.decisions.items())
    other = sum(n * rates[a].mean for a, n in reference.decisions.items())
    # avoided = Σ_a (reference count - this count) × rate_a: each rate is shared by both
    # policies, so its bound is taken once, on the side that widens the band.
    low = high = 0.0
    for action in actions:
        delta = reference.decisions.get(action, 0) - result.decisions.get(action, 0)
        bounds = (delta * rates[action].low, delta * rates[action].high)
        low += min(bounds)
        high += max(bounds)
    per, note = _per_avoided(extra, result.cases, this, other)
    note = _unclear(low, high, note)
    return Comparison(
        reference=label,
        reference_kind="policy",
        decisions=result.cases,
        expected_negatives=this,
        reference_negatives=other,
        avoided_negatives=other - this,
        avoided_low=low,
        avoided_high=high,
        cost=cost,
        reference_cost=ref_cost,
        extra_cost=extra,
        cost_per_avoided_negative=per,
        note=note,
    )


def _compare_as_it_happened(
    result: BacktestResult, happened: Mapping[str, _OrderOutcome], rates: Mapping[str, _Rate]
) -> Comparison | None:
    covered = [case for case in result.replayed if case.order_id in happened]
    if not covered:
        return None
    unrated = sorted({case.action for case in covered if case.action not in rates})
    cost: dict[str, Decimal] = {}
    ref_cost: dict[str, Decimal] = {}
    for case in covered:
        for currency, amount in case.cost.items():
            _add(cost, currency, amount)
    observed_orders = {case.order_id for case in covered}
    for order_id in observed_orders:
        for currency, amount in happened[order_id].cost.items():
            _add(ref_cost, currency, amount)
    observed = sum(happened[o].negative for o in observed_orders)
    cost, ref_cost = dict(sorted(cost.items())), dict(sorted(ref_cost.items()))
    extra = _difference(cost, ref_cost)
    label = (
        f"as it happened: the ledger's outcomes for {len(observed_orders)} of "
        f"{len(result.replayed)} replayed orders (observed, and also part of the rates)"
    )
    if unrated:
        return _unrated(
            label, "as_it_happened", len(covered), float(observed), cost, ref_cost, extra, unrated
        )
    this = sum(rates[case.action].mean for case in covered)
    low = sum(rates[case.action].low for case in covered)
    high = sum(rates[case.action].high for case in covered)
    per, note = _per_avoided(extra, len(covered), this, float(observed))
    note = _unclear(observed - high, observed - low, note)
    return Comparison(
        reference=label,
        reference_kind="as_it_happened",
        decisions=len(covered),
        expected_negatives=this,
        reference_negatives=float(observed),
        avoided_negatives=observed - this,
        avoided_low=observed - high,
        avoided_high=observed - low,
        cost=cost,
        reference_cost=ref_cost,
        extra_cost=extra,
        cost_per_avoided_negative=per,
        note=note,
    )


def _headline(expected: ExpectedFeedback, comparison: Comparison | None) -> str:
    t = expected.totals
    line = (
        f"estimate: {t.expected_negatives:.2f} negative feedback expected "
        f"({MASS} band {t.expected_low:.2f} to {t.expected_high:.2f}) on {t.estimated_decisions} "
        f"of {t.decisions} decisions, from {expected.ledger_records} ledger decisions"
    )
    if comparison is not None and comparison.avoided_negatives is not None:
        line += f"; {comparison.avoided_negatives:+.2f} avoided vs {comparison.reference_kind}"
    return line


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
    lines.extend(_feedback_lines(result))
    lines.append("assumed:")
    lines.extend(f"  - {a}" for a in result.assumptions)
    for reason in result.skipped[:10]:
        lines.append(f"skipped {reason}")
    if len(result.skipped) > 10:
        lines.append(f"… and {len(result.skipped) - 10} more skipped")
    return "\n".join(lines)


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}%"


def _band(low: float | None, high: float | None, pct: bool = False) -> str:
    if low is None or high is None:
        return ""
    return f"({_pct(low)} to {_pct(high)})" if pct else f"({low:.2f} to {high:.2f})"


def _feedback_lines(result: BacktestResult) -> list[str]:
    expected = result.expected_feedback
    if expected is None:
        return [f"expected feedback effect: {result.expected_feedback_effect}"]
    baseline = (
        f"baseline {_pct(expected.baseline_rate)} ({expected.baseline_source})"
        if expected.baseline_rate is not None
        else "no baseline"
    )
    a, b = expected.prior
    joined = (
        f" ({expected.feedback_rows_joined} from --feedback)"
        if result.negative_feedback_on_replayed_orders is not None
        else ""
    )
    lines = [
        f"expected feedback effect ({expected.label}):",
        f"  rests on {expected.ledger_records} ledger decisions, {expected.ledger_with_feedback}"
        f" with feedback{joined}; {baseline}; prior Beta({a:g}, {b:g})",
        f"  {'action':<24}{'decisions':>9}  {'negative rate (' + MASS + ' band)':<26}"
        f"{'expected negatives':<22}{'ledger n':>8}",
    ]
    for row in expected.by_action:
        rate = f"{_pct(row.rate_mean)} {_band(row.rate_low, row.rate_high, pct=True)}"
        count = (
            "-"
            if row.expected_negatives is None
            else f"{row.expected_negatives:.2f} {_band(row.expected_low, row.expected_high)}"
        )
        prior = "  (prior only)" if row.data_points == 0 and row.rate_mean is not None else ""
        lines.append(
            f"  {row.action:<24}{row.decisions:>9}  {rate:<26}{count:<22}{row.data_points:>8}"
            f"{prior}"
        )
    t = expected.totals
    lines.append(
        f"  {'total':<24}{t.decisions:>9}  {_pct(t.expected_rate):<26}"
        f"{t.expected_negatives:.2f} {_band(t.expected_low, t.expected_high)}"
    )
    with_data = [row for row in expected.by_intent if row.data_points]
    if with_data:
        lines.append(
            "  by intent (the ledger's rate, whatever was done): "
            + ", ".join(
                f"{row.intent} {row.decisions} decisions at {_pct(row.rate_mean)} "
                f"{_band(row.rate_low, row.rate_high, pct=True)} n={row.data_points}"
                for row in with_data
            )
        )
    lines.extend(f"  - {note}" for note in expected.notes)
    if result.comparison is not None:
        lines.extend(_comparison_lines(result.comparison))
    return lines


def _comparison_lines(c: Comparison) -> list[str]:
    def money(totals: dict[str, Decimal]) -> str:
        return ", ".join(f"{amount:.2f} {cur}" for cur, amount in totals.items()) or "0"

    kind = "observed" if c.reference_kind == "as_it_happened" else "expected"
    lines = [f"compared with {c.reference}, on {c.decisions} decisions:"]
    if c.expected_negatives is not None and c.reference_negatives is not None:
        lines.append(
            f"  negatives: this policy {c.expected_negatives:.2f} expected, reference "
            f"{c.reference_negatives:.2f} {kind} -> avoided {c.avoided_negatives:+.2f} "
            f"{_band(c.avoided_low, c.avoided_high)}"
        )
    lines.append(
        f"  cost (refunds + goods kept): this policy {money(c.cost)}, reference "
        f"{money(c.reference_cost)}, extra {money(c.extra_cost)}"
    )
    if c.cost_per_avoided_negative:
        lines.append(f"  cost per avoided negative feedback: {money(c.cost_per_avoided_negative)}")
    if c.note:
        lines.append(f"  {c.note}")
    return lines
