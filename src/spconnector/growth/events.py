"""Growth events in the impact ledger, and their monthly counts for the impact report.

One event per (kind, order): recording the same event again replaces it, so a retried job
never counts twice. Like the rest of the impact ledger, events hold no buyer PII: order ids,
times, ratings and a short reason only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC
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
    requests_sent: int = 0
    feedback: int = 0  # feedback received that month (any rating)
    positive: int = 0  # of which 4–5★
    feedback_per_request: float | None = None
    removals_requested: int = 0
    removed: int = 0
    claims_opened: int = 0
    claims_granted: int = 0  # granted to the buyer: counts against the order defect rate
    claims_denied: int = 0
    claims_withdrawn: int = 0

    @property
    def positive_pct(self) -> float | None:
        return round(100.0 * self.positive / self.feedback, 1) if self.feedback else None


def by_month(
    events: Iterable[GrowthEvent],
    feedback: Iterable[tuple[AwareDatetime, int]] = (),
) -> list[GrowthMonth]:
    """Monthly counts. `feedback`: (when, rating) of every feedback known (the ledger's
    outcomes), so feedback per request compares like with like, month by month."""
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
    for when, rating in feedback:
        month = counts[when.astimezone(UTC).strftime("%Y-%m")]
        month["feedback"] += 1
        month["positive"] += 1 if rating >= 4 else 0
    out = []
    for key in sorted(counts):
        values = dict(counts[key])
        sent = values.get("requests_sent", 0)
        per = round(values.get("feedback", 0) / sent, 3) if sent else None
        out.append(GrowthMonth(month=key, feedback_per_request=per, **values))
    return out
