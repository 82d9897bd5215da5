"""Use cases, one behaviour each: batching, cadence, approval checks, recovery, tracking."""

from __future__ import annotations

import pytest

from spconnector.domain.enums import FulfillmentChannel, Mode
from spconnector.domain.money import Money
from spconnector.domain.tenant import Budgets
from spconnector.refunds.feed import FEED_TYPE
from spconnector.refunds.ledger_memory import MemoryRefundLedger
from spconnector.refunds.model import RefundState
from spconnector.refunds.submit import (
    RefundPorts,
    approve,
    feed_status_from_notification,
    submit_pending,
    track,
)
from spconnector.sp.errors import ServerError
from spconnector.sp.feeds import CREATE_FEED
from spconnector.sp.memory_feeds import FeedFaults
from spconnector.sp.usage_plans import UsagePlan, plan_for
from tests.unit.refunds.support import (
    MARKET,
    TENANT,
    approved,
    order_id,
    orders,
    proposed,
    state,
    world,
)

ZERO = Money.zero("USD")


def ledger_of(ports: RefundPorts) -> MemoryRefundLedger:
    assert isinstance(ports.ledger, MemoryRefundLedger)
    return ports.ledger


def test_all_pending_refunds_go_in_one_feed_and_are_confirmed_from_the_report() -> None:
    ports, amazon, clock = world(orders(*range(1, 31)))
    refunds = [approved(ports, n) for n in range(1, 31)]
    result = submit_pending(ports, TENANT, MARKET)
    assert result.submitted == 30 and result.feed_id is not None
    assert amazon.create_feed_calls == 1
    assert all(state(ports, r).state is RefundState.SUBMITTED for r in refunds)
    assert track(ports, TENANT, MARKET).pending_feeds == [result.feed_id]  # still processing
    clock.advance(61)
    assert track(ports, TENANT, MARKET).confirmed == 30
    assert all(state(ports, r).state is RefundState.CONFIRMED for r in refunds)
    assert all(count == 1 for count in amazon.applications.values())
    assert not ports.ledger.open_batches(TENANT, MARKET)


def test_duplicate_deliveries_change_nothing() -> None:
    ports, amazon, clock = world(orders(1))
    first = approved(ports, 1)
    again = approved(ports, 1)  # the same approval message delivered twice
    assert again.key == first.key and again.version == first.version
    submit_pending(ports, TENANT, MARKET)
    assert approved(ports, 1).state is RefundState.SUBMITTED
    assert submit_pending(ports, TENANT, MARKET).submitted == 0
    clock.advance(61)
    track(ports, TENANT, MARKET)
    assert track(ports, TENANT, MARKET).confirmed == 0  # a second tracking run is a no-op
    assert amazon.create_feed_calls == 1


def test_create_feed_cadence_follows_the_usage_plan() -> None:
    # The one createFeed bucket is the Feeds adapter's (the SP client's limiter); burst 1 here.
    one_burst = UsagePlan(rate=plan_for(CREATE_FEED).rate, burst=1)
    ports, amazon, clock = world(orders(1, 2), client_plan=one_burst)
    approved(ports, 1)
    assert submit_pending(ports, TENANT, MARKET).submitted == 1
    approved(ports, 2)
    waiting = submit_pending(ports, TENANT, MARKET)
    assert waiting.submitted == 0 and 119 < waiting.wait_seconds < 122
    clock.advance(waiting.wait_seconds)
    assert submit_pending(ports, TENANT, MARKET).submitted == 1
    assert amazon.create_feed_calls == 2


