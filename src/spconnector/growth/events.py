"""Growth events in the impact ledger, and their monthly counts for the impact report.

One event per (kind, order): recording the same event again replaces it, so a retried job
never counts twice. Like the rest of the impact ledger, events hold no buyer PII: order ids,
times, ratings and a short reason only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.models import AwareDatetime

EventKind = Literal[
    "review_request",  # outcome: sent | unconfirmed (crash; Amazon no longer offers it)
    "removal_candidate",  # detail: the criterion
    "removal_outcome",  # outcome: removed | not_removed
    "claim_opened",
    "claim_outcome",  # outcome: granted | denied | withdrawn
]


class GrowthEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str
    kind: EventKind
    amazon_order_id: str
    at: AwareDatetime
    outcome: str | None = None
    detail: str | None = Field(default=None, max_length=200)

    @property
    def key(self) -> str:
        return f"{self.kind}#{self.amazon_order_id}"

    @property
    def month(self) -> str:
        return self.at.astimezone(UTC).strftime("%Y-%m")


class GrowthMonth(BaseModel):
    model_config = ConfigDict(frozen=True)

    month: str
    feedback_count: int | None = None  # Amazon's 365-day rating count at the month's last snapshot
    positive_pct: float | None = None  # and its positive %
    order_defect_rate: float | None = None  # from the performance report, same snapshot
    new_ratings: int | None = None  # growth of that count over the month (≥ 0)
    requests_sent: int = 0
    feedback_per_request: float | None = None  # new ratings ÷ requests sent
    removals_requested: int = 0
    removed: int = 0
    claims_opened: int = 0
    claims_granted: int = 0  # granted to the buyer: counts against the order defect rate
    claims_denied: int = 0
    claims_withdrawn: int = 0


def by_month(
    events: Iterable[GrowthEvent],
    ratings: Iterable[tuple[date, int | None, float | None, float | None]] = (),
) -> list[GrowthMonth]:
    """Monthly counts. `ratings`: (day, 365-day count, positive %, order defect rate) from the
    feedback snapshots;
    the month's last one gives its count and positive %, the change since the previous month
    its new ratings (an undercount when old ratings leave the 365 days: Amazon gives no more)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in events:
        month = counts[event.month]
        if event.kind == "review_request":
            month["requests_sent"] += 1
        elif event.kind == "removal_candidate":
            month["removals_requested"] += 1
        elif event.kind == "removal_outcome" and event.outcome == "removed":
            month["removed"] += 1
        elif event.kind == "claim_opened":
            month["claims_opened"] += 1
        elif event.kind == "claim_outcome" and event.outcome in ("granted", "denied", "withdrawn"):
            month[f"claims_{event.outcome}"] += 1
    last: dict[str, tuple[int | None, float | None, float | None]] = {}
    for day, count, pct, odr in sorted(ratings, key=lambda r: r[0]):
        last[day.strftime("%Y-%m")] = (count, pct, odr)
        counts[day.strftime("%Y-%m")]
    out = []
    previous: int | None = None
    for key in sorted(counts):
        values = dict(counts[key])
        count, pct, odr = last.get(key, (None, None, None))
        new = max(0, count - previous) if count is not None and previous is not None else None
        if count is not None:
            previous = count
        sent = values.get("requests_sent", 0)
        out.append(
            GrowthMonth(
                month=key,
                feedback_count=count,
                positive_pct=pct,
                order_defect_rate=odr,
                new_ratings=new,
                feedback_per_request=round(new / sent, 3) if sent and new is not None else None,
                **values,
            )
        )
    return out
