"""SP-API notifications (delivered to our SQS queue by Amazon) → the tenant's follow-up work.

REPORT_PROCESSING_FINISHED finishes a returns or feedback report now instead of at the next
tick; FEED_PROCESSING_FINISHED reconciles refunds; ORDER_CHANGE re-examines the order's case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spconnector.aws.queues import OutboundMessage
from spconnector.domain import Tenant, case_id_for
from spconnector.jobs.services import Services
from spconnector.messages import CaseEvent, CaseEventKind, SpApiNotification, WorkItem
from spconnector.mirror.sync import apply_order_change
from spconnector.observability import get_logger, tenant_scope

log = get_logger(__name__)

_REPORT_JOBS = {
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": "poll_returns",
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": "poll_returns",
    "GET_SELLER_FEEDBACK_DATA": "poll_feedback",
    "GET_V2_SELLER_PERFORMANCE_REPORT": "poll_feedback",
}


class UnknownSeller(LookupError):
    pass


def handle_notification(
    services: Services, body: SpApiNotification | Mapping[str, Any]
) -> dict[str, Any]:
    notification = SpApiNotification.of(body)
    kind = notification.notification_type
    payload = notification.payload
    if kind == "REPORT_PROCESSING_FINISHED":
        detail = payload.get("reportProcessingFinishedNotification", {})
        job = _REPORT_JOBS.get(str(detail.get("reportType", "")))
        if job is None:
            return {"status": "ignored", "reason": f"report type {detail.get('reportType')}"}
        # The notification names no marketplace: every tenant of the seller looks (cheap —
        # a job with nothing pending only asks for its next window).
        tenants = _tenants_of(services, str(detail.get("sellerId", "")))
        return _enqueue_all(services, tenants, job)
    if kind == "FEED_PROCESSING_FINISHED":
        detail = payload.get("feedProcessingFinishedNotification", {})
        tenants = _tenants_of(services, str(detail.get("sellerId", "")))
        return _enqueue_all(services, tenants, "track_feeds")
    if kind == "ORDER_CHANGE":
        detail = payload.get("OrderChangeNotification", {})
        tenants = _tenants_of(services, str(detail.get("SellerId", "")))
        # Amazon's schema puts it in the Summary (OrderChangeNotification.json)
        summary = detail.get("Summary") or {}
        marketplace = str(detail.get("MarketplaceId") or summary.get("MarketplaceId", ""))
        # A seller with tenants in two regions: the order's marketplace picks the tenant.
        tenant = next((t for t in tenants if marketplace in t.marketplace_ids), tenants[0])
        order_id = str(detail.get("AmazonOrderId", ""))
        with tenant_scope(tenant.tenant_id):
            # the mirror's copy is stale from now on (issue 19): the next read is getOrder or
            # the next incremental search
            extra = notification.model_extra or {}
            change = {
                "payload": payload,
                "EventTime": extra.get("EventTime") or extra.get("eventTime"),
            }
            apply_order_change(services.order_mirror, tenant.tenant_id, change, services.now())
            case_id = case_id_for(tenant.tenant_id, order_id)
            if services.cases.get(tenant.tenant_id, case_id) is None:
                return {"status": "ignored", "reason": "no case for this order"}
            event = CaseEvent(
                tenant=tenant.tenant_id, case_id=case_id, event=CaseEventKind.ORDER_CHANGE
            )
            services.case_events.publish_event(event)
            return {"status": "case_event", "case_id": case_id}
    log.warning("unhandled notification type", extra={"notification_type": kind})
    return {"status": "ignored", "reason": f"notification type {kind!r}"}


def _tenants_of(services: Services, seller_id: str) -> list[Tenant]:
    tenants = [t for t in services.tenants.list() if t.seller_id == seller_id]
    if not tenants:
        # Raised, not dropped: the message retries and ends in the DLQ where an operator sees it.
        raise UnknownSeller(f"no tenant for seller {seller_id!r}")
    return tenants


def _enqueue_all(services: Services, tenants: list[Tenant], job: str) -> dict[str, Any]:
    results = [_enqueue(services, tenant, job) for tenant in tenants]
    return {"status": "enqueued", "job": job, "tenants": [r["tenant"] for r in results]}


def _enqueue(services: Services, tenant: Tenant, job: str) -> dict[str, Any]:
    now = services.now()
    body = WorkItem(job=job, tenant=tenant.tenant_id, tick=now.isoformat()).to_body()
    dedup = f"{job}-{tenant.tenant_id}-notified-{now.strftime('%Y%m%dT%H%M%S')}"
    services.work_queue().send_batch(
        [OutboundMessage(body=body, tenant=tenant.tenant_id, dedup_id=dedup)]
    )
    return {"status": "enqueued", "job": job, "tenant": tenant.tenant_id}
