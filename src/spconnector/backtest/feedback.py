"""Expected feedback effect: the replay's decisions × the impact ledger's negative rates.

An estimate, never an observation. Each action's negative-feedback (1-2 star) rate is a
Beta-binomial posterior (spconnector.impact.aggregate) whose prior leans on the seller's
baseline rate. Its 90 % band sums each action's credible bounds times its count — a
conservative band (as if every action sat at its bound at once) for the expected count, not
for the noise of the count itself. A second policy replayed on the same history — or, failing
that, what actually happened to the replayed orders that the ledger knows — turns the
difference into a cost per avoided negative. Pure: the ledger comes as records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from spconnector.backtest.comparison import (
    OrderOutcome,
    Rate,
    add,
    compare_as_it_happened,
    compare_policies,
)
from spconnector.backtest.model import (
    ESTIMATE_LABEL,
    MASS,
    ActionEstimate,
    BacktestResult,
    Comparison,
    ExpectedFeedback,
    FeedbackOutcome,
    FeedbackTotals,
    IntentEstimate,
)
from spconnector.impact.aggregate import (
    CREDIBLE_MASS,
    LedgerAggregator,
    prior_from_baseline,
)
from spconnector.impact.beta import credible_interval
from spconnector.impact.ledger import ImpactRecord
from spconnector.impact.summary import GroupStats


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
    happened: dict[str, OrderOutcome] = {}
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
            seen = happened.setdefault(order_id, OrderOutcome())
            seen.negative = seen.negative or record.negative
            for money in record.cost:
                add(seen.cost, money.currency, money.amount)

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
        comparison: Comparison | None = compare_policies(result, reference, rates)
    else:
        comparison = compare_as_it_happened(result, happened, rates)
    return result.model_copy(
        update={
            "expected_feedback": expected,
            "comparison": comparison,
            "expected_feedback_effect": _headline(expected, comparison),
        }
    )


def _group_rate(group: GroupStats) -> Rate:
    return Rate(
        mean=group.posterior_mean,
        low=group.ci_low,
        high=group.ci_high,
        data_points=group.n,
        negatives=group.negatives,
        source=f"ledger: {group.negatives} negative of {group.n} decisions",
    )


def _prior_rate(prior: tuple[float, float] | None) -> Rate | None:
    if prior is None:
        return None
    a, b = prior
    low, high = credible_interval(a, b, CREDIBLE_MASS)
    return Rate(
        mean=a / (a + b),
        low=low,
        high=high,
        data_points=0,
        negatives=0,
        source=f"no ledger data: the prior Beta({a:g}, {b:g}) from the baseline alone",
    )


def _estimate(
    n: int, rate: Rate | None, *, counts: bool = True
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
