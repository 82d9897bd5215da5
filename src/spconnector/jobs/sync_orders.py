"""SyncOrders (scheduled, per tenant): bring the tenant's order mirror up to date.

One incremental searchOrders (lastUpdatedAfter = the mirror's cursor, 100 orders a page) per
run; the cursor moves only once every page is stored, so a failed run is simply repeated by
the next one (stored reads are idempotent). See spconnector.mirror.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spconnector.domain import Tenant
from spconnector.jobs.services import Services
from spconnector.mirror import catch_up


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    result = catch_up(services.sp(tenant), services.order_mirror, tenant.tenant_id, now)
    return {
        "job": "sync_orders",
        "tenant": tenant.tenant_id,
        "calls": result.calls,
        "stored": result.stored,
        "skipped": len(result.skipped),
        "complete": result.complete,
    }
