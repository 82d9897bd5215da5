"""A replay compared with a reference on the same history: another policy's replay, or what
the ledger says happened to the replayed orders. Costs are refunds paid plus goods kept; the
cost per avoided negative uses impact's guard against dividing by ~0, and a band of avoided
negatives that includes 0 is said to show no clear difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from spconnector.backtest.model import MASS, BacktestResult, Comparison
from spconnector.impact.aggregate import cost_per_avoided_negative


@dataclass(slots=True)
class OrderOutcome:
    """What the ledger says happened to one replayed order."""

    negative: bool = False
    cost: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rate:
    mean: float
    low: float
    high: float
    data_points: int
    negatives: int
    source: str


def _paid(result: BacktestResult) -> dict[str, Decimal]:
    """Refunds paid (with and without return) plus goods the buyers keep."""
    out: dict[str, Decimal] = {}
    for case in result.replayed:
        for currency, amount in case.cost.items():
            add(out, currency, amount)
    return dict(sorted(out.items()))


def add(totals: dict[str, Decimal], currency: str, amount: Decimal) -> None:
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


def compare_policies(
    result: BacktestResult, reference: BacktestResult, rates: Mapping[str, Rate]
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


def compare_as_it_happened(
    result: BacktestResult, happened: Mapping[str, OrderOutcome], rates: Mapping[str, Rate]
) -> Comparison | None:
    covered = [case for case in result.replayed if case.order_id in happened]
    if not covered:
        return None
    unrated = sorted({case.action for case in covered if case.action not in rates})
    cost: dict[str, Decimal] = {}
    ref_cost: dict[str, Decimal] = {}
    for case in covered:
        for currency, amount in case.cost.items():
            add(cost, currency, amount)
    observed_orders = {case.order_id for case in covered}
    for order_id in observed_orders:
        for currency, amount in happened[order_id].cost.items():
            add(ref_cost, currency, amount)
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
