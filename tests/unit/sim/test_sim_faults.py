from __future__ import annotations

import pytest

from spconnector.sim.faults import FaultInjector, FaultRates


def test_wire_names_round_trip() -> None:
    rates = FaultRates.from_wire({"500": 0.1, "502_html": 0.2, "slow_ms": 50, "slow_rate": 1})
    assert rates.internal_error == 0.1
    assert rates.bad_gateway_html == 0.2
    assert rates.to_wire()["500"] == 0.1
    assert rates.to_wire()["slow_ms"] == 50


@pytest.mark.parametrize(
    "bad", [{"500": 1.5}, {"503": -0.1}, {"slow_ms": -1}, {"slow_ms": 1.5}, {"nope": 0.1}]
)
def test_bad_rates_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        FaultRates.from_wire(bad)


def test_faults_are_deterministic_per_seed() -> None:
    def draws(seed: int) -> list[int | None]:
        injector = FaultInjector(seed)
        injector.set(FaultRates(internal_error=0.3, bad_gateway_html=0.3))
        return [injector.pick_error() for _ in range(50)]

    assert draws(5) == draws(5)
    assert draws(5) != draws(6)
    assert {500, 502, None} <= set(draws(5))


def test_no_faults_by_default() -> None:
    injector = FaultInjector(1)
    assert all(injector.pick_error() is None for _ in range(100))
    assert injector.delay_seconds() == 0
    assert not injector.truncate()


def test_feed_outcome_faults_have_wire_names_and_draw_fates() -> None:
    rates = FaultRates.from_wire({"feed_fatal": 1, "feed_stuck": 0, "message_rejected": 0.5})
    assert rates.to_wire()["feed_fatal"] == 1 and rates.to_wire()["message_rejected"] == 0.5
    injector = FaultInjector(3)
    assert injector.feed_fate() == "done" and not injector.reject_message()  # off by default
    injector.set(rates)
    assert {injector.feed_fate() for _ in range(20)} == {"fatal_applied"}
    injector.set(FaultRates(feed_stuck=1.0, feed_fatal=1.0))
    assert injector.feed_fate() == "stuck"  # a feed never finished has no outcome at all
    injector.set(FaultRates(message_rejected=0.5))
    assert {injector.reject_message() for _ in range(50)} == {True, False}
