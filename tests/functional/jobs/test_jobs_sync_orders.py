"""SyncOrders: the scheduled job fills the tenant's order mirror from searchOrders, and a
case then finds its order there without calling getOrder."""

from __future__ import annotations

from spconnector.jobs.fanout import run_work_item
from spconnector.mirror import order_context
from tests.functional.jobs.conftest import JobsEnv


def test_sync_orders_fills_the_mirror_a_case_then_reads(jobs_env: JobsEnv) -> None:
    services, tid = jobs_env.services, jobs_env.tid
    result = run_work_item(services, {"job": "sync_orders", "tenant": tid})
    orders = jobs_env.env.sim.scenario.orders
    assert result["complete"] and result["calls"] >= 1 and result["stored"] == len(orders)
    assert services.order_mirror.cursor(tid) is not None

    class NoSpApi:  # a case whose order is mirrored must not need the SP-API at all
        def get_order(self, order_id: str) -> None:
            raise AssertionError(f"getOrder called for {order_id}")

    got = order_context(NoSpApi(), services.order_mirror, tid, orders[0].order_id, services.now())
    assert got.from_mirror and got.order.amazon_order_id == orders[0].order_id

    again = run_work_item(services, {"job": "sync_orders", "tenant": tid})
    assert again["complete"] and again["calls"] == 1  # only what changed since the cursor
