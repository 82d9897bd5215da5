from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from spconnector.domain.enums import Action, Intent
from spconnector.impact.aggregate import (
    LedgerAggregator,
    cost_per_avoided_negative,
    prior_from_baseline,
    summarize,
)
from spconnector.impact.beta import credible_interval
from spconnector.impact.feedback import FeedbackSnapshot
from spconnector.impact.ledger import ImpactRecord
from tests.unit.impact.records import record

RWR = Action.REFUND_WITHOUT_RETURN
EDU = Action.EDUCATE
DEC = Action.DECLINE


def small_ledger() -> list[ImpactRecord]:
    """10 returnless refunds (1 negative), 5 educate (1 negative, 1 neutral), 5 declines
    (2 negatives, one removed by Amazon)."""
    out = []
    for i in range(10):
        out.append(
            record(
                f"r{i}",
                RWR,
                rating=1 if i == 0 else None,
                refund="20.00",
                kept="7.00",
                seconds=1800.0 * (i + 1),
                met=i < 8,
                day=i % 3,
            )
        )
    for i in range(5):
        out.append(
            record(
                f"e{i}",
                EDU,
                intent=Intent.SIZE_FIT,
                rating={0: 2, 1: 3}.get(i),
                seconds=None if i == 4 else 30 * 3600.0,
                met=False,
                day=1,
            )
        )
    for i in range(5):
        out.append(
            record(
                f"d{i}",
                DEC,
                intent=Intent.SIZE_FIT,
                rating=1 if i < 2 else 5,
                removed=i == 0,
                seconds=7200.0,
                day=2,
                version="v2",
            )
        )
    return out


def test_per_action_counts_rates_and_intervals_are_hand_computed() -> None:
    summary = summarize(small_ledger(), baseline_rate=0.2)
    actions = {g.key: g for g in summary.by_action}
    assert list(actions) == ["decline", "educate", "refund_without_return"]  # sorted
    rwr, edu, dec = actions["refund_without_return"], actions["educate"], actions["decline"]
    assert (rwr.n, rwr.negatives, rwr.neutrals, rwr.with_feedback) == (10, 1, 0, 1)
    assert (edu.n, edu.negatives, edu.neutrals) == (5, 1, 1)
    assert (dec.n, dec.negatives, dec.removed, dec.with_feedback) == (5, 2, 1, 5)
    assert rwr.rate == 0.1 and edu.rate == 0.2 and dec.rate == 0.4
    # uniform prior: posterior Beta(1 + k, 1 + n - k)
    assert rwr.posterior_mean == pytest.approx(2 / 12)
    low, high = credible_interval(2, 10)
    assert rwr.ci_low == pytest.approx(low)
    assert rwr.ci_high == pytest.approx(high)
    assert dec.posterior_mean == pytest.approx(3 / 7)
    assert summary.baseline_rate == 0.2 and summary.baseline_source == "given"


def test_cost_per_avoided_negative_is_cost_over_rate_difference_times_n() -> None:
    summary = summarize(small_ledger(), baseline_rate=0.2)
    rwr = {g.key: g for g in summary.by_action}["refund_without_return"]
    assert rwr.cost == {"USD": Decimal("270.00")}  # 10 x (20 refund + 7 kept)
    assert rwr.refunds == {"USD": Decimal("200.00")}
    assert rwr.goods_kept == {"USD": Decimal("70.00")}
    # avoided = (0.2 - 0.1) * 10 = 1 negative; 270 / 1
    assert rwr.avoided_negatives == pytest.approx(1.0)
    assert rwr.cost_per_avoided_negative == {"USD": Decimal("270.00")}
    dec = {g.key: g for g in summary.by_action}["decline"]
    assert dec.cost_per_avoided_negative is None
    assert dec.cost_note.startswith("no negatives avoided")


def test_cost_per_avoided_guards_division_by_about_zero() -> None:
    cost = {"EUR": Decimal("50")}
    assert cost_per_avoided_negative(cost, 10, 0.1, 0.1 + 1e-12)[1] is None
    assert cost_per_avoided_negative(cost, 10, 0.1, None)[2] == "no baseline"
    assert cost_per_avoided_negative(cost, 0, 0.0, 0.5)[2] == "no decisions"
    avoided, per, _ = cost_per_avoided_negative(cost, 4, 0.0, 0.5)
    assert avoided == 2.0 and per == {"EUR": Decimal("25.00")}


def test_baseline_comparison_uses_the_credible_interval() -> None:
    records = [record(f"x{i}", RWR, rating=None) for i in range(200)]
    records += [record(f"y{i}", DEC, rating=1 if i < 60 else None) for i in range(100)]
    actions = {g.key: g for g in summarize(records, baseline_rate=0.1).by_action}
    assert actions["refund_without_return"].vs_baseline == "lower"
    assert actions["decline"].vs_baseline == "higher"
    few = {g.key: g for g in summarize(records[:3], baseline_rate=0.1).by_action}
    assert few["refund_without_return"].vs_baseline == "no clear difference"


