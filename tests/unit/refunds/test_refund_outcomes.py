"""Refunds that are not confirmed: each is failed (no money moved: the order's claim is given
back) or unknown (the claim stays), listed until a person is told, and settled by one."""

from __future__ import annotations

import pytest

from spconnector.refunds.model import RefundState
from spconnector.refunds.outcomes import (
    NotSettleable,
    expire_unsent,
    mark_escalated,
    settle_unknown,
    unreported,
)
from spconnector.refunds.submit import RefundNotFound, SubmitSettings, submit_pending, track
from spconnector.sp.memory_feeds import FeedFaults
from tests.unit.refunds.support import MARKET, TENANT, approved, order_id, orders, state, world

DAY = 24 * 3600


def _claimed(ports: object, n: int, adjustment: str) -> None:
    assert ports.ledger.claim_order(TENANT, order_id(n), adjustment) is None  # type: ignore[attr-defined]


def test_a_rejected_refund_gives_the_order_back_and_waits_to_be_told() -> None:
    ports, _, clock = world(orders(1, charged="5"))  # less than the refund asks: rejected
    refund = approved(ports, 1)
    _claimed(ports, 1, refund.adjustment_id)
    submit_pending(ports, TENANT, MARKET)
    clock.advance(61)
    assert track(ports, TENANT, MARKET).failed == 1
    assert ports.ledger.claim_order(TENANT, order_id(1), "spc-next") is None  # free again
    assert [r.key for r in unreported(ports.ledger, TENANT, MARKET)] == [refund.key]
    mark_escalated(ports.ledger, clock, refund)
    mark_escalated(ports.ledger, clock, refund)  # told once is enough
    assert unreported(ports.ledger, TENANT, MARKET) == []
    assert state(ports, refund).state is RefundState.FAILED


def test_retries_used_up_are_failed_and_say_so() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    amazon.faults = FeedFaults(retryable_message=1.0)
    settings = SubmitSettings(max_attempts=2)
    for _ in range(2):
        submit_pending(ports, TENANT, MARKET, settings=settings)
        clock.advance(130)
        track(ports, TENANT, MARKET, settings=settings)
    current = state(ports, refund)
    assert current.state is RefundState.FAILED and current.attempts == 2
    assert "retries used up" in (current.failure or "")
    assert unreported(ports.ledger, TENANT, MARKET)


def test_an_unknown_outcome_keeps_the_order_claimed_until_settled() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    _claimed(ports, 1, refund.adjustment_id)
    amazon.faults = FeedFaults(fatal=1.0)
    submit_pending(ports, TENANT, MARKET)
    clock.advance(61)
    assert track(ports, TENANT, MARKET).unknown == 1
    assert ports.ledger.claim_order(TENANT, order_id(1), "spc-next") is not None
    with pytest.raises(NotSettleable):
        settle_unknown(ports.ledger, clock, refund.key, paid=False, by=" ", note="x")
    with pytest.raises(RefundNotFound):
        settle_unknown(ports.ledger, clock, ("t", "o", "a"), paid=False, by="dana", note="x")

    settled = settle_unknown(ports.ledger, clock, refund.key, paid=False, by="dana", note="none")
    assert settled.state is RefundState.FAILED and settled.resolved_by == "dana"
    assert ports.ledger.claim_order(TENANT, order_id(1), "spc-next") is None
    with pytest.raises(NotSettleable):  # settled once
        settle_unknown(ports.ledger, clock, refund.key, paid=True, by="dana", note="again")
    clock.advance(300)
    assert submit_pending(ports, TENANT, MARKET).submitted == 0  # never re-sent by itself


def test_an_approved_refund_never_sent_is_failed_after_the_deadline() -> None:
    ports, _, clock = world(orders(1))
    refund = approved(ports, 1)
    _claimed(ports, 1, refund.adjustment_id)
    # the tenant was paused: nothing may be sent
    submit_pending(ports, TENANT, MARKET, may_act=False)
    clock.advance(DAY - 60)
    assert expire_unsent(ports.ledger, clock, TENANT, MARKET) == []
    clock.advance(120)
    expired = expire_unsent(ports.ledger, clock, TENANT, MARKET)
    assert [r.key for r in expired] == [refund.key]
    assert "not sent" in (state(ports, refund).failure or "")
    assert ports.ledger.claim_order(TENANT, order_id(1), "spc-next") is None
    assert submit_pending(ports, TENANT, MARKET).submitted == 0


def test_a_feed_never_answered_is_unknown_after_the_deadline() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    submit_pending(ports, TENANT, MARKET)
    amazon.process_all = lambda: None  # type: ignore[method-assign]  # Amazon never finishes
    real_get = amazon.get_feed

    def in_progress(feed_id: str) -> object:
        from dataclasses import replace

        return replace(real_get(feed_id), processing_status="IN_PROGRESS")

    amazon.get_feed = in_progress  # type: ignore[assignment,method-assign]
    clock.advance(3600)
    assert track(ports, TENANT, MARKET).pending_feeds
    clock.advance(DAY)
    assert track(ports, TENANT, MARKET).unknown == 1
    current = state(ports, refund)
    assert current.state is RefundState.UNKNOWN and "did not finish" in (current.failure or "")
    assert ports.ledger.open_batches(TENANT, MARKET) == []


def test_an_unreadable_processing_report_is_an_unknown_outcome() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    submit_pending(ports, TENANT, MARKET)
    amazon.get_feed_result_document = lambda _doc: b"<AmazonEnvelope><Message"  # type: ignore[method-assign]
    clock.advance(61)
    assert track(ports, TENANT, MARKET).unknown == 1
    current = state(ports, refund)
    assert current.state is RefundState.UNKNOWN and "cannot be read" in (current.failure or "")
    assert [r.key for r in unreported(ports.ledger, TENANT, MARKET)] == [refund.key]
