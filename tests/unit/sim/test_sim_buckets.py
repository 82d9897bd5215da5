from __future__ import annotations

import pytest

from spconnector.sim.buckets import RateLimiter
from spconnector.sim.clock import SimClock
from spconnector.sp.usage_plans import UsagePlan


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _limiter(time_scale: float = 1.0) -> tuple[RateLimiter, FakeMonotonic, SimClock]:
    mono = FakeMonotonic()
    clock = SimClock(time_scale, monotonic=mono)
    plans = {"x:op": UsagePlan(0.5, 3), "x:other": UsagePlan(1, 1)}
    return RateLimiter(clock, plans), mono, clock


def test_bucket_allows_burst_then_refuses() -> None:
    limiter, _, _ = _limiter()
    assert [limiter.allow("rt", "x:op") for _ in range(4)] == [True, True, True, False]


def test_bucket_refills_at_documented_rate() -> None:
    limiter, mono, _ = _limiter()
    for _ in range(3):
        limiter.allow("rt", "x:op")
    mono.now += 1.9  # 0.95 token at 0.5/s
    assert not limiter.allow("rt", "x:op")
    mono.now += 0.2
    assert limiter.allow("rt", "x:op")
    assert not limiter.allow("rt", "x:op")


def test_refill_never_exceeds_burst() -> None:
    limiter, mono, _ = _limiter()
    mono.now += 10_000
    assert [limiter.allow("rt", "x:op") for _ in range(4)] == [True, True, True, False]


def test_time_scale_multiplies_the_rate() -> None:
    limiter, mono, _ = _limiter(time_scale=10)
    for _ in range(3):
        limiter.allow("rt", "x:op")
    mono.now += 0.2  # 2 simulated seconds → one token at 0.5/s
    assert limiter.allow("rt", "x:op")
    assert not limiter.allow("rt", "x:op")


def test_clock_advance_refills() -> None:
    limiter, _, clock = _limiter()
    for _ in range(3):
        limiter.allow("rt", "x:op")
    clock.advance(4)
    assert limiter.allow("rt", "x:op")


def test_buckets_are_per_caller_and_per_operation() -> None:
    limiter, _, _ = _limiter()
    for _ in range(3):
        limiter.allow("rt-a", "x:op")
    assert not limiter.allow("rt-a", "x:op")
    assert limiter.allow("rt-b", "x:op")
    assert limiter.allow("rt-a", "x:other")


def test_unknown_operation_is_a_key_error() -> None:
    limiter, _, _ = _limiter()
    with pytest.raises(KeyError):
        limiter.allow("rt", "x:nope")


def test_clock_rejects_bad_values() -> None:
    with pytest.raises(ValueError):
        SimClock(0)
    with pytest.raises(ValueError):
        SimClock(1).advance(-1)