def test_baseline_falls_back_to_snapshot_then_to_non_money_decisions() -> None:
    ledger = small_ledger()
    snap = FeedbackSnapshot(
        tenant="acme", taken_at=datetime(2026, 11, 10, tzinfo=UTC), negative_feedback_rate=0.05
    )
    from_snapshot = summarize(ledger, snapshots=[snap])
    assert from_snapshot.baseline_rate == 0.05
    assert from_snapshot.baseline_source.startswith("performance report")
    from_ledger = summarize(ledger)
    # educate + decline move no money: 3 negatives in 10 decisions
    assert from_ledger.baseline_rate == pytest.approx(0.3)
    assert summarize([]).baseline_rate is None


def test_prior_from_baseline_shifts_the_posterior() -> None:
    assert prior_from_baseline(0.1, strength=10) == (2.0, 10.0)
    summary = summarize(small_ledger(), prior=prior_from_baseline(0.1, 10))
    rwr = {g.key: g for g in summary.by_action}["refund_without_return"]
    assert rwr.posterior_mean == pytest.approx((2 + 1) / (2 + 10 + 10))
    with pytest.raises(ValueError):
        prior_from_baseline(1.5)


def test_sla_shares_and_response_buckets() -> None:
    # refunds answer at 0.5 h, 1 h, ... 5 h (4 h falls in "4-12 h"); declines at 2 h
    sla = summarize(small_ledger()).sla
    assert sla.decisions == 20
    assert sla.answered == 19 and sla.unanswered == 1
    # met: refunds 8 of 10, educate 0 of 4 answered, declines 5 of 5
    assert sla.within_sla == 13
    assert sla.share_within_sla == pytest.approx(13 / 19)
    # within 24 h: all but the 4 educate answers at 30 h
    assert sla.within_24h == 15
    assert sla.share_within_24h == pytest.approx(15 / 19)
    assert sla.max_first_response_seconds == 30 * 3600.0
    assert sla.buckets == {
        "< 1 h": 1,
        "1-4 h": 11,
        "4-12 h": 3,
        "12-24 h": 0,
        "24-48 h": 4,
        "> 48 h": 0,
    }


def test_per_intent_days_and_policy_markers() -> None:
    summary = summarize(small_ledger())
    intents = {g.key: g for g in summary.by_intent}
    assert intents["defective"].n == 10 and intents["size_fit"].n == 10
    assert intents["size_fit"].negatives == 3
    assert [d.day.isoformat() for d in summary.days] == ["2026-11-01", "2026-11-02", "2026-11-03"]
    day1 = summary.days[1]
    # refunds on day 1: i = 1, 4, 7
    assert day1.refunds == {"USD": Decimal("60.00")} and day1.goods_kept == {
        "USD": Decimal("21.00")
    }
    assert [(m.policy_version, m.first_decided_at.day) for m in summary.policy_markers] == [
        ("v2", 3)
    ]


def test_summary_does_not_depend_on_record_order() -> None:
    ledger = small_ledger()
    shuffled = ledger[:]
    random.Random(3).shuffle(shuffled)
    assert summarize(ledger, baseline_rate=0.2) == summarize(shuffled, baseline_rate=0.2)


def test_currencies_are_kept_apart() -> None:
    ledger = [
        record("a", RWR, refund="10.00", currency="EUR"),
        record("b", RWR, refund="5.00", currency="GBP"),
    ]
    (group,) = summarize(ledger).by_action
    assert group.refunds == {"EUR": Decimal("10.00"), "GBP": Decimal("5.00")}


def test_feedback_trend_changes_over_windows() -> None:
    start = datetime(2026, 1, 1, 6, tzinfo=UTC)
    snaps = [
        FeedbackSnapshot(
            tenant="acme", taken_at=start + timedelta(days=d), positive_pct=90 + d / 100
        )
        for d in range(0, 400)
    ]
    # two snapshots on the last day: the later one wins
    snaps.append(
        snaps[-1].model_copy(
            update={"taken_at": snaps[-1].taken_at + timedelta(hours=5), "positive_pct": 95.0}
        )
    )
    trend = summarize([], snapshots=reversed(snaps)).trend
    assert len(trend.points) == 400
    assert trend.latest_pct == 95.0
    assert trend.change_30d == pytest.approx(95.0 - (90 + 369 / 100))
    assert trend.change_365d == pytest.approx(95.0 - (90 + 34 / 100))
    short = summarize([], snapshots=snaps[:10]).trend
    assert short.change_30d is None


def test_aggregator_memory_does_not_keep_records() -> None:
    agg = LedgerAggregator()
    for r in small_ledger() * 50:
        agg.add(r)
    assert agg.records == 1000
    assert not any(isinstance(v, list) and len(v) > 10 for v in vars(agg).values())
