"""Usage plans as token buckets, one per (caller, operation), as Amazon meters them."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from spconnector.sim.clock import SimClock
from spconnector.sp.usage_plans import USAGE_PLANS, UsagePlan


@dataclass
class TokenBucket:
    rate: float  # tokens per simulated second
    burst: int
    tokens: float
    updated: float  # clock seconds of the last refill

    def take(self, now: float) -> bool:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class RateLimiter:
    """Buckets start full (burst) and refill at the documented rate on the sim clock.

    The clock runs `time_scale` times faster than real time, so in real seconds every rate
    is multiplied by the time scale — what benchmarks need.
    """

    def __init__(self, clock: SimClock, plans: dict[str, UsagePlan] | None = None) -> None:
        self._clock = clock
        self._plans = plans if plans is not None else USAGE_PLANS
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def plan(self, operation: str) -> UsagePlan:
        return self._plans[operation]

    def effective_rate(self, operation: str) -> float:
        """Requests per real second: the documented rate times the time scale."""
        return self._plans[operation].rate * self._clock.time_scale

    def allow(self, caller: str, operation: str) -> bool:
        plan = self._plans[operation]
        now = self._clock.seconds()
        with self._lock:
            bucket = self._buckets.get((caller, operation))
            if bucket is None:
                bucket = TokenBucket(plan.rate, plan.burst, float(plan.burst), now)
                self._buckets[(caller, operation)] = bucket
            return bucket.take(now)

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()
