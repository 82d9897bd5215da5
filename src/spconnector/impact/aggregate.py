"""Streaming aggregates over the impact ledger, in memory bounded by the number of groups.

Feed records one at a time (`LedgerAggregator.add`) from any iterable — a DynamoDB query, a
JSON-lines file, a generator — and call `summary()`. Memory grows with the number of actions,
intents, currencies, policy versions and days, never with the number of records.
Outputs are sorted, so the same records in any order give the same summary.

Definitions used throughout:
- negative: the order received 1-2 star feedback (Amazon's "negative"), removed or not —
  it measures the buyer's experience; `removed` counts those Amazon later removed or struck.
- negative rate of a group = negatives / decisions in the group. Feedback can arrive up to
  90 days after the order, so recent decisions pull the rate down until their outcome is in.
- baseline: the seller's negative rate per order without our choice of action. In order of
  preference: an explicit rate, the performance report's negative feedback / orders (the
  latest snapshot), or the ledger's own decisions that move no money.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from spconnector.domain.enums import Intent
from spconnector.growth.events import GrowthEvent, by_month
from spconnector.impact.beta import credible_interval
from spconnector.impact.feedback import FeedbackSnapshot
from spconnector.impact.ledger import ImpactRecord
from spconnector.impact.summary import (
    DayPoint,
    GroupStats,
    ImpactSummary,
    PolicyMarker,
    SlaStats,
)
from spconnector.impact.trend import feedback_trend

CREDIBLE_MASS = 0.90
AMAZON_WINDOW_SECONDS = 24 * 3600
# A difference of negative rates below this is "no negatives avoided" (guards the division).
MIN_RATE_DIFFERENCE = 1e-9
# Response-time buckets (upper bounds in seconds) for the distribution chart.
RESPONSE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("< 1 h", 3600.0),
    ("1-4 h", 4 * 3600.0),
    ("4-12 h", 12 * 3600.0),
    ("12-24 h", 24 * 3600.0),
    ("24-48 h", 48 * 3600.0),
    ("> 48 h", float("inf")),
)


@dataclass(slots=True)
class _Group:
    n: int = 0
    negatives: int = 0
    neutrals: int = 0
    removed: int = 0
    with_feedback: int = 0
    refunds: dict[str, Decimal] = field(default_factory=dict)
    goods_kept: dict[str, Decimal] = field(default_factory=dict)

    def add(self, record: ImpactRecord) -> None:
        self.n += 1
        if record.feedback_rating is not None:
            self.with_feedback += 1
        if record.negative:
            self.negatives += 1
            if record.feedback_removed:
                self.removed += 1
        elif record.neutral:
            self.neutrals += 1
        if record.refund is not None:
            _add(self.refunds, record.refund.currency, record.refund.amount)
        if record.goods_kept is not None:
            _add(self.goods_kept, record.goods_kept.currency, record.goods_kept.amount)


@dataclass(slots=True)
class _Day:
    decisions: int = 0
    refunds: dict[str, Decimal] = field(default_factory=dict)
    goods_kept: dict[str, Decimal] = field(default_factory=dict)
    responses: int = 0
    response_seconds: float = 0.0


def _add(totals: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    totals[currency] = totals.get(currency, Decimal(0)) + amount


def _sorted(totals: dict[str, Decimal]) -> dict[str, Decimal]:
    return {k: totals[k] for k in sorted(totals)}


def prior_from_baseline(rate: float, strength: float = 10.0) -> tuple[float, float]:
    """Beta(1 + s*p, 1 + s*(1-p)): the uniform prior nudged towards the seller's baseline
    as if `strength` decisions had been seen at that rate."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError("a rate is within [0, 1]")
    return (1.0 + strength * rate, 1.0 + strength * (1.0 - rate))


