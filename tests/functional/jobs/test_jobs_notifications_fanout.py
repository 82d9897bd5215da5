"""Notifications → the tenant's follow-up work; the scheduler's fan-out → one work item per
active tenant; the tenant worker runs it (and raises on what it cannot run, for the DLQ)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from spconnector.jobs import poll_returns
from spconnector.jobs.fanout import UnknownJob, fan_out, run_work_item
from spconnector.jobs.notifications import UnknownSeller, handle_notification

from .conftest import JobsEnv, ingest


@pytest.fixture(scope="module")
def tenants(jobs_env: JobsEnv) -> Iterator[dict[str, Any]]:
    """Besides the demo tenant: another active seller and a paused one."""
    registry = jobs_env.services.tenants
    demo = jobs_env.tenant
    other = registry.add(
        demo.model_copy(update={"tenant_id": "other-shop", "seller_id": "A2OTHERSELLER"})
    )
    paused = registry.add(
        demo.model_copy(
            update={"tenant_id": "paused-shop", "seller_id": "A3PAUSEDSELLER", "paused": True}
        )
    )
    yield {"demo": demo, "other": other, "paused": paused}


def _report_finished(env: JobsEnv) -> dict[str, Any]:
    """A REPORT_PROCESSING_FINISHED notification exactly as the simulated Amazon sent it."""
    poll_returns.run(env.services, env.tenant, env.now())
    env.env.sim.advance(120)
    for notification in reversed(env.env.sim.state.notifications):
        if notification["notificationType"] == "REPORT_PROCESSING_FINISHED":
            return dict(notification)
    raise AssertionError("the simulator sent no REPORT_PROCESSING_FINISHED")


def test_a_finished_returns_report_becomes_work_for_its_tenant(jobs_env: JobsEnv) -> None:
    notification = _report_finished(jobs_env)
    jobs_env.drain("tenant-work")

    result = handle_notification(jobs_env.services, notification)

    assert result == {"status": "enqueued", "job": "poll_returns", "tenants": [jobs_env.tid]}
    (item,) = jobs_env.drain("tenant-work")
    assert (item["job"], item["tenant"]) == ("poll_returns", jobs_env.tid)


def test_a_notification_for_an_unknown_seller_raises_so_it_ends_in_the_dlq(
    jobs_env: JobsEnv,
) -> None:
    notification = _report_finished(jobs_env)
    detail = notification["payload"]["reportProcessingFinishedNotification"]
    notification["payload"] = {
        "reportProcessingFinishedNotification": {**detail, "sellerId": "A0NOBODY"}
    }

    with pytest.raises(UnknownSeller):
        handle_notification(jobs_env.services, notification)
    assert jobs_env.drain("tenant-work") == []


def test_an_order_change_re_examines_the_orders_case(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    case_id, _ = ingest(jobs_env, order.order_id, "Do you have this in blue?")
    change = {
        "notificationType": "ORDER_CHANGE",
        "payload": {
            "OrderChangeNotification": {
                "SellerId": jobs_env.tenant.seller_id,
                "AmazonOrderId": order.order_id,
            }
        },
    }
    result = handle_notification(jobs_env.services, change)

    assert result == {"status": "case_event", "case_id": case_id}
    assert [e["case_id"] for e in jobs_env.drain("case-events")] == [case_id]


def test_fan_out_gives_each_active_tenant_one_work_item(
    jobs_env: JobsEnv, tenants: dict[str, Any]
) -> None:
    jobs_env.drain("tenant-work")

    result = fan_out(jobs_env.services, "sla_watch")

    assert sorted(result.enqueued) == sorted([jobs_env.tid, "other-shop"])
    assert result.skipped_paused == ["paused-shop"]
    items = jobs_env.drain("tenant-work")
    assert sorted((i["job"], i["tenant"]) for i in items) == [
        ("sla_watch", jobs_env.tid),
        ("sla_watch", "other-shop"),
    ]
    for item in items:
        outcome = run_work_item(jobs_env.services, item)
        assert set(outcome) == {"escalated", "redriven", "claim_reminders"}


def test_run_work_item_skips_a_paused_tenant(jobs_env: JobsEnv, tenants: dict[str, Any]) -> None:
    outcome = run_work_item(jobs_env.services, {"job": "sla_watch", "tenant": "paused-shop"})
    assert outcome == {"job": "sla_watch", "tenant": "paused-shop", "skipped": "paused"}


def test_an_unknown_job_raises(jobs_env: JobsEnv) -> None:
    with pytest.raises(UnknownJob):
        fan_out(jobs_env.services, "mine_bitcoin")
    with pytest.raises(UnknownJob):
        run_work_item(jobs_env.services, {"job": "mine_bitcoin", "tenant": jobs_env.tid})
    assert jobs_env.drain("tenant-work") == []


def test_order_change_picks_the_tenant_of_the_orders_marketplace(jobs_env: JobsEnv) -> None:
    """A seller with tenants in two regions: ORDER_CHANGE goes to the marketplace's tenant."""
    from spconnector.domain import Tenant
    from spconnector.jobs.notifications import handle_notification as handle

    services = jobs_env.services
    eu = Tenant(
        tenant_id=f"{jobs_env.tid}-eu",
        seller_id=jobs_env.tenant.seller_id,
        region="eu",
        marketplace_ids=("A1PA6795UKMFR9",),
        credentials_secret="spconnector/eu/sp-api",
    )
    services.tenants.add(eu)
    us_cases = [c for c in services.cases.list_cases(jobs_env.tid) if c.amazon_order_id]
    assert us_cases, "the US tenant needs a case for this test to mean anything"
    order_id = us_cases[0].amazon_order_id
    try:
        body = {
            "notificationType": "ORDER_CHANGE",
            "payload": {
                "OrderChangeNotification": {
                    "SellerId": jobs_env.tenant.seller_id,
                    "MarketplaceId": "A1PA6795UKMFR9",
                    "AmazonOrderId": order_id,
                }
            },
        }
        result = handle(services, body)
        # routed to the EU tenant, which has no case for it — never filed under the US case
        assert result == {"status": "ignored", "reason": "no case for this order"}
        body["payload"]["OrderChangeNotification"]["MarketplaceId"] = "ATVPDKIKX0DER"
        assert handle(services, body)["status"] == "case_event"
    finally:
        services.tenants.pause(eu.tenant_id)