def test_mode_and_budgets_are_checked_at_approval_time() -> None:
    ports, _, _ = world()
    over_budget = proposed(ports, 1, amount="50.00")
    refused = approve(
        ports.ledger,
        ports.clock,
        over_budget.key,
        mode=Mode.LIVE,
        budgets=Budgets(daily_refunds=Money.of(100, "USD")),
        spent_today=Money.of(60, "USD"),
        spent_month=Money.of(60, "USD"),
    )
    assert refused.state is RefundState.NEEDS_PERSON
    assert refused.failure and "daily refund budget" in refused.failure
    assert refused.person_task and "Refund order" in refused.person_task

    shadow = proposed(ports, 2)
    refused = approve(
        ports.ledger,
        ports.clock,
        shadow.key,
        mode=Mode.SHADOW,
        budgets=Budgets(),
        spent_today=ZERO,
        spent_month=ZERO,
    )
    assert refused.state is RefundState.NEEDS_PERSON and "shadow" in (refused.failure or "")

    waiting = proposed(ports, 3)
    kept = approve(
        ports.ledger,
        ports.clock,
        waiting.key,
        mode=Mode.APPROVE,
        budgets=Budgets(),
        spent_today=ZERO,
        spent_month=ZERO,
    )
    assert kept.state is RefundState.PROPOSED  # approve mode: waits for a person
    done = approve(
        ports.ledger,
        ports.clock,
        waiting.key,
        mode=Mode.APPROVE,
        budgets=Budgets(autonomy_limit=Money.of(1, "USD")),
        spent_today=ZERO,
        spent_month=ZERO,
        approved_by="owner@example.com",
    )
    assert done.state is RefundState.APPROVED and done.approved_by == "owner@example.com"


def test_fba_refund_becomes_a_task_with_instructions_never_a_feed() -> None:
    ports, amazon, _ = world(orders(1))
    refund = approved(ports, 1, fulfillment=FulfillmentChannel.FBA)
    assert refund.state is RefundState.NEEDS_PERSON
    assert refund.failure and "FBA" in refund.failure
    task = refund.person_task or ""
    assert "Manage Orders" in task and "Refund order" in task and order_id(1) in task
    assert "11.50 USD" in task  # principal 10 + shipping 1 + tax 0.50
    assert submit_pending(ports, TENANT, MARKET).submitted == 0
    assert amazon.create_feed_calls == 0


def test_recovery_resends_when_no_feed_was_created() -> None:
    ports, amazon, clock = world(orders(1))
    amazon.faults = FeedFaults(server_error=2.0)  # every call fails before it takes effect
    amazon._rng.seed(1)
    refund = approved(ports, 1)
    with pytest.raises(ServerError):  # createFeedDocument fails: the run dies
        submit_pending(ports, TENANT, MARKET)
    amazon.faults = FeedFaults()
    clock.advance(301)
    result = submit_pending(ports, TENANT, MARKET)
    assert result.submitted == 1 and result.recovered
    clock.advance(61)
    track(ports, TENANT, MARKET)
    assert state(ports, refund).state is RefundState.CONFIRMED
    assert list(amazon.applications.values()) == [1]


def _crash_after_create_feed(ports: RefundPorts) -> None:
    """createFeed takes effect, then the answer is lost (a 5xx or the process dies)."""
    real = ports.feeds.create_feed

    def lost(*args: object, **kwargs: object) -> str:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise TimeoutError("answer lost")

    ports.feeds.create_feed = lost  # type: ignore[method-assign]


def test_recovery_adopts_the_one_feed_created_since_the_mark() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    _crash_after_create_feed(ports)
    assert "recovery" in (submit_pending(ports, TENANT, MARKET).error or "")
    del ports.feeds.create_feed
    clock.advance(30)
    result = submit_pending(ports, TENANT, MARKET)
    assert result.submitted == 0 and "adopted" in result.recovered[0]
    clock.advance(61)
    track(ports, TENANT, MARKET)
    assert state(ports, refund).state is RefundState.CONFIRMED
    assert amazon.create_feed_calls == 1 and list(amazon.applications.values()) == [1]


def test_recovery_hands_an_ambiguous_batch_to_a_person() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    _crash_after_create_feed(ports)
    submit_pending(ports, TENANT, MARKET)
    amazon.external_feed(MARKET, b"<AmazonEnvelope/>")  # another tool of the seller
    clock.advance(30)
    result = submit_pending(ports, TENANT, MARKET)
    assert "ambiguous" in result.recovered[0]
    current = state(ports, refund)
    assert current.state is RefundState.UNKNOWN  # it may have been applied: a person checks
    assert "do not refund again" in (current.person_task or "")
    assert amazon.create_feed_calls == 2  # ours once, the other tool's once; never resent


