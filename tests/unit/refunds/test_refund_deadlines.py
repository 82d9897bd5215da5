"""A batch that never got a feed has a deadline too, and a failed refund whose budget was
given back is never sent again."""

from __future__ import annotations

import pytest

from spconnector.domain.money import Money
from spconnector.refunds.batches import finish, retry
from spconnector.refunds.model import BatchStatus, RefundState
from spconnector.refunds.outcomes import moved_no_money_for_good
from spconnector.refunds.settings import SubmitSettings
from spconnector.refunds.submit import RefundPorts, submit_pending, track
from spconnector.sp.errors import ServerError
from spconnector.sp.memory_feeds import FeedFaults
from tests.unit.refunds.support import (
    MARKET,
    TENANT,
    approved,
    order_id,
    orders,
    state,
    world,
)

ZERO = Money.zero("USD")
PAST_DEADLINE = SubmitSettings().confirm_within.total_seconds() + 3600


def _create_feed_fails_without_effect(ports: RefundPorts) -> None:
    def refused(*_args: object, **_kwargs: object) -> str:
        raise TimeoutError("no answer")

    ports.feeds.create_feed = refused  # type: ignore[method-assign]


def test_a_batch_that_reached_create_feed_and_stays_unresolved_goes_to_a_person() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    _create_feed_fails_without_effect(ports)
    assert "recovery" in (submit_pending(ports, TENANT, MARKET).error or "")
    del ports.feeds.create_feed
    clock.advance(301)
    # paused: recovery found no feed but may not send again; the batch waits
    assert submit_pending(ports, TENANT, MARKET, may_act=False).submitted == 0
    assert state(ports, refund).state is RefundState.SUBMITTED

    clock.advance(PAST_DEADLINE)
    result = submit_pending(ports, TENANT, MARKET, may_act=False)

    assert any("after createFeed" in line for line in result.recovered), result.recovered
    current = state(ports, refund)
    assert current.state is RefundState.UNKNOWN  # createFeed was called: it may have landed
    assert ports.ledger.open_batches(TENANT, MARKET) == []
    assert submit_pending(ports, TENANT, MARKET).submitted == 0
    assert amazon.create_feed_calls == 0


def test_a_batch_whose_sender_keeps_failing_is_wound_up_and_never_sent() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    amazon.faults = FeedFaults(server_error=2.0)  # createFeedDocument fails on every run
    for _ in range(3):  # each re-send moves the mark; the deadline counts from the first
        with pytest.raises(ServerError):  # the run dies; the batch stays "submitting"
            submit_pending(ports, TENANT, MARKET)
        clock.advance(PAST_DEADLINE / 3)
    clock.advance(60)
    amazon.faults = FeedFaults()

    result = submit_pending(ports, TENANT, MARKET)

    assert any("never sent" in line for line in result.recovered), result.recovered
    current = state(ports, refund)
    assert current.state is RefundState.FAILED and "not sent" in (current.failure or "")
    assert amazon.create_feed_calls == 0 and result.submitted == 0
    batch = ports.ledger.get_batch(TENANT, MARKET, current.batch_id or "")
    assert batch is not None and batch.status is BatchStatus.ABANDONED and batch.expired_at


def test_a_wind_up_cut_short_by_a_crash_is_finished_by_the_next_run() -> None:
    ports, amazon, clock = world(orders(1, 2))
    first, second = approved(ports, 1), approved(ports, 2)
    amazon.faults = FeedFaults(server_error=2.0)
    with pytest.raises(ServerError):  # the run dies after marking the batch
        submit_pending(ports, TENANT, MARKET)
    amazon.faults = FeedFaults()
    clock.advance(PAST_DEADLINE)
    (batch,) = ports.ledger.open_batches(TENANT, MARKET)
    # the wind-up's first step landed (expired_at), then the worker died
    assert ports.ledger.replace_batch(
        batch.model_copy(update={"expired_at": clock.now()}), batch.version
    )

    submit_pending(ports, TENANT, MARKET)

    assert {state(ports, r).state for r in (first, second)} == {RefundState.FAILED}
    assert amazon.create_feed_calls == 0


def test_a_failed_refund_is_final_only_once_its_batch_is_closed() -> None:
    ports, _amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    assert submit_pending(ports, TENANT, MARKET).submitted == 1
    sent = state(ports, refund)
    failed = sent.advance(RefundState.FAILED, clock.now(), failure="rejected")
    stored = ports.ledger.replace_refund(failed, sent.version)
    assert stored is not None
    (batch,) = ports.ledger.open_batches(TENANT, MARKET)

    assert not moved_no_money_for_good(ports.ledger, stored)  # its batch may still retry it
    given_back = ports.ledger.replace_refund(
        stored.model_copy(update={"budget_returned_at": clock.now()}), stored.version
    )
    assert given_back is not None
    assert not retry(ports, batch, order_id(1), refund.adjustment_id, SubmitSettings())
    finish(ports, batch, note="test")
    assert moved_no_money_for_good(ports.ledger, given_back)


def test_get_feed_failing_past_the_deadline_hands_the_batch_to_a_person() -> None:
    ports, _amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    assert submit_pending(ports, TENANT, MARKET).submitted == 1

    def failing(_feed_id: str) -> object:
        raise ServerError("getFeed", "InternalFailure", status=500)

    ports.feeds.get_feed = failing  # type: ignore[method-assign,assignment]
    clock.advance(61)
    with pytest.raises(ServerError):  # within its deadline: the run dies and is retried
        track(ports, TENANT, MARKET)
    assert state(ports, refund).state is RefundState.SUBMITTED

    clock.advance(PAST_DEADLINE)
    result = track(ports, TENANT, MARKET)

    current = state(ports, refund)
    assert result.unknown == 1 and current.state is RefundState.UNKNOWN
    assert "getFeed" in (current.failure or "")
    assert ports.ledger.open_batches(TENANT, MARKET) == []
