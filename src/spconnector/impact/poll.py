"""One feedback poll for one tenant, written against ports (the PollFeedback job calls it).

Inputs are the documents the SP-API returned; a report whose processing ended CANCELLED is
passed as None and means "no data", never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from spconnector.domain.case import Case
from spconnector.domain.tenant import Tenant
from spconnector.impact.feedback import (
    FeedbackSnapshot,
    QuarantinedRow,
    SellerRating,
    build_snapshot,
    parse_feedback_report,
    seller_rating_from_offers,
)
from spconnector.impact.follow_up import FollowUp, follow_up_for_feedback
from spconnector.impact.ledger import LedgerStore, record_feedback_entries
from spconnector.impact.performance import MarketplacePerformance, parse_performance_report


@dataclass(slots=True)
class FeedbackPollResult:
    snapshot: FeedbackSnapshot
    entries: int
    matched: int  # feedback rows about orders we decided on
    unmatched: int
    new_negatives: int  # 1-2 star rows not seen before (for the NegativeFeedback metric)
    follow_ups: list[FollowUp] = field(default_factory=list)
    quarantined: list[QuarantinedRow] = field(default_factory=list)


def poll_feedback(
    tenant: Tenant,
    now: datetime,
    *,
    store: LedgerStore,
    feedback_report: bytes | str | None,
    offers_payload: Mapping[str, Any] | None,
    performance_report: bytes | str | Mapping[str, Any] | None,
    seen_keys: frozenset[str] = frozenset(),
    rating: SellerRating | None = None,
    case_for_order: Callable[[str], Case | None] = lambda _order: None,
    sla: timedelta | None = None,
) -> FeedbackPollResult:
    """Parse what Amazon sent, record outcomes in the ledger, build the day's snapshot, and
    say which orders need a follow-up. seen_keys: FeedbackEntry.dedup_key values handled by
    earlier polls — a row seen before opens no second follow-up."""
    parsed = parse_feedback_report(feedback_report) if feedback_report is not None else None
    entries = parsed.entries if parsed else []
    performance: MarketplacePerformance | None = None
    if performance_report is not None:
        by_marketplace = {p.marketplace_id: p for p in parse_performance_report(performance_report)}
        performance = next(
            (by_marketplace[m] for m in tenant.marketplace_ids if m in by_marketplace), None
        )
    if rating is None and offers_payload:
        rating = seller_rating_from_offers(offers_payload, tenant.seller_id)
    snapshot = build_snapshot(
        tenant.tenant_id,
        now,
        entries,
        rating=rating,
        performance=performance,
        marketplace_id=tenant.marketplace_ids[0],
    )
    matched, unmatched = record_feedback_entries(store, tenant.tenant_id, entries)
    fresh = [e for e in entries if e.dedup_key not in seen_keys]
    follow_ups = []
    for entry in fresh:
        action = follow_up_for_feedback(
            tenant, entry, case_for_order(entry.amazon_order_id), now, sla
        )
        if action is not None:
            follow_ups.append(action)
    return FeedbackPollResult(
        snapshot=snapshot,
        entries=len(entries),
        matched=matched,
        unmatched=unmatched,
        new_negatives=sum(1 for e in fresh if e.is_negative),
        follow_ups=follow_ups,
        quarantined=parsed.quarantined if parsed else [],
    )
