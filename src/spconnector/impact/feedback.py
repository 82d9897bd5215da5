"""Feedback data in, snapshots out.

Three sources, as Amazon offers them:
- GET_SELLER_FEEDBACK_DATA: tab-separated, only 1-3 star entries
  (`Date, Rating, Comments, Response, Order ID, Rater Email`).
- Product Pricing offers: `SellerFeedbackRating` on the seller's own offer — the positive %
  and the number of ratings over 365 days.
- GET_V2_SELLER_PERFORMANCE_REPORT: JSON, parsed in performance.py.

Score = positive (4-5 star) / all ratings. Amazon calls 1-2 stars negative, 3 neutral.
The rater's email is PII and is never read into a model; comments are buyer text (data).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from spconnector.domain.models import AwareDatetime
from spconnector.impact.performance import MarketplacePerformance
from spconnector.impact.report_text import decode_report

FEEDBACK_REPORT_TYPE = "GET_SELLER_FEEDBACK_DATA"

WINDOWS_DAYS = (30, 90, 365)
NEGATIVE_MAX_RATING = 2  # Amazon: 1-2 stars negative, 3 neutral, 4-5 positive
NON_POSITIVE_MAX_RATING = 3


class FeedbackReportError(ValueError):
    """The feedback report cannot be read at all (e.g. a required column is missing)."""


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    line: int
    reason: str


class FeedbackEntry(BaseModel):
    """One 1-3 star row of the feedback report. No rater email: it is PII and not needed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    feedback_date: date
    rating: int = Field(ge=1, le=5)
    comments: str = ""
    response: str | None = None
    amazon_order_id: str
    line: int = Field(ge=1)

    @property
    def is_negative(self) -> bool:
        return self.rating <= NEGATIVE_MAX_RATING

    @property
    def dedup_key(self) -> str:
        return f"{self.amazon_order_id}#{self.feedback_date.isoformat()}#{self.rating}"

    @property
    def feedback_at(self) -> datetime:
        """The report only has a day; midnight UTC of that day."""
        return datetime(
            self.feedback_date.year, self.feedback_date.month, self.feedback_date.day, tzinfo=UTC
        )


@dataclass(slots=True)
class FeedbackParseResult:
    entries: list[FeedbackEntry] = field(default_factory=list)
    quarantined: list[QuarantinedRow] = field(default_factory=list)


# Header names as Amazon writes them, matched case- and space-insensitively.
_COLUMNS = {
    "date": "date",
    "rating": "rating",
    "comments": "comments",
    "response": "response",
    "order id": "order_id",
    "order-id": "order_id",
    "rater email": "rater_email",
}
_REQUIRED = ("date", "rating", "order_id")
_DATE_FORMATS = ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d", "%d.%m.%y", "%d.%m.%Y", "%d-%b-%Y")


def _parse_date(raw: str) -> date:
    text = raw.strip()
    if "T" in text:
        return datetime.fromisoformat(text).date()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {text[:40]!r}")


def parse_feedback_report(data: bytes | str) -> FeedbackParseResult:
    """Parse GET_SELLER_FEEDBACK_DATA; bad rows are quarantined with their line number.

    Raises FeedbackReportError when the header lacks Date, Rating or Order ID.
    An empty document (Amazon's "no data") gives an empty result.
    """
    text = decode_report(data)
    result = FeedbackParseResult()
    if not text.strip():
        return result
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header: dict[str, int] | None = None
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = {}
            for index, name in enumerate(row):
                key = _COLUMNS.get(" ".join(name.strip().lower().split()))
                if key and key not in header:
                    header[key] = index
            missing = [c for c in _REQUIRED if c not in header]
            if missing:
                raise FeedbackReportError(
                    f"feedback report line {line}: missing column(s) {', '.join(missing)}"
                )
            continue
        try:
            result.entries.append(_entry(row, header, line))
        except ValueError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            result.quarantined.append(QuarantinedRow(line=line, reason=reason))
    return result


def _cell(row: list[str], header: Mapping[str, int], key: str) -> str:
    index = header.get(key)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _entry(row: list[str], header: Mapping[str, int], line: int) -> FeedbackEntry:
    needed = max(header[key] for key in _REQUIRED) + 1
    if len(row) < needed:
        raise ValueError(f"{len(row)} field(s), at least {needed} expected")
    order_id = _cell(row, header, "order_id")
    if not order_id:
        raise ValueError("empty Order ID")
    rating_text = _cell(row, header, "rating")
    try:
        rating = int(rating_text)
    except ValueError:
        raise ValueError(f"rating {rating_text[:10]!r} is not a whole number") from None
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {rating} outside 1-5")
    response = _cell(row, header, "response")
    return FeedbackEntry(
        feedback_date=_parse_date(_cell(row, header, "date")),
        rating=rating,
        comments=_cell(row, header, "comments"),
        response=response or None,
        amazon_order_id=order_id,
        line=line,
    )


# --- Product Pricing: SellerFeedbackRating on the seller's own offer -----------------------