def cost_per_avoided_negative(
    cost: dict[str, Decimal], n: int, rate: float, baseline: float | None
) -> tuple[float | None, dict[str, Decimal] | None, str]:
    """Cost per avoided negative feedback of one group of decisions.

    avoided = (baseline negative rate - the group's observed negative rate) x n, i.e. how many
    fewer negatives the group drew than the same number of orders at the baseline rate;
    cost per avoided = the group's extra cost (refunds + goods the buyer kept, per currency)
    / avoided. When the group does not beat the baseline by more than MIN_RATE_DIFFERENCE
    nothing was avoided and there is no ratio (None, with the reason), never a division by ~0.
    """
    if baseline is None:
        return None, None, "no baseline"
    if n == 0:
        return None, None, "no decisions"
    difference = baseline - rate
    if difference <= MIN_RATE_DIFFERENCE:
        return None, None, "no negatives avoided (rate not below baseline)"
    avoided = difference * n
    per = {
        cur: (amount / Decimal(repr(avoided))).quantize(Decimal("0.01"))
        for cur, amount in sorted(cost.items())
    }
    return avoided, per, "" if per else "no cost"


class LedgerAggregator:
    """Add records one by one; `summary()` any time. O(groups) memory."""

    def __init__(self) -> None:
        self.records = 0
        self.tenants: set[str] = set()
        self._actions: dict[str, _Group] = {}
        self._intents: dict[str, _Group] = {}
        self._reference = _Group()  # decisions that move no money: the ledger's own baseline
        self._days: dict[date, _Day] = {}
        self._policy_first: dict[str, datetime] = {}
        self._answered = 0
        self._sla_known = 0
        self._within_sla = 0
        self._within_24h = 0
        self._response_sum = 0.0
        self._response_max: float | None = None
        self._buckets = [0] * len(RESPONSE_BUCKETS)
        self._questions = [0, 0, 0]  # product questions, answered from the KB, within an hour

    def add(self, record: ImpactRecord) -> None:
        self.records += 1
        self.tenants.add(record.tenant)
        self._actions.setdefault(str(record.action), _Group()).add(record)
        self._intents.setdefault(str(record.intent or "unknown"), _Group()).add(record)
        if not record.action.moves_money:
            self._reference.add(record)
        first = self._policy_first.get(record.policy_version)
        if first is None or record.decided_at < first:
            self._policy_first[record.policy_version] = record.decided_at
        day = self._days.setdefault(record.decided_at.astimezone(UTC).date(), _Day())
        day.decisions += 1
        if record.refund is not None:
            _add(day.refunds, record.refund.currency, record.refund.amount)
        if record.goods_kept is not None:
            _add(day.goods_kept, record.goods_kept.currency, record.goods_kept.amount)
        seconds = record.first_response_seconds
        if record.intent is Intent.PRODUCT_QUESTION:
            from_kb = record.knowledge == "answered" and seconds is not None
            self._questions[0] += 1
            self._questions[1] += from_kb
            self._questions[2] += from_kb and seconds is not None and seconds <= 3600
        if seconds is not None:
            self._answered += 1
            self._response_sum += seconds
            self._response_max = (
                seconds if self._response_max is None else max(self._response_max, seconds)
            )
            day.responses += 1
            day.response_seconds += seconds
            within_24h = (
                record.within_24h
                if record.within_24h is not None
                else seconds <= AMAZON_WINDOW_SECONDS
            )
            self._within_24h += within_24h
            if record.met_respond_by is not None:
                self._sla_known += 1
                self._within_sla += record.met_respond_by
            for index, (_, upper) in enumerate(RESPONSE_BUCKETS):
                if seconds < upper:
                    self._buckets[index] += 1
                    break

    def add_all(self, records: Iterable[ImpactRecord]) -> LedgerAggregator:
        for record in records:
            self.add(record)
        return self

    def _baseline(
        self, explicit: float | None, latest: FeedbackSnapshot | None
    ) -> tuple[float | None, str]:
        if explicit is not None:
            return explicit, "given"
        rate = None if latest is None else latest.negative_feedback_rate
        if rate is not None and rate <= 1.0:  # more negatives than orders is no baseline
            return rate, "performance report (negative feedback/orders)"
        if self._reference.n:
            return (
                self._reference.negatives / self._reference.n,
                "ledger decisions that move no money",
            )
        return None, "none yet"

    def summary(
        self,
        *,
        snapshots: Iterable[FeedbackSnapshot] = (),
        baseline_rate: float | None = None,
        prior: tuple[float, float] | None = None,
        as_of: datetime | None = None,
    ) -> ImpactSummary:
        """prior: Beta(a, b) before any decision is seen; default uniform Beta(1, 1).
        as_of: the end of the trend windows; default the latest snapshot."""
        trend, latest = feedback_trend(snapshots, as_of)
        baseline, source = self._baseline(baseline_rate, latest)
        a0, b0 = prior or (1.0, 1.0)
        markers = sorted(
            (
                PolicyMarker(policy_version=v, first_decided_at=t)
                for v, t in self._policy_first.items()
            ),
            key=lambda m: (m.first_decided_at, m.policy_version),
        )[1:]
        return ImpactSummary(
            tenant=next(iter(self.tenants)) if len(self.tenants) == 1 else None,
            records=self.records,
            baseline_rate=baseline,
            baseline_source=source,
            prior=(a0, b0),
            by_action=[_stats(k, g, baseline, a0, b0) for k, g in sorted(self._actions.items())],
            by_intent=[_stats(k, g, baseline, a0, b0) for k, g in sorted(self._intents.items())],
            sla=self._sla(),
            days=[
                DayPoint(
                    day=d,
                    refunds=_sorted(v.refunds),
                    goods_kept=_sorted(v.goods_kept),
                    decisions=v.decisions,
                    mean_first_response_seconds=(
                        v.response_seconds / v.responses if v.responses else None
                    ),
                )
                for d, v in sorted(self._days.items())
            ],
            policy_markers=markers,
            trend=trend,
        )

    def _sla(self) -> SlaStats:
        answered = self._answered
        return SlaStats(
            decisions=self.records,
            answered=answered,
            unanswered=self.records - answered,
            within_sla=self._within_sla,
            within_24h=self._within_24h,
            share_within_sla=self._within_sla / self._sla_known if self._sla_known else None,
            share_within_24h=self._within_24h / answered if answered else None,
            mean_first_response_seconds=self._response_sum / answered if answered else None,
            max_first_response_seconds=self._response_max,
            buckets={label: self._buckets[i] for i, (label, _) in enumerate(RESPONSE_BUCKETS)},
            questions=self._questions[0],
            questions_answered_from_kb=self._questions[1],
            share_questions_answered_within_hour=(
                self._questions[2] / self._questions[0] if self._questions[0] else None
            ),
        )


