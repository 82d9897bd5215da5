"""Refunds: time to submit and confirm 500 refunds, batched vs one feed per refund.

Simulated time (a manual clock; no sleeping): createFeed follows Amazon's documented plan
(0.0083 requests/s, burst 15), both in the in-memory Amazon and in our own pacing, and each
feed takes PROCESSING_SECONDS to process. Run: .venv/bin/python bench/refunds.py
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from decimal import Decimal

from spconnector.domain.enums import FulfillmentChannel, Mode
from spconnector.domain.money import Money
from spconnector.domain.tenant import Budgets
from spconnector.refunds.clock import ManualClock
from spconnector.refunds.ledger_memory import MemoryRefundLedger
from spconnector.refunds.model import AdjustmentReason, RefundItem, RefundState
from spconnector.refunds.submit import (
    RefundPorts,
    SubmitSettings,
    approve,
    propose,
    submit_pending,
    track,
)
from spconnector.sp.memory_feeds import MemoryFeeds

REFUNDS = 500
PROCESSING_SECONDS = 90.0
TRACK_EVERY = 60.0  # how often the tracker polls getFeed (or a notification arrives)
TENANT, MARKET = "bench", "ATVPDKIKX0DER"


def order_id(n: int) -> str:
    return f"113-{n:07d}-{n:07d}"


def run(max_batch: int) -> tuple[float, float, int]:
    """Simulated seconds until the last refund was submitted and until all were confirmed."""
    clock = ManualClock()
    start = clock.now()
    orders = {order_id(n): {f"{n:014d}": Decimal(100)} for n in range(1, REFUNDS + 1)}
    amazon = MemoryFeeds(clock=clock, orders=orders, processing_seconds=PROCESSING_SECONDS)
    ledger = MemoryRefundLedger()
    ports = RefundPorts(feeds=amazon, ledger=ledger, clock=clock, merchant_identifier="BENCH")
    for n in range(1, REFUNDS + 1):
        refund = propose(
            ledger,
            clock,
            tenant=TENANT,
            marketplace_id=MARKET,
            amazon_order_id=order_id(n),
            case_id=f"{TENANT}#order#{order_id(n)}",
            decision_step="decide-1",
            fulfillment=FulfillmentChannel.MFN,
            items=[
                RefundItem(amazon_order_item_code=f"{n:014d}", principal=Money.of("12.50", "USD"))
            ],
            reason=AdjustmentReason.GENERAL_ADJUSTMENT,
        )
        approve(
            ledger,
            clock,
            refund.key,
            mode=Mode.LIVE,
            budgets=Budgets(),
            spent_today=Money.zero("USD"),
            spent_month=Money.zero("USD"),
        )
    settings = SubmitSettings(max_batch=max_batch)
    submitted_at: datetime | None = None
    next_track = clock.now()
    while True:
        result = submit_pending(ports, TENANT, MARKET, settings=settings)
        waiting = ledger.refunds_in_state(TENANT, MARKET, RefundState.APPROVED)
        if submitted_at is None and not waiting:
            submitted_at = clock.now()
        if clock.now() >= next_track:
            track(ports, TENANT, MARKET, settings=settings)
            next_track = clock.now() + timedelta(seconds=TRACK_EVERY)
            if len(ledger.refunds_in_state(TENANT, MARKET, RefundState.CONFIRMED)) == REFUNDS:
                break
        # sleep until the next thing can happen: a createFeed token or the next poll
        until_poll = (next_track - clock.now()).total_seconds()
        if waiting and result.wait_seconds == 0:
            continue  # a token is there: send the next batch now
        step = min(result.wait_seconds, until_poll) if waiting else until_poll
        clock.advance(max(step, 0.001))
    assert submitted_at is not None
    return (
        (submitted_at - start).total_seconds(),
        (clock.now() - start).total_seconds(),
        sum(amazon.applications.values()),
    )


def main() -> None:
    wall = time.perf_counter()
    one_submit, one_confirm, one_applied = run(max_batch=1)
    batch_submit, batch_confirm, batch_applied = run(max_batch=2000)
    assert one_applied == batch_applied == REFUNDS
    print(
        f"refunds: {REFUNDS}; createFeed plan 0.0083/s burst 15; feed processing "
        f"{PROCESSING_SECONDS:.0f} s; tracker polls every {TRACK_EVERY:.0f} s (simulated time)"
    )
    print(
        f"one feed per refund : submit {one_submit:9.0f} s  confirm {one_confirm:9.0f} s "
        f"({one_confirm / 3600:.1f} h)"
    )
    print(f"batched             : submit {batch_submit:9.0f} s  confirm {batch_confirm:9.0f} s")
    print(
        f"ratio (one-per-refund / batched), time to confirm all: "
        f"{one_confirm / max(batch_confirm, 1.0):.0f}x"
    )
    print(f"(wall time {time.perf_counter() - wall:.1f} s)")


if __name__ == "__main__":
    main()
