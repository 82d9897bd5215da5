"""Report: the tenant's feedback-impact page, rendered from the ledger and snapshots."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from spconnector.domain import Tenant
from spconnector.impact.aggregate import summarize
from spconnector.impact.report import render_report
from spconnector.jobs.impact_store import ImpactStore
from spconnector.jobs.services import Services


def render_for(services: Services, tenant: Tenant) -> str:
    store = ImpactStore(services)
    now = services.now()
    summary = summarize(
        store.ledger.iter_records(tenant.tenant_id),
        snapshots=store.snapshots(tenant.tenant_id),
        as_of=now,
    )
    return render_report(
        summary, title=f"spconnector — feedback impact for {tenant.tenant_id}", generated_at=now
    )


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    """Report Lambda path: the page goes to S3 under reports/<tenant>/."""
    from spconnector.aws.clients import client

    key = f"reports/{tenant.tenant_id}/{now:%Y-%m-%d}.html"
    client("s3").put_object(
        Bucket=services.settings.bucket,
        Key=key,
        Body=render_for(services, tenant).encode(),
        ContentType="text/html; charset=utf-8",
        ServerSideEncryption="AES256",
    )
    return {"report": f"s3://{services.settings.bucket}/{key}"}


def write_local(services: Services, tenant: Tenant, path: Path) -> Path:
    path.write_text(render_for(services, tenant), encoding="utf-8")
    return path
