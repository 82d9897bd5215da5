"""AIMD pacing of the limiter: full burst, then 100 % of the plan; slower after a 429, then back."""

from __future__ import annotations

import threading
import time
from itertools import pairwise

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws

from spconnector.aws.table import create_table
from spconnector.sp.deadline import Deadline
from spconnector.sp.limiter import (
    MIN_PACE,
    RECOVERY,
    SLOWDOWN,
    DynamoDbLimiter,
    InProcessLimiter,
)
from spconnector.sp.usage_plans import UsagePlan
from tests.unit.sp.test_sp_limiter_credentials import FakeTime

PLAN = UsagePlan(0.5, 30)
PLANS = {"orders:getOrder": PLAN}
OP = "orders:getOrder"


def _take(limiter: InProcessLimiter, t: FakeTime, calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        limiter.acquire("S1", OP, Deadline.unbounded())
        times.append(t.now)
    return times


def _max_in_window(times: list[float], length: float) -> int:
    """The most acquisitions in any closed window [a, a + length]."""
    best = 0
    j = 0
    for i, start in enumerate(times):
        j = max(j, i)
        while j + 1 < len(times) and times[j + 1] <= start + length + 1e-9:
            j += 1
        best = max(best, j - i + 1)
    return best


def test_default_limiter_uses_whole_burst_then_full_rate() -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, clock=t.clock, sleep=t.sleep)  # default pace
    times = _take(limiter, t, 50)
    assert times[29] == times[0]  # the bucket starts full: 30 at once
    gaps = [b - a for a, b in pairwise(times[29:])]
    assert gaps == pytest.approx([1 / 0.5] * 20)  # then exactly the documented rate


def test_after_429_it_slows_then_recovers_to_full_rate() -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, clock=t.clock, sleep=t.sleep)
    _take(limiter, t, 30)
    limiter.throttled("S1", OP)
    assert limiter.tokens("S1", OP) == 0.0
    assert limiter.pace("S1", OP) == pytest.approx(SLOWDOWN)
    before = t.now
    times = _take(limiter, t, 1)
    assert times[0] - before == pytest.approx(1 / (0.5 * SLOWDOWN))  # slower than the plan
    steps_back = round((1 - SLOWDOWN) / RECOVERY)
    _take(limiter, t, steps_back)
    assert limiter.pace("S1", OP) == pytest.approx(1.0)  # recovered, and no further
    later = _take(limiter, t, 3)
    assert later[2] - later[1] == pytest.approx(1 / 0.5)
    assert limiter.pace("S1", OP) == 1.0


def test_repeated_429s_slow_down_further_but_not_below_the_floor() -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, clock=t.clock, sleep=t.sleep)
    limiter.throttled("S1", OP)
    first = limiter.pace("S1", OP)
    limiter.throttled("S1", OP)
    assert limiter.pace("S1", OP) == pytest.approx(first * SLOWDOWN)
    for _ in range(50):
        limiter.throttled("S1", OP)
    assert limiter.pace("S1", OP) == pytest.approx(MIN_PACE)


# Actions between acquisitions: idle for a while, or a 429 from Amazon.
_actions = st.lists(
    st.one_of(
        st.tuples(st.just("acquire"), st.integers(1, 40)),
        st.tuples(st.just("idle"), st.floats(0.0, 120.0)),
        st.tuples(st.just("429"), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(_actions, st.floats(1.0, 100.0))
def test_never_more_than_burst_plus_rate_times_t_in_any_window(
    actions: list[tuple[str, float]], scale: float
) -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, time_scale=scale, clock=t.clock, sleep=t.sleep)
    times: list[float] = []
    for kind, amount in actions:
        if kind == "acquire":
            times.extend(_take(limiter, t, int(amount)))
        elif kind == "idle":
            t.sleep(amount / scale)
        else:
            limiter.throttled("S1", OP)
    rate = PLAN.rate * scale
    for length in (0.0, 0.5 / rate, 1 / rate, 7.3 / rate, 40 / rate, 400 / rate):
        assert _max_in_window(times, length) <= PLAN.burst + rate * length + 1e-6


def test_threads_sharing_one_limiter_keep_the_plan() -> None:
    # Real clock, a fast plan: 4 threads draw 60 tokens from a bucket of 10 refilling 100/s.
    plans = {OP: UsagePlan(100.0, 10)}
    limiter = InProcessLimiter(plans)
    times: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(15):
            limiter.acquire("S1", OP, Deadline.unbounded())
            with lock:
                times.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    assert len(times) == 60
    # Thread scheduling only delays the recording of a take, so allow a few ms of skew.
    for length in (0.05, 0.2):
        assert _max_in_window(times, length) <= 10 + 100 * (length + 0.01) + 1


@mock_aws
def test_dynamodb_limiter_shares_the_slowdown_between_workers() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    table = create_table(client, "spconnector-test")
    t = FakeTime()
    a, b = (DynamoDbLimiter(client, table, PLANS, clock=t.clock, sleep=t.sleep) for _ in range(2))
    a.acquire("S1", OP, Deadline.unbounded())
    a.throttled("S1", OP)  # worker a saw the 429 …
    before = t.now
    b.acquire("S1", OP, Deadline.unbounded())  # … worker b refills slower too
    assert t.now - before == pytest.approx(1 / (0.5 * SLOWDOWN))
    read = b._read("S1", OP)
    assert read is not None
    assert read[0].pace == pytest.approx(SLOWDOWN + RECOVERY)


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), 0.0])
def test_a_limiter_refuses_a_time_scale_that_is_not_a_positive_number(scale: float) -> None:
    from spconnector.sp.limiter import InProcessLimiter

    with pytest.raises(ValueError, match="time_scale must be positive and finite"):
        InProcessLimiter(time_scale=scale)
