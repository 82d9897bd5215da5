"""Refunds through Amazon's feeds on fakes: approved refunds leave in one adjustment feed and
are confirmed once; a feed ending FATAL leaves the outcome unknown, a person is told and it
blocks further automatic refunds until someone settles it; a refund made elsewhere is noted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spconnector.jobs import refund_settlement, track_feeds
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.refund_settlement import SettlementError
from spconnector.refunds.model import Refund, RefundState
from tests.unit.jobs.conftest import World

DEFECT = "The item arrived broken, it does not work at all."


def _approved(world: World, how_many: int) -> list[str]:
    orders = []
    for _ in range(how_many):
        order = world.order(channel="MFN", max_total=30)
        _, events = world.ingest(order.order_id, DEFECT)
        for event in events:
            process_case_event(world.services, event)
        orders.append(order.order_id)
    for action in world.drain("actions"):
        assert act_on(world.services, action)["refund"]["state"] == "approved"
    return orders


def _in_state(world: World, state: RefundState) -> list[Refund]:
    market = world.tenant.marketplace_ids[0]
    return world.services.refund_ledger.refunds_in_state(world.tid, market, state)


def _track(world: World, runs: int = 4) -> None:
    for _ in range(runs):
        track_feeds.run(world.services, world.tenant, world.now())
        world.amazon.sim.advance(150)


def test_approved_refunds_leave_in_one_feed_and_are_applied_once(world: World) -> None:
    orders = _approved(world, 2)
    sim = world.amazon.sim
    market = world.tenant.marketplace_ids[0]
    feeds_before = len(sim.state.feeds)

    first = track_feeds.run(world.services, world.tenant, world.now())[market]

    assert first["submitted"] == 2 and first["feed_id"] and not first["error"]
    assert {r.amazon_order_id for r in _in_state(world, RefundState.SUBMITTED)} == set(orders)
    _track(world)
    assert {r.amazon_order_id for r in _in_state(world, RefundState.CONFIRMED)} >= set(orders)
    assert len(sim.state.feeds) == feeds_before + 1
    assert all(sim.state.refund_count(order_id) == 1 for order_id in orders)
    nothing = track_feeds.run(world.services, world.tenant, world.now())[market]
    assert nothing["submitted"] == 0 and nothing["feed_id"] is None


def test_an_unknown_outcome_is_told_and_settled_by_a_person(world: World) -> None:
    (order_id,) = _approved(world, 1)
    world.amazon.sim.set_faults(feed_fatal=1.0)
    try:
        _track(world)
    finally:
        world.amazon.sim.set_faults()

    (row,) = [
        r
        for r in refund_settlement.unsettled(world.services, world.tid)
        if r["amazon_order_id"] == order_id
    ]
    assert row["state"] == "unknown"
    assert any(e.amazon_order_id == order_id for e in world.escalations)
    with pytest.raises(SettlementError):
        refund_settlement.unsettled(world.services, "nobody")

    settled = refund_settlement.settle(
        world.services,
        world.tid,
        order_id,
        row["adjustment_id"],
        paid=True,
        by="dana",
        note="seen in Seller Central",
    )

    assert settled["state"] == "confirmed"
    assert refund_settlement.unsettled(world.services, world.tid) == []
    with pytest.raises(SettlementError, match="not unknown"):
        refund_settlement.settle(
            world.services,
            world.tid,
            order_id,
            row["adjustment_id"],
            paid=False,
            by="dana",
            note="oops",
        )


def test_a_refund_made_elsewhere_blocks_the_automatic_one(world: World) -> None:
    order = world.order(channel="MFN", max_total=30)

    refund_settlement.mark_external(
        world.services, world.tid, order.order_id, "12.50", "USD", source="Seller Central"
    )
    _, events = world.ingest(order.order_id, DEFECT)
    for event in events:
        process_case_event(world.services, event)
    outcomes = [act_on(world.services, action) for action in world.drain("actions")]

    assert world.services.refund_ledger.refunds_for_order(world.tid, order.order_id) == []
    (outcome,) = outcomes
    assert outcome["refund"]["state"] == "refused"
    assert "refunded elsewhere (Seller Central: 12.50 USD)" in outcome["refund"]["reason"]
    assert (outcome["reply"]["status"], outcome["status"]) == ("held", "escalated")
    assert world.mails == []
    with pytest.raises(SettlementError):
        refund_settlement.mark_external(
            world.services, world.tid, order.order_id, "1", "USD", source=" "
        )


@pytest.mark.parametrize("tenant", ["ACME", "€", "a", "x\ny"])
def test_a_string_that_is_no_tenant_id_is_a_settlement_error(world: World, tenant: str) -> None:
    # found by tests/fuzz/test_fuzz_cli_aws.py: each was a bare ValueError from the stores
    # (a traceback at `spconnector refunds …`), not the CLI's one-line error
    with pytest.raises(SettlementError, match="tenant"):
        refund_settlement.unsettled(world.services, tenant)
    with pytest.raises(SettlementError, match="tenant"):
        refund_settlement.settle(
            world.services, tenant, "113-0000001-0000007", "spc-0", paid=True, by="d", note="n"
        )
    with pytest.raises(SettlementError, match="tenant"):
        refund_settlement.mark_external(
            world.services, tenant, "113-0000001-0000007", "1", "USD", source="Seller Central"
        )


@pytest.mark.parametrize("amount", ["1e999999999", "-1e999999999", "0.001", "0", "NaN"])
def test_an_external_refund_amount_out_of_bounds_is_a_settlement_error(
    world: World, amount: str
) -> None:
    # "1e999999999" raised decimal.InvalidOperation from quantize (found by the CLI fuzz)
    with pytest.raises(SettlementError, match="positive with at most 2 decimals"):
        refund_settlement.mark_external(
            world.services, world.tid, "113-0000001-0000007", amount, "USD", source="SC"
        )


def test_a_crash_after_the_give_back_never_gives_the_budget_back_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spconnector.jobs import spend

    (order_id,) = _approved(world, 1)
    (refund,) = world.services.refund_ledger.refunds_for_order(world.tid, order_id)
    assert refund.reserved_at is not None
    counters = world.services.spend
    # another refund's reservation on the same day: a second give-back would show
    assert counters.add_within(
        world.tid, refund.currency, Decimal(100), refund.reserved_at, (None, None)
    )
    day, month = counters.spent(world.tid, refund.currency, refund.reserved_at)
    amount = refund.total.amount
    real_mark = spend.mark_budget_returned
    crashes = []

    def crash_once(*args: object) -> None:
        if not crashes:
            crashes.append(1)
            raise TimeoutError("Task timed out")  # the counters moved; the mark did not
        real_mark(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(spend, "mark_budget_returned", crash_once)
    world.amazon.sim.set_faults(message_rejected=1.0)
    try:
        with pytest.raises(TimeoutError):
            _track(world, runs=6)
        _track(world, runs=2)  # the redelivered runs
    finally:
        world.amazon.sim.set_faults()

    (refund,) = world.services.refund_ledger.refunds_for_order(world.tid, order_id)
    assert refund.state is RefundState.FAILED and refund.budget_returned_at is not None
    assert counters.spent(world.tid, refund.currency, refund.reserved_at) == (
        day - amount,
        month - amount,
    )
