"""PollFeedback: the seller's 1–3★ feedback and performance reports → outcomes in the impact
ledger, a dated snapshot, and follow-ups on new negative feedback (when the tenant wants them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spconnector.domain import Tenant, case_id_for
from spconnector.impact.feedback import parse_feedback_report
from spconnector.impact.metrics import TenantMetrics
from spconnector.impact.poll import poll_feedback
from spconnector.jobs.follow_up import follow_up_on_feedback
from spconnector.jobs.impact_store import ImpactStore
from spconnector.jobs.reports import run_report
from spconnector.jobs.services import Services
from spconnector.observability import tenant_scope

FEEDBACK_REPORT = "GET_SELLER_FEEDBACK_DATA"
PERFORMANCE_REPORT = "GET_V2_SELLER_PERFORMANCE_REPORT"


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    store = ImpactStore(services)
    tid = tenant.tenant_id
    summary: dict[str, Any] = {"snapshots": 0, "follow_ups": 0, "new_negatives": 0}
    performance: list[bytes] = []
    run_report(services, tenant, PERFORMANCE_REPORT, performance.append, now)

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
            case_for_order=lambda order_id: services.cases.get(tid, case_id_for(tid, order_id)),
        )
        store.put_snapshot(result.snapshot)
        entries = parse_feedback_report(document).entries
        store.mark_seen(tid, seen | {e.dedup_key for e in entries})
        for follow_up in result.follow_ups:
            follow_up_on_feedback(services, tenant, follow_up)
        with TenantMetrics(tid) as metrics:
            for _ in range(result.new_negatives):
                metrics.negative_feedback()
        summary["snapshots"] += 1
        summary["follow_ups"] += len(result.follow_ups)
        summary["new_negatives"] += result.new_negatives
        return result.entries

    with tenant_scope(tid):
        report = run_report(services, tenant, FEEDBACK_REPORT, consume, now)
    summary["errors"] = report.errors
    return summary
