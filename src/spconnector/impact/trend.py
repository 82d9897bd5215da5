"""Amazon's feedback score over time, from snapshots: the latest snapshot per day, and the
change of the positive % over 30/90/365 days. O(days) memory; a window without an earlier
snapshot has no change (None), never a guessed one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from spconnector.impact.feedback import FeedbackSnapshot


class TrendPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    day: date
    positive_pct: float | None
    count: int | None
    negatives_30d: int
    negatives_90d: int
    negatives_365d: int
    score_30d: float | None
    score_90d: float | None


class FeedbackTrend(BaseModel):
    model_config = ConfigDict(frozen=True)

    points: list[TrendPoint]
    latest_pct: float | None
    change_30d: float | None  # percentage points versus the snapshot 30 days earlier
    change_90d: float | None
    change_365d: float | None


def feedback_trend(
    snapshots: Iterable[FeedbackSnapshot], as_of: datetime | None = None
) -> tuple[FeedbackTrend, FeedbackSnapshot | None]:
    """The latest snapshot per day, and the change of Amazon's positive % over 30/90/365
    days (latest minus the last snapshot on or before as_of - window). O(days) memory."""
    per_day: dict[date, FeedbackSnapshot] = {}
    for snap in snapshots:
        day = snap.taken_at.astimezone(UTC).date()
        held = per_day.get(day)
        if held is None or snap.taken_at >= held.taken_at:
            per_day[day] = snap
    days = sorted(per_day)
    if as_of is not None:
        end = as_of.astimezone(UTC).date()
        days = [d for d in days if d <= end]
    points = [
        TrendPoint(
            day=d,
            positive_pct=per_day[d].positive_pct,
            count=per_day[d].count,
            negatives_30d=per_day[d].negatives_30d,
            negatives_90d=per_day[d].negatives_90d,
            negatives_365d=per_day[d].negatives_365d,
            score_30d=per_day[d].score("30d"),
            score_90d=per_day[d].score("90d"),
        )
        for d in days
    ]
    latest = per_day[days[-1]] if days else None
    latest_pct = latest.positive_pct if latest else None
    end_day = (as_of.astimezone(UTC).date() if as_of else days[-1]) if days else None

    def change(window: int) -> float | None:
        if latest_pct is None or end_day is None:
            return None
        cutoff = end_day - timedelta(days=window)
        earlier = [d for d in days if d <= cutoff and per_day[d].positive_pct is not None]
        if not earlier:
            return None
        before = per_day[earlier[-1]].positive_pct
        return None if before is None else round(latest_pct - before, 2)

    trend = FeedbackTrend(
        points=points,
        latest_pct=latest_pct,
        change_30d=change(30),
        change_90d=change(90),
        change_365d=change(365),
    )
    return trend, latest