def test_an_order_change_in_amazons_own_shape_is_routed_by_its_summary(jobs_env: JobsEnv) -> None:
    """The envelope as OrderChangeNotification.json has it: PascalCase, the marketplace in
    the Summary."""
    order = jobs_env.order(channel="MFN")
    case_id, _ = ingest(jobs_env, order.order_id, "Can I still change the address?")
    change = {
        "NotificationVersion": "1.0",
        "NotificationType": "ORDER_CHANGE",
        "PayloadVersion": "1.0",
        "EventTime": "2026-11-17T09:30:00.000Z",
        "Payload": {
            "OrderChangeNotification": {
                "NotificationLevel": "OrderLevel",
                "SellerId": jobs_env.tenant.seller_id,
                "AmazonOrderId": order.order_id,
                "OrderChangeType": "BuyerRequestedChange",
                "OrderChangeTrigger": {
                    "TimeOfOrderChange": "2026-11-17T09:29:00.000Z",
                    "ChangeReason": "Buyer Requested Cancel",
                },
                "Summary": {"MarketplaceId": jobs_env.tenant.marketplace_ids[0]},
            }
        },
        "NotificationMetadata": {},
    }
    result = handle_notification(jobs_env.services, change)

    assert result == {"status": "case_event", "case_id": case_id}
    assert [e["case_id"] for e in jobs_env.drain("case-events")] == [case_id]