def _stats(key: str, g: _Group, baseline: float | None, a0: float, b0: float) -> GroupStats:
    a, b = a0 + g.negatives, b0 + g.n - g.negatives
    low, high = credible_interval(a, b, CREDIBLE_MASS)
    rate = g.negatives / g.n if g.n else 0.0
    if baseline is None:
        versus = "no baseline"
    elif high < baseline:
        versus = "lower"
    elif low > baseline:
        versus = "higher"
    else:
        versus = "no clear difference"
    cost: dict[str, Decimal] = {}
    for totals in (g.refunds, g.goods_kept):
        for currency, amount in totals.items():
            _add(cost, currency, amount)
    avoided, per, note = cost_per_avoided_negative(cost, g.n, rate, baseline)
    return GroupStats(
        key=key,
        n=g.n,
        negatives=g.negatives,
        neutrals=g.neutrals,
        removed=g.removed,
        with_feedback=g.with_feedback,
        rate=rate,
        posterior_mean=a / (a + b),
        ci_low=low,
        ci_high=high,
        vs_baseline=versus,
        cost=_sorted(cost),
        refunds=_sorted(g.refunds),
        goods_kept=_sorted(g.goods_kept),
        avoided_negatives=avoided,
        cost_per_avoided_negative=per,
        cost_note=note,
    )


def summarize(
    records: Iterable[ImpactRecord],
    *,
    snapshots: Iterable[FeedbackSnapshot] = (),
    growth_events: Iterable[GrowthEvent] = (),
    baseline_rate: float | None = None,
    prior: tuple[float, float] | None = None,
    as_of: datetime | None = None,
) -> ImpactSummary:
    """One pass over the records (streamed, never held) and the snapshots."""
    snapshots = list(snapshots)  # read twice: the trend and the months
    summary = (
        LedgerAggregator()
        .add_all(records)
        .summary(snapshots=snapshots, baseline_rate=baseline_rate, prior=prior, as_of=as_of)
    )
    ratings = [
        (s.taken_at.astimezone(UTC).date(), s.count, s.positive_pct, s.order_defect_rate)
        for s in snapshots
    ]
    months = by_month(growth_events, ratings)
    if not any(m.requests_sent or m.removals_requested or m.claims_opened for m in months):
        return summary  # nothing grown yet: the report keeps its shape
    return summary.model_copy(update={"growth": months})
