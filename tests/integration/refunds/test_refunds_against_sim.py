"""Refund batches through the real SP-API client (SpApi + SpFeeds) to the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from spconnector.domain.enums import FulfillmentChannel, Mode
from spconnector.domain.money import Money
from spconnector.domain.tenant import Budgets
from spconnector.refunds.ledger_memory import MemoryRefundLedger
from spconnector.refunds.model import AdjustmentReason, Refund, RefundItem, RefundState
from spconnector.refunds.submit import RefundPorts, approve, propose, submit_pending, track
from spconnector.sim import SimServer
from spconnector.sp.client import SpApi
from spconnector.sp.feeds_adapter import SpFeeds

TENANT = "simseller"


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(seed=7, time_scale=1.0) as server:
        yield server


def ports_for(sim: SimServer, ledger: MemoryRefundLedger | None = None) -> RefundPorts:
    api = SpApi(
        sim.credentials,
        seller_id=sim.seller_id,
        marketplace_id=sim.marketplace_id,
        endpoint=sim.base_url,
        lwa_url=sim.lwa_token_url,
    )
    return RefundPorts(
        feeds=SpFeeds(api),
        ledger=ledger or MemoryRefundLedger(),
        clock=sim.clock,
        merchant_identifier=sim.seller_id,
    )


def approved(ports: RefundPorts, order: object, step: str, share: Decimal) -> Refund:
    currency = order.currency  # type: ignore[attr-defined]
    items = [
        RefundItem(
            amazon_order_item_code=i.order_item_id,
            principal=Money.of((i.principal * share).quantize(Decimal("0.01")), currency),
        )
        for i in order.items  # type: ignore[attr-defined]
    ]
    channel = order.fulfillment_channel  # type: ignore[attr-defined]
    refund = propose(
        ports.ledger,
        ports.clock,
        tenant=TENANT,
        marketplace_id=sim_marketplace(order),
        amazon_order_id=order.order_id,  # type: ignore[attr-defined]
        case_id=f"{TENANT}#order#{order.order_id}",  # type: ignore[attr-defined]
        decision_step=step,
        fulfillment=FulfillmentChannel.FBA if channel == "AFN" else FulfillmentChannel.MFN,
        items=items,
        reason=AdjustmentReason.GENERAL_ADJUSTMENT,
    )
    return approve(
        ports.ledger,
        ports.clock,
        refund.key,
        mode=Mode.LIVE,
        budgets=Budgets(),
        spent_today=Money.zero(refund.currency),
        spent_month=Money.zero(refund.currency),
    )


def sim_marketplace(order: object) -> str:
    return str(order.marketplace_id)  # type: ignore[attr-defined]


def shipped(sim: SimServer, channel: str) -> list[object]:
    return [
        o for o in sim.scenario.orders if o.fulfillment_channel == channel and o.status == "Shipped"
    ]


def settle(sim: SimServer, ports: RefundPorts, market: str) -> None:
    sim.advance(5)  # past the simulator's processing time
    track(ports, TENANT, market)


def test_batch_is_submitted_once_and_confirmed_from_the_processing_report(sim: SimServer) -> None:
    ports = ports_for(sim)
    market = sim.marketplace_id
    good = shipped(sim, "MFN")[:3]
    refunds = [approved(ports, o, "decide-1", Decimal("0.5")) for o in good]
    too_much = approved(ports, good[0], "decide-2", Decimal("0.75"))  # 50% + 75% > charged
    fba = shipped(sim, "AFN")[:1]
    fba_refunds = [approved(ports, o, "decide-1", Decimal("0.5")) for o in fba]

    result = submit_pending(ports, TENANT, market)
    assert result.submitted == 4 and result.feed_id
    settle(sim, ports, market)

    for refund in refunds:
        current = ports.ledger.get_refund(*refund.key)
        assert current is not None and current.state is RefundState.CONFIRMED
        accepted = sim.state.adjustments[refund.amazon_order_id]
        assert [a.merchant_adjustment_item_id for a in accepted].count(
            f"{refund.adjustment_id}-1"
        ) == 1
    rejected = ports.ledger.get_refund(*too_much.key)
    assert rejected is not None and rejected.state is RefundState.FAILED
    assert "exceeds" in (rejected.amazon_reason or "")
    for refund in fba_refunds:
        assert refund.state is RefundState.NEEDS_PERSON
        assert refund.amazon_order_id not in sim.state.adjustments


def test_resending_after_a_lost_ledger_is_a_duplicate_not_a_second_refund(
    sim: SimServer,
) -> None:
    market = sim.marketplace_id
    order = shipped(sim, "MFN")[0]
    first = ports_for(sim)
    refund = approved(first, order, "decide-1", Decimal("0.25"))
    submit_pending(first, TENANT, market)
    settle(sim, first, market)
    # a second ledger that never heard of the first submission sends the same key again
    second = ports_for(sim)
    approved(second, order, "decide-1", Decimal("0.25"))
    sim.advance(130)  # the createFeed bucket is Amazon's, per seller
    assert submit_pending(second, TENANT, market).submitted == 1
    settle(sim, second, market)
    again = second.ledger.get_refund(*refund.key)
    # a duplicate is not a confirmation (audit 11 item 9): unknown, and a person checks
    assert again is not None and again.state is RefundState.UNKNOWN
    assert "already used" in (again.failure or "")
    assert len(sim.state.adjustments[order.order_id]) == len(order.items)  # type: ignore[attr-defined]


def test_crash_after_create_feed_is_recovered_through_get_feeds(sim: SimServer) -> None:
    market = sim.marketplace_id
    ports = ports_for(sim)
    order = shipped(sim, "MFN")[1]
    refund = approved(ports, order, "decide-1", Decimal("0.5"))
    feeds = ports.feeds
    real = feeds.create_feed

    def lost(*args: object, **kwargs: object) -> str:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise TimeoutError("the answer was lost")

    feeds.create_feed = lost  # type: ignore[method-assign]
    assert submit_pending(ports, TENANT, market).error
    del feeds.create_feed
    sim.advance(1)
    recovered = submit_pending(ports, TENANT, market)
    assert recovered.recovered and "adopted" in recovered.recovered[0]
    settle(sim, ports, market)
    current = ports.ledger.get_refund(*refund.key)
    assert current is not None and current.state is RefundState.CONFIRMED
    assert len(sim.state.adjustments[order.order_id]) == len(order.items)  # type: ignore[attr-defined]
