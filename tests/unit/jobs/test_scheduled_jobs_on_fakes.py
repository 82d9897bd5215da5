"""Scheduled jobs on fakes: SlaWatch escalates a case near its deadline once and re-drives a
lost case event; FanOut gives each active tenant one work item; notifications become work or
case events; an unknown job or seller raises (so the message ends in the DLQ)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from spconnector.jobs import poll_returns, sla_watch
from spconnector.jobs.fanout import UnknownJob, fan_out, run_work_item
from spconnector.jobs.notifications import UnknownSeller, handle_notification
from spconnector.jobs.process_case import process_case_event
from tests.unit.jobs.conftest import World

QUESTION = "Do you have this in blue?"


def test_a_case_near_its_deadline_is_escalated_once(world: World) -> None:
    order = world.order(channel="MFN")
    case_id, _ = world.ingest(
        order.order_id, QUESTION, received_at=world.now() - timedelta(hours=23)
    )

    first = sla_watch.run(world.services, world.tenant, world.now())
    second = sla_watch.run(world.services, world.tenant, world.now())

    assert case_id in first["escalated"] and case_id not in second["escalated"]
    (mine,) = [e for e in world.escalations if e.case_id == case_id]
    assert any("respond by" in r for r in mine.reasons)


def test_a_lost_case_event_is_redriven_after_a_while(world: World) -> None:
    order = world.order(channel="MFN")
    case_id, _lost = world.ingest(order.order_id, QUESTION, received_at=world.now())

    soon = sla_watch.run(world.services, world.tenant, world.now())
    later = sla_watch.run(
        world.services, world.tenant, world.now() + sla_watch.REDRIVE_AFTER + timedelta(minutes=1)
    )

    assert case_id not in soon["redriven"] and case_id in later["redriven"]
    assert case_id not in soon["escalated"]  # a fresh case is neither re-driven nor escalated
    (event,) = [e for e in world.drain("case_events") if e["case_id"] == case_id]  # once, later
    assert process_case_event(world.services, event)["status"] == "decided"


def test_fan_out_gives_each_active_tenant_one_work_item(world: World) -> None:
    demo = world.tenant
    world.services.tenants.add(demo.model_copy(update={"tenant_id": "other-shop"}))
    world.services.tenants.add(demo.model_copy(update={"tenant_id": "paused-shop", "paused": True}))

    result = fan_out(world.services, "sla_watch")

    assert sorted(result.enqueued) == sorted([world.tid, "other-shop"])
    assert result.skipped_paused == ["paused-shop"]
    items = world.drain("work_queue_adapter")
    assert sorted((i["job"], i["tenant"]) for i in items) == [
        ("sla_watch", world.tid),
        ("sla_watch", "other-shop"),
    ]
    for item in items:
        assert set(run_work_item(world.services, item)) == {
            "escalated",
            "redriven",
            "claim_reminders",
        }
    skipped = run_work_item(world.services, {"job": "sla_watch", "tenant": "paused-shop"})
    assert skipped == {"job": "sla_watch", "tenant": "paused-shop", "skipped": "paused"}
    with pytest.raises(UnknownJob):
        fan_out(world.services, "mine_bitcoin")
    assert world.drain("work_queue_adapter") == []


def test_a_finished_report_becomes_work_and_an_unknown_seller_raises(world: World) -> None:
    run = poll_returns.run(world.services, world.tenant, world.now())
    assert run  # requested the reports: they wait in the pending store
    world.amazon.sim.advance(120)
    notification = next(
        dict(n)
        for n in reversed(world.amazon.sim.state.notifications)
        if n["notificationType"] == "REPORT_PROCESSING_FINISHED"
    )

    result = handle_notification(world.services, notification)

    assert result == {"status": "enqueued", "job": "poll_returns", "tenants": [world.tid]}
    (item,) = world.drain("work_queue_adapter")
    assert (item["job"], item["tenant"]) == ("poll_returns", world.tid)
    detail = notification["payload"]["reportProcessingFinishedNotification"]
    notification["payload"] = {
        "reportProcessingFinishedNotification": {**detail, "sellerId": "A0NOBODY"}
    }
    with pytest.raises(UnknownSeller):
        handle_notification(world.services, notification)


def test_an_order_change_re_examines_the_orders_case(world: World) -> None:
    order = world.order(channel="MFN")
    case_id, _ = world.ingest(order.order_id, QUESTION)
    change = {
        "notificationType": "ORDER_CHANGE",
        "payload": {
            "OrderChangeNotification": {
                "SellerId": world.tenant.seller_id,
                "AmazonOrderId": order.order_id,
            }
        },
    }

    assert handle_notification(world.services, change) == {
        "status": "case_event",
        "case_id": case_id,
    }
    assert [e["case_id"] for e in world.drain("case_events")] == [case_id]
