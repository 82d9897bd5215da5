"""What `impact.aggregate.summarize` returns: the impact summary and its parts, frozen
pydantic models (the report, the CLI and the bench read them; none computes anything)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from spconnector.growth.events import GrowthMonth
from spconnector.impact.trend import FeedbackTrend


class GroupStats(BaseModel):
    """One action or intent."""

    model_config = ConfigDict(frozen=True)

    key: str
    n: int
    negatives: int
    neutrals: int
    removed: int
    with_feedback: int
    rate: float
    posterior_mean: float
    ci_low: float
    ci_high: float
    vs_baseline: str  # "lower", "higher", "no clear difference" or "no baseline"
    cost: dict[str, Decimal]  # refund + goods kept, per currency
    refunds: dict[str, Decimal]
    goods_kept: dict[str, Decimal]
    avoided_negatives: float | None
    cost_per_avoided_negative: dict[str, Decimal] | None
    cost_note: str


class SlaStats(BaseModel):
    model_config = ConfigDict(frozen=True)

    decisions: int
    answered: int
    unanswered: int
    within_sla: int
    within_24h: int
    share_within_sla: float | None  # of answered decisions whose SLA is known
    share_within_24h: float | None
    mean_first_response_seconds: float | None
    max_first_response_seconds: float | None
    buckets: dict[str, int]
    # product questions: answered from the knowledge base (a holding reply is no answer)
    questions: int = 0
    questions_answered_from_kb: int = 0
    share_questions_answered_within_hour: float | None = None


class DayPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    refunds: dict[str, Decimal]
    goods_kept: dict[str, Decimal]
    decisions: int
    mean_first_response_seconds: float | None


class PolicyMarker(BaseModel):
    model_config = ConfigDict(frozen=True)

    policy_version: str
    first_decided_at: datetime


class ImpactSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant: str | None
    records: int
    baseline_rate: float | None
    baseline_source: str
    prior: tuple[float, float]
    by_action: list[GroupStats]
    by_intent: list[GroupStats]
    sla: SlaStats
    days: list[DayPoint]
    policy_markers: list[PolicyMarker]  # versions after the first one: where policy changed
    trend: FeedbackTrend
    # feedback growth by month (review requests, removals, A-to-z claims); see growth.events
    growth: list[GrowthMonth] = []
