"""TrackFeeds: approved refunds leave in one adjustment feed per run, are confirmed from
Amazon's processing report, and Amazon applies each exactly once."""

from __future__ import annotations

from typing import Any

from spconnector.jobs import track_feeds
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event
from spconnector.refunds.model import RefundState

from .conftest import JobsEnv, ingest

DEFECT = "The item arrived broken, it does not work at all."


def _approved_refunds(env: JobsEnv, how_many: int) -> list[str]:
    orders = []
    for _ in range(how_many):
        order = env.order(channel="MFN", max_total=30)
        _, events = ingest(env, order.order_id, DEFECT)
        for event in events:
            process_case_event(env.services, event)
        orders.append(order.order_id)
    for action in env.drain("actions"):
        assert act_on(env.services, action)["refund"]["state"] == "approved"
    return orders


def _in_state(env: JobsEnv, state: RefundState) -> list[Any]:
    market = env.tenant.marketplace_ids[0]
    return list(env.services.refund_ledger.refunds_in_state(env.tid, market, state))


def test_approved_refunds_go_out_in_one_feed_and_are_applied_once(jobs_env: JobsEnv) -> None:
    orders = _approved_refunds(jobs_env, 3)
    sim = jobs_env.env.sim
    market = jobs_env.tenant.marketplace_ids[0]
    feeds_before = len(sim.state.feeds)

    first = track_feeds.run(jobs_env.services, jobs_env.tenant, jobs_env.now())[market]

    assert first["submitted"] == 3 and first["feed_id"] and not first["error"]
    assert len(sim.state.feeds) == feeds_before + 1
    assert {r.amazon_order_id for r in _in_state(jobs_env, RefundState.SUBMITTED)} == set(orders)

    confirmed: set[str] = set()
    for _ in range(4):  # Amazon processes the feed within minutes of simulated time
        sim.advance(150)
        run = track_feeds.run(jobs_env.services, jobs_env.tenant, jobs_env.now())[market]
        assert run["submitted"] == 0  # nothing new to send: no second feed
        confirmed = {r.amazon_order_id for r in _in_state(jobs_env, RefundState.CONFIRMED)}
        if confirmed >= set(orders):
            break

    assert confirmed >= set(orders)
    assert len(sim.state.feeds) == feeds_before + 1
    for order_id in orders:
        assert sim.state.refund_count(order_id) == 1, order_id
    assert not _in_state(jobs_env, RefundState.SUBMITTED)
    assert not _in_state(jobs_env, RefundState.APPROVED)


def test_a_run_with_nothing_approved_sends_no_feed(jobs_env: JobsEnv) -> None:
    sim = jobs_env.env.sim
    market = jobs_env.tenant.marketplace_ids[0]
    before = len(sim.state.feeds)

    run = track_feeds.run(jobs_env.services, jobs_env.tenant, jobs_env.now())[market]

    assert run["submitted"] == 0 and run["feed_id"] is None
    assert len(sim.state.feeds) == before
