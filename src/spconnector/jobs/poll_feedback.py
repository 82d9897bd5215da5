"""PollFeedback: the seller's 1–3★ feedback and performance reports → outcomes in the impact
ledger, a dated snapshot, and follow-ups on new negative feedback (when the tenant wants them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spconnector.domain import Tenant, case_id_for
from spconnector.impact.feedback import SellerRating, parse_feedback_report
from spconnector.impact.metrics import TenantMetrics
from spconnector.impact.poll import poll_feedback
from spconnector.jobs.amazon_reports import run_report
from spconnector.jobs.follow_up import follow_up_on_feedback
from spconnector.jobs.removal_candidates import check_new_feedback, check_outcomes
from spconnector.jobs.services import Services
from spconnector.observability import get_logger, tenant_scope
from spconnector.sp.errors import SpApiError

log = get_logger(__name__)

FEEDBACK_REPORT = "GET_SELLER_FEEDBACK_DATA"
PERFORMANCE_REPORT = "GET_V2_SELLER_PERFORMANCE_REPORT"


def _seller_rating(services: Services, tenant: Tenant) -> SellerRating | None:
    """The seller's positive % and count (365 days) from its own offer's SellerFeedbackRating.

    getListingOffers needs one of the seller's SKUs: the most recent case's order gives one.
    No case yet, or no buyable offer: no rating this time (the snapshot says so).
    """
    sp = services.sp(tenant)
    for case in services.cases.list_cases(tenant.tenant_id)[::-1]:
        if not case.amazon_order_id:
            continue
        try:
            sku = sp.get_order(case.amazon_order_id).items[0].sku
            found = sp.get_seller_feedback_rating(sku)
        except SpApiError as exc:
            log.info("no seller rating this time: %s", type(exc).__name__)
            return None
        pct = found.positive_percent
        return SellerRating(positive_pct=None if pct is None else float(pct), count=found.count)
    return None


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    store = services.impact
    tid = tenant.tenant_id
    summary: dict[str, Any] = {
        "snapshots": 0,
        "follow_ups": 0,
        "new_negatives": 0,
        "removal_candidates": 0,
    }
    performance: list[bytes] = []
    run_report(services, tenant, PERFORMANCE_REPORT, performance.append, now)

    rating = _seller_rating(services, tenant)

    def consume(document: bytes) -> int:
        seen = store.seen_feedback(tid)
        result = poll_feedback(
            tenant,
            now,
            store=store.ledger,
            feedback_report=document,
            offers_payload=None,
            performance_report=performance[-1] if performance else None,
            seen_keys=seen,
            rating=rating,
            case_for_order=lambda order_id: services.cases.get(tid, case_id_for(tid, order_id)),
        )
        store.put_snapshot(result.snapshot)
        entries = parse_feedback_report(document).entries
        # before the rows are marked seen: a failure here retries them on the next poll
        summary["removal_candidates"] += len(
            check_new_feedback(services, tenant, entries, seen, now)
        )
        handled = set(seen)
        for follow_up in result.follow_ups:
            follow_up_on_feedback(services, tenant, follow_up)
            # seen only once its follow-up is done: a failure here retries it next poll
            handled.add(follow_up.feedback_key)
            store.mark_seen(tid, frozenset(handled))
        store.mark_seen(tid, frozenset(handled | {e.dedup_key for e in entries}))
        with TenantMetrics(tid) as metrics:
            for _ in range(result.new_negatives):
                metrics.negative_feedback()
            if rating is not None and rating.positive_pct is not None:
                metrics.positive_feedback_pct(rating.positive_pct)
        summary["snapshots"] += 1
        summary["follow_ups"] += len(result.follow_ups)
        summary["new_negatives"] += result.new_negatives
        return result.entries

    with tenant_scope(tid):
        report = run_report(services, tenant, FEEDBACK_REPORT, consume, now)
    summary["errors"] = report.errors
    with tenant_scope(tid):
        try:
            summary["removal_outcomes"] = check_outcomes(services, tenant, now)
        except SpApiError as exc:  # the outcome check waits for the next poll; nothing is lost
            summary["removal_outcomes"] = {"error": type(exc).__name__}
    return summary
