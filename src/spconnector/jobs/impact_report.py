"""Report: the tenant's feedback-impact page, rendered from the ledger and snapshots."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from spconnector.domain import Tenant
from spconnector.impact.aggregate import summarize
from spconnector.impact.report import render_report
from spconnector.impact.summary import ImpactSummary
from spconnector.jobs.services import Services


def impact_summary(services: Services, tenant: Tenant) -> ImpactSummary:

    store = services.impact
    return summarize(
        store.ledger.iter_records(tenant.tenant_id),
        snapshots=store.snapshots(tenant.tenant_id),
        growth_events=services.growth.events(tenant.tenant_id),
        as_of=services.now(),
    )


def render_for(services: Services, tenant: Tenant) -> str:
    return render_report(
        impact_summary(services, tenant),
        title=f"spconnector — feedback impact for {tenant.tenant_id}",
        generated_at=services.now(),
    )


def headline(summary: ImpactSummary) -> dict[str, Any]:
    """The numbers a seller reads first (the demo's --json `impact`)."""
    return {
        "records": summary.records,
        "positive_feedback_pct": summary.trend.latest_pct,
        "baseline_negative_rate": summary.baseline_rate,
        "baseline_source": summary.baseline_source,
        "negative_rate_by_action": {
            g.key: {
                "decisions": g.n,
                "negatives": g.negatives,
                "rate_mean": round(g.posterior_mean, 4),
                "rate_90": [round(g.ci_low, 4), round(g.ci_high, 4)],
                "vs_baseline": g.vs_baseline,
            }
            for g in summary.by_action
        },
        "growth_by_month": [m.model_dump() for m in summary.growth],
        "sla": {
            "answered": summary.sla.answered,
            "share_within_sla": summary.sla.share_within_sla,
            "share_within_24h": summary.sla.share_within_24h,
            "mean_first_response_seconds": summary.sla.mean_first_response_seconds,
        },
    }


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    """Report Lambda path: the page goes to S3 under reports/<tenant>/."""
    key = f"reports/{tenant.tenant_id}/{now:%Y-%m-%d}.html"
    where = services.report_pages.put(
        key, render_for(services, tenant).encode(), "text/html; charset=utf-8"
    )
    return {"report": where}


def write_local(services: Services, tenant: Tenant, path: Path) -> Path:
    path.write_text(render_for(services, tenant), encoding="utf-8")
    return path
