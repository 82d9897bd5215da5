"""What a backtest answers: the result types, and the constants they are labelled with.

Every figure in a BacktestResult comes from the replay; every figure in ExpectedFeedback is an
estimate (labelled as one), never an observation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from spconnector.impact.aggregate import CREDIBLE_MASS

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
