"""Report pipelines: request a report from a cursor, finish it later, never lose a window.

Amazon builds reports asynchronously (minutes). A scheduled run (or the
REPORT_PROCESSING_FINISHED notification) first finishes what is pending, then requests the
next window from the stored cursor. DONE → the document is handed to `consume`; CANCELLED is
Amazon's "no data" and simply advances the cursor; FATAL keeps the cursor so the window is
asked for again next time, and is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from spconnector.domain import Tenant
from spconnector.jobs.services import Services
from spconnector.observability import get_logger

log = get_logger(__name__)

MAX_WINDOW = timedelta(days=60)  # Amazon's returns reports accept at most ~60 days
OVERLAP = timedelta(hours=6)  # re-read a little of the last window; duplicates collapse
FIRST_LOOKBACK = timedelta(days=30)


@dataclass
class ReportRun:
    report_type: str
    finished: list[str] = field(default_factory=list)  # DONE/CANCELLED/FATAL per report id
    requested: str | None = None
    consumed: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def run_report(
    services: Services,
    tenant: Tenant,
    report_type: str,
    consume: Callable[[bytes], Any],
    now: datetime,
    *,
    marketplace_ids: list[str] | None = None,
) -> ReportRun:
    sp = services.sp(tenant)
    pending = services.pending_reports
    cursor_name = f"report:{report_type}"
    run = ReportRun(report_type)
    markets = marketplace_ids or list(tenant.marketplace_ids)

    current = pending.get(tenant.tenant_id, report_type)
    if current is not None:
        status = sp.get_report(current["report_id"])
        state = status.processingStatus
        if state in ("IN_QUEUE", "IN_PROGRESS"):
            return run  # not ready: the next run (or the notification) finishes it
        run.finished.append(f"{current['report_id']}:{state}")
        if state == "DONE":
            if status.reportDocumentId is None:
                raise ValueError(f"report {current['report_id']} is DONE without a document")
            document = sp.get_report_document(status.reportDocumentId)
            run.consumed.append(consume(document))
            services.checkpoints.advance_cursor(
                tenant.tenant_id, cursor_name, datetime.fromisoformat(current["end"])
            )
        elif state == "CANCELLED":  # Amazon's "no data for this window"
            services.checkpoints.advance_cursor(
                tenant.tenant_id, cursor_name, datetime.fromisoformat(current["end"])
            )
        else:  # FATAL: keep the cursor; the same window is requested again
            run.errors.append(f"report {current['report_id']} ended {state}")
            log.error("report failed", extra={"report_type": report_type, "state": state})
        pending.clear(tenant.tenant_id, report_type)

    cursor = services.checkpoints.cursor(tenant.tenant_id, cursor_name)
    start = (cursor - OVERLAP) if cursor else now - FIRST_LOOKBACK
    end = min(now, start + MAX_WINDOW)
    report_id = sp.create_report(report_type, start, end, markets)
    pending.put(
        tenant.tenant_id,
        report_type,
        {"report_id": report_id, "start": start.isoformat(), "end": end.isoformat()},
    )
    run.requested = report_id
    return run