def test_a_duplicate_error_is_an_unknown_outcome_not_a_confirmation() -> None:
    """Audit 11 item 9 (this test pinned the bug: a duplicate counted as confirmed). Amazon
    saying the adjustment id exists does not prove our money moved: a person checks."""
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    amazon.applications[(order_id(1), f"{refund.adjustment_id}-1")] = 1  # applied earlier
    submit_pending(ports, TENANT, MARKET)
    clock.advance(61)
    assert track(ports, TENANT, MARKET).unknown == 1
    current = state(ports, refund)
    assert current.state is RefundState.UNKNOWN and "already exists" in (current.failure or "")
    assert current.person_task
    assert amazon.applications[(order_id(1), f"{refund.adjustment_id}-1")] == 1


def test_rejected_refund_fails_with_amazons_reason_and_is_not_resent() -> None:
    ports, _, clock = world(orders(1, charged="5"))  # less than the refund asks
    refund = approved(ports, 1)
    submit_pending(ports, TENANT, MARKET)
    clock.advance(61)
    assert track(ports, TENANT, MARKET).failed == 1
    current = state(ports, refund)
    assert current.state is RefundState.FAILED and "exceeds" in (current.amazon_reason or "")
    clock.advance(300)
    assert submit_pending(ports, TENANT, MARKET).submitted == 0


def test_retryable_error_is_resent_with_the_same_key_and_then_confirmed() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    amazon.faults = FeedFaults(retryable_message=1.0)
    submit_pending(ports, TENANT, MARKET)
    clock.advance(61)
    assert track(ports, TENANT, MARKET).retried == 1
    assert state(ports, refund).state is RefundState.APPROVED
    amazon.faults = FeedFaults()
    clock.advance(130)
    assert submit_pending(ports, TENANT, MARKET).submitted == 1
    clock.advance(61)
    track(ports, TENANT, MARKET)
    current = state(ports, refund)
    assert current.state is RefundState.CONFIRMED and current.attempts == 2
    assert list(amazon.applications.values()) == [1]


def test_fatal_feed_is_unknown_with_a_check_task_and_is_never_resent() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    amazon.faults = FeedFaults(fatal=1.0)
    submit_pending(ports, TENANT, MARKET)
    clock.advance(61)
    track(ports, TENANT, MARKET)
    current = state(ports, refund)
    # unknown, not failed (audit 11 item 2): a FATAL feed may have applied it
    assert current.state is RefundState.UNKNOWN and "FATAL" in (current.failure or "")
    assert current.person_task
    clock.advance(300)
    assert submit_pending(ports, TENANT, MARKET).submitted == 0


def test_notification_status_is_used_without_get_feed() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    feed_id = submit_pending(ports, TENANT, MARKET).feed_id
    assert feed_id
    clock.advance(61)
    amazon.process_all()
    done = amazon.get_feed(feed_id)
    notification = {
        "notificationType": "FEED_PROCESSING_FINISHED",
        "eventTime": "2026-11-23T09:01:01Z",
        "payload": {
            "feedProcessingFinishedNotification": {
                "sellerId": "A1SELLER",
                "feedId": feed_id,
                "feedType": FEED_TYPE,
                "processingStatus": "DONE",
                "resultFeedDocumentId": done.result_feed_document_id,
            }
        },
    }
    status = feed_status_from_notification(notification)
    ports.feeds.get_feed = None  # type: ignore[method-assign,assignment]
    assert track(ports, TENANT, MARKET, finished={feed_id: status}).confirmed == 1
    assert state(ports, refund).state is RefundState.CONFIRMED
    assert ledger_of(ports).open_batches(TENANT, MARKET) == []


def test_paused_tenant_neither_sends_nor_resends() -> None:
    ports, amazon, clock = world(orders(1))
    refund = approved(ports, 1)
    amazon.faults = FeedFaults(server_error=2.0)
    with pytest.raises(ServerError):  # the batch is marked, then the run dies
        submit_pending(ports, TENANT, MARKET)
    amazon.faults = FeedFaults()
    clock.advance(301)
    result = submit_pending(ports, TENANT, MARKET, may_act=False)
    assert result.submitted == 0 and amazon.create_feed_calls == 0
    clock.advance(301)
    assert submit_pending(ports, TENANT, MARKET).submitted == 1
    assert state(ports, refund).attempts == 1


def test_zero_refund_is_refused() -> None:
    ports, _, _ = world()
    with pytest.raises(ValueError, match="positive"):
        proposed(ports, 1, amount="0", shipping="0", tax="0")
