"""The SpendCounters port: both counters move together or neither does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from spconnector.aws.spend import DynamoSpendCounters
from spconnector.jobs.ports import SpendCounters
from spconnector.memory import MemorySpendCounters
from tests.unit.contracts.conftest import ADAPTERS, TABLE, run_together

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
D = Decimal


@pytest.fixture(params=ADAPTERS)
def counters(request: pytest.FixtureRequest) -> SpendCounters:
    if request.param == "memory":
        return MemorySpendCounters()
    return DynamoSpendCounters(request.getfixturevalue("ddb"), TABLE)


def test_nothing_spent_reads_zero(counters: SpendCounters) -> None:
    assert counters.spent("acme", "USD", NOW) == (D(0), D(0))


def test_an_amount_within_both_limits_lands_on_both(counters: SpendCounters) -> None:
    assert counters.add_within("acme", "USD", D("30.50"), NOW, (D(100), D(1000)))
    assert counters.add_within("acme", "USD", D("69.50"), NOW, (D(100), D(1000)))
    assert counters.spent("acme", "USD", NOW) == (D(100), D(100))


def test_passing_the_day_limit_writes_neither_counter(counters: SpendCounters) -> None:
    assert counters.add_within("acme", "USD", D(90), NOW, (D(100), D(1000)))
    assert not counters.add_within("acme", "USD", D(11), NOW, (D(100), D(1000)))
    assert counters.spent("acme", "USD", NOW) == (D(90), D(90))


def test_a_first_amount_above_a_limit_is_refused(counters: SpendCounters) -> None:
    # nothing spent yet today or this month: the amount alone passes the day's budget
    assert not counters.add_within("acme", "USD", D(150), NOW, (D(100), D(1000)))
    assert not counters.add_within("acme", "USD", D(1500), NOW, (None, D(1000)))
    assert counters.spent("acme", "USD", NOW) == (D(0), D(0))


def test_passing_the_month_limit_writes_neither_counter(counters: SpendCounters) -> None:
    assert counters.add_within("acme", "USD", D(90), NOW, (None, D(100)))
    tomorrow = NOW + timedelta(days=1)
    assert not counters.add_within("acme", "USD", D(20), tomorrow, (D(50), D(100)))
    assert counters.spent("acme", "USD", tomorrow) == (D(0), D(90))
    assert counters.add_within("acme", "USD", D(10), tomorrow, (D(50), D(100)))
    assert counters.spent("acme", "USD", tomorrow) == (D(10), D(100))


def test_no_limit_accepts_and_counters_are_per_tenant_and_currency(
    counters: SpendCounters,
) -> None:
    assert counters.add_within("acme", "USD", D(5000), NOW, (None, None))
    assert counters.spent("acme", "EUR", NOW) == (D(0), D(0))
    assert counters.spent("other", "USD", NOW) == (D(0), D(0))


def test_subtract_gives_back_on_both(counters: SpendCounters) -> None:
    assert counters.add_within("acme", "USD", D(40), NOW, (D(100), D(1000)))
    counters.subtract("acme", "USD", D(15), NOW)
    assert counters.spent("acme", "USD", NOW) == (D(25), D(25))


def test_concurrent_reservations_never_pass_the_limit(counters: SpendCounters) -> None:
    def reserve(_i: int) -> bool:
        for _ in range(20):  # a TransactionConflict is retried by the caller's next attempt
            try:
                return counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)))
            except RuntimeError:
                continue
        raise AssertionError("never settled")

    results = run_together(6, reserve)
    assert results.count(True) == 3
    assert counters.spent("acme", "USD", NOW) == (D(90), D(90))


def test_give_back_lowers_the_day_and_month_it_was_reserved_in(counters: SpendCounters) -> None:
    assert counters.add_within("acme", "USD", D(40), NOW, (D(100), D(1000)))
    tomorrow = NOW + timedelta(days=1)
    assert counters.add_within("acme", "USD", D(25), tomorrow, (D(100), D(1000)))

    assert counters.give_back("acme", "USD", D(40), NOW, token="spc-a")

    assert counters.spent("acme", "USD", NOW) == (D(0), D(25))
    assert counters.spent("acme", "USD", tomorrow) == (D(25), D(25))  # tomorrow's untouched


def test_a_second_give_back_of_one_token_changes_nothing(counters: SpendCounters) -> None:
    assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)))
    assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)))
    assert counters.give_back("acme", "USD", D(30), NOW, token="spc-a")

    # a redelivery, a crashed worker's retry: the marker answers, the counters stay
    assert not counters.give_back("acme", "USD", D(30), NOW, token="spc-a")
    assert counters.spent("acme", "USD", NOW) == (D(30), D(30))
    assert counters.give_back("acme", "USD", D(30), NOW, token="spc-b")
    assert counters.spent("acme", "USD", NOW) == (D(0), D(0))


def test_give_back_never_takes_a_counter_below_zero(counters: SpendCounters) -> None:
    tomorrow = NOW + timedelta(days=1)
    assert counters.add_within("acme", "USD", D(10), NOW, (None, None))
    assert counters.add_within("acme", "USD", D(50), tomorrow, (None, None))

    assert counters.give_back("acme", "USD", D(30), NOW, token="spc-a")
    assert counters.spent("acme", "USD", NOW) == (D(0), D(30))  # day held 10; month 60
    # nothing was ever reserved in another month: nothing to lower, none created
    assert counters.give_back("acme", "USD", D(30), NOW - timedelta(days=60), token="spc-b")
    assert counters.spent("acme", "USD", NOW - timedelta(days=60)) == (D(0), D(0))


def test_concurrent_give_backs_of_one_refund_give_back_once(counters: SpendCounters) -> None:
    for _ in range(3):
        assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)))

    results = run_together(6, lambda _i: counters.give_back("acme", "USD", D(30), NOW, "spc-a"))

    assert results.count(True) == 1
    assert counters.spent("acme", "USD", NOW) == (D(60), D(60))


def test_concurrent_give_backs_and_reservations_keep_the_sum(counters: SpendCounters) -> None:
    for _ in range(3):
        assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)))

    def move(i: int) -> bool:
        if i % 2:
            return counters.give_back("acme", "USD", D(30), NOW, token=f"spc-{i}")
        return counters.add_within("acme", "USD", D(5), NOW, (D(200), D(1000)))

    results = run_together(6, move)

    assert all(results)
    assert counters.spent("acme", "USD", NOW) == (D(15), D(15))  # 90 - 3 x 30 + 3 x 5


def test_concurrent_give_backs_past_what_a_counter_holds_stop_at_zero(
    counters: SpendCounters,
) -> None:
    assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)))

    results = run_together(4, lambda i: counters.give_back("acme", "USD", D(30), NOW, f"t{i}"))

    assert all(results)  # each token given back once; what the counter held, no more
    assert counters.spent("acme", "USD", NOW) == (D(0), D(0))


def test_a_give_back_that_loses_a_race_reads_again_and_stops_at_zero(ddb: object) -> None:
    """DynamoDB only: another give-back lands between our read and our transaction."""
    counters = DynamoSpendCounters(ddb, TABLE)
    assert counters.add_within("acme", "USD", D(30), NOW, (None, None))

    class RacedClient:
        raced = False

        def __getattr__(self, name: str) -> object:
            return getattr(ddb, name)

        def transact_write_items(self, **request: object) -> object:
            if not RacedClient.raced:
                RacedClient.raced = True
                assert counters.give_back("acme", "USD", D(20), NOW, token="spc-other")
            return ddb.transact_write_items(**request)  # type: ignore[attr-defined]

    raced = DynamoSpendCounters(RacedClient(), TABLE)
    assert raced.give_back("acme", "USD", D(30), NOW, token="spc-mine")

    assert counters.spent("acme", "USD", NOW) == (D(0), D(0))  # 10 left was all it took
    assert not counters.give_back("acme", "USD", D(30), NOW, token="spc-mine")


def test_a_reservation_with_a_token_is_held_once(counters: SpendCounters) -> None:
    assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)), token="spc-a")
    later = NOW + timedelta(hours=1)
    # the redelivery after a crash finds its own reservation: nothing added again
    assert counters.add_within("acme", "USD", D(30), later, (D(100), D(1000)), token="spc-a")
    assert counters.spent("acme", "USD", NOW) == (D(30), D(30))
    assert counters.held_since("acme", "USD", "spc-a") == NOW
    assert counters.held_since("acme", "USD", "spc-b") is None


def test_releasing_a_token_ends_its_hold_once_on_the_day_it_was_made(
    counters: SpendCounters,
) -> None:
    assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)), token="spc-a")
    tomorrow = NOW + timedelta(days=1)
    assert counters.add_within("acme", "USD", D(5), tomorrow, (D(100), D(1000)))
    counters.subtract("acme", "USD", D(30), tomorrow, token="spc-a")
    counters.subtract("acme", "USD", D(30), tomorrow, token="spc-a")  # released before
    counters.subtract("acme", "USD", D(30), tomorrow, token="spc-never")  # never held
    assert counters.spent("acme", "USD", NOW) == (D(0), D(5))
    assert counters.spent("acme", "USD", tomorrow) == (D(5), D(5))
    assert counters.held_since("acme", "USD", "spc-a") is None
    # released: the same refund may reserve again (a person approves it later)
    assert counters.add_within("acme", "USD", D(30), NOW, (D(100), D(1000)), token="spc-a")
    assert counters.spent("acme", "USD", NOW) == (D(30), D(35))