class SellerRating(BaseModel):
    """Amazon's own 365-day figures for the seller."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    positive_pct: float | None = Field(default=None, ge=0, le=100)
    count: int = Field(ge=0)


def seller_rating_from_offers(payload: Mapping[str, Any], seller_id: str) -> SellerRating | None:
    """Read `SellerFeedbackRating` from a getItemOffers / getListingOffers payload.

    Takes the offer with `MyOffer` true or whose `SellerId` is the seller's; None if the
    seller's offer is not among them (e.g. the offer is not buyable right now).
    """
    body = payload.get("payload", payload)
    offers = body.get("Offers") if isinstance(body, Mapping) else None
    if not isinstance(offers, list):
        return None
    for offer in offers:
        if not isinstance(offer, Mapping):
            continue
        if offer.get("MyOffer") is True or offer.get("SellerId") == seller_id:
            rating = offer.get("SellerFeedbackRating")
            if not isinstance(rating, Mapping) or "FeedbackCount" not in rating:
                return None
            pct = rating.get("SellerPositiveFeedbackRating")
            return SellerRating(
                positive_pct=None if pct is None else float(pct),
                count=int(rating["FeedbackCount"]),
            )
    return None


# --- Snapshots --------------------------------------------------------------------------------


class FeedbackSnapshot(BaseModel):
    """The tenant's feedback position at one moment; one a day builds the trend."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str
    taken_at: AwareDatetime
    marketplace_id: str | None = None
    positive_pct: float | None = Field(default=None, ge=0, le=100)  # Amazon, 365 days
    count: int | None = Field(default=None, ge=0)  # ratings in 365 days, Amazon's figure
    negatives_30d: int = 0
    negatives_90d: int = 0
    negatives_365d: int = 0
    negatives_lifetime: int = 0
    neutrals_30d: int = 0
    neutrals_90d: int = 0
    neutrals_365d: int = 0
    neutrals_lifetime: int = 0
    # rates are per order: finite and >= 0 (a NaN baseline made every cost per avoided
    # negative NaN, which the report's own model then refused)
    order_defect_rate: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    negative_feedback_count: int | None = None  # from the performance report (ODR window)
    negative_feedback_rate: float | None = Field(  # per order, the seller's baseline
        default=None, ge=0, allow_inf_nan=False
    )
    # Ratings of all stars per window, when a source knows them (Amazon's API gives only 365).
    ratings_30d: int | None = None
    ratings_90d: int | None = None
    ratings_lifetime: int | None = None

    def score(self, window: str) -> float | None:
        """Positive (4-5 star) / all, in percent, for "30d", "90d", "365d" or "lifetime";
        None when the number of all ratings in that window is unknown."""
        if window == "365d" and self.positive_pct is not None:
            return self.positive_pct
        total = {
            "30d": self.ratings_30d,
            "90d": self.ratings_90d,
            "365d": self.count,
            "lifetime": self.ratings_lifetime,
        }[window]
        non_positive = {
            "30d": self.negatives_30d + self.neutrals_30d,
            "90d": self.negatives_90d + self.neutrals_90d,
            "365d": self.negatives_365d + self.neutrals_365d,
            "lifetime": self.negatives_lifetime + self.neutrals_lifetime,
        }[window]
        return positive_pct(total, non_positive)


def positive_pct(total: int | None, non_positive: int) -> float | None:
    """Positive / all in percent; None without ratings (no score is not a score of 0)."""
    if not total:
        return None
    return round(100.0 * max(total - non_positive, 0) / total, 2)


def build_snapshot(
    tenant: str,
    taken_at: datetime,
    entries: Iterable[FeedbackEntry],
    *,
    rating: SellerRating | None = None,
    performance: MarketplacePerformance | None = None,
    marketplace_id: str | None = None,
    removed_keys: frozenset[str] = frozenset(),
) -> FeedbackSnapshot:
    """Count 1-3 star entries per window (ending at taken_at) and join Amazon's figures.
    Entries whose dedup_key is in removed_keys (removed or struck through) do not count."""
    if taken_at.tzinfo is None:
        raise ValueError("taken_at must be timezone-aware")
    today = taken_at.astimezone(UTC).date()
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for entry in entries:
        if entry.dedup_key in seen or entry.dedup_key in removed_keys:
            continue
        seen.add(entry.dedup_key)
        if entry.rating > NON_POSITIVE_MAX_RATING or entry.feedback_date > today:
            continue
        kind = "negatives" if entry.is_negative else "neutrals"
        age = today - entry.feedback_date
        counts[f"{kind}_lifetime"] = counts.get(f"{kind}_lifetime", 0) + 1
        for days in WINDOWS_DAYS:
            if age < timedelta(days=days):
                counts[f"{kind}_{days}d"] = counts.get(f"{kind}_{days}d", 0) + 1
    return FeedbackSnapshot(
        tenant=tenant,
        taken_at=taken_at,
        marketplace_id=marketplace_id or (performance.marketplace_id if performance else None),
        positive_pct=rating.positive_pct if rating else None,
        count=rating.count if rating else None,
        order_defect_rate=performance.order_defect_rate if performance else None,
        negative_feedback_count=performance.negative_feedback_count if performance else None,
        negative_feedback_rate=performance.negative_feedback_rate if performance else None,
        **counts,
    )
