"""Token buckets per (seller, operation), mirroring Amazon's usage plans.

Amazon meters each (application, seller, operation) with a token bucket: `rate` tokens per
second up to `burst`. We keep our own copy of that bucket and wait for a token before each
call, so calls are paced instead of bounced with 429s. The copy is seeded from the documented
plans (usage_plans.py) and takes the rate from `x-amzn-RateLimit-Limit` when a 2xx carries it.

Pacing is AIMD-like: the copy starts full (the whole burst goes out at once), then refills at
100 % of the documented rate. When Amazon answers 429 anyway (its bucket started a little later
than ours, latency jitter, another process of the same application), the copy is emptied and
its refill slowed to SLOWDOWN × the current pace; every token taken afterwards gives back
RECOVERY of the documented rate, up to 100 %. Slower refill while Amazon's bucket refills at
full rate leaves a few tokens of slack there, which absorbs the jitter that caused the 429.

`acquire` waits for a token within the deadline; `try_acquire` takes one only if it is there
and otherwise says how long until one is due — refund submission uses it to reschedule rather
than wait inside its lease (it is the one createFeed bucket: refunds keep none of their own).

`InProcessLimiter` serves one process (the CLI, tests, a benchmark). `DynamoDbLimiter` keeps the
bucket in the shared table so concurrent Lambdas draw from one bucket (optimistic concurrency:
a version attribute and conditional writes).
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from spconnector.sp.deadline import Deadline
from spconnector.sp.errors import BudgetExhausted
from spconnector.sp.usage_plans import USAGE_PLANS, UsagePlan

Clock = Callable[[], float]
_EPSILON = 1e-6
Sleep = Callable[[float], None]


class RateLimiter(Protocol):
    def acquire(self, seller_id: str, operation: str, deadline: Deadline) -> None:
        """Block until a token is taken; raise BudgetExhausted if that takes too long."""

    def try_acquire(self, seller_id: str, operation: str) -> float:
        """Take a token now if there is one: 0.0 if taken, else the seconds until one is due
        (nothing taken). For callers that reschedule instead of waiting (refund submission)."""

    def observe_rate(self, seller_id: str, operation: str, rate: float) -> None:
        """Amazon told us the bucket's rate (x-amzn-RateLimit-Limit, requests per second)."""

    def throttled(self, seller_id: str, operation: str) -> None:
        """Amazon answered 429: its bucket is empty, so ours must be too."""


# After a 429: refill at SLOWDOWN × the pace we had, never below MIN_PACE of the plan; each
# token taken then adds RECOVERY back (from 100 %: 0.85, then 15 tokens to full pace again).
SLOWDOWN = 0.85
RECOVERY = 0.01
MIN_PACE = 0.25


@dataclass(slots=True)
class Bucket:
    tokens: float
    updated_at: float
    rate: float  # tokens per second of our clock at full pace (documented rate × time scale)
    burst: float
    pace: float = 1.0  # share of `rate` we refill at: below 1 after a 429, back to 1 slowly

    @property
    def refill_rate(self) -> float:
        return self.rate * self.pace

    def refilled(self, now: float) -> Bucket:
        elapsed = max(0.0, now - self.updated_at)  # clocks of different hosts may disagree
        tokens = min(self.burst, self.tokens + elapsed * self.refill_rate)
        return Bucket(tokens, max(now, self.updated_at), self.rate, self.burst, self.pace)

    def has_token(self) -> bool:
        # Tolerance: refill arithmetic can leave 0.9999999… where a whole token is due, and a
        # wait of 1e-17 s does not move a float clock forward.
        return self.tokens >= 1.0 - _EPSILON

    def take(self) -> None:
        self.tokens = max(0.0, self.tokens - 1.0)
        self.pace = min(1.0, self.pace + RECOVERY)

    def book(self) -> None:
        """Take the next token even if it is not there yet: the level goes below zero and the
        caller waits until its token is due (wait_for_token before booking)."""
        self.tokens -= 1.0
        self.pace = min(1.0, self.pace + RECOVERY)

    def slow_down(self) -> None:
        """Amazon said 429: its bucket is empty, so ours is too, and we were a bit fast.
        Tokens already booked (a level below zero) stay booked."""
        self.tokens = min(self.tokens, 0.0)
        self.pace = max(MIN_PACE, self.pace * SLOWDOWN)

    def wait_for_token(self) -> float:
        """Seconds until one whole token is there (0 if it is there now)."""
        return 0.0 if self.has_token() else max((1.0 - self.tokens) / self.refill_rate, 1e-6)


# The full documented rate: headroom comes from slowing down after a 429 (see above), not
# from running below the plan all the time. A lower value caps the pace for every bucket.
DEFAULT_PACE = 1.0


class _Plans:
    def __init__(self, plans: Mapping[str, UsagePlan], time_scale: float, pace: float) -> None:
        if not 0 < time_scale < math.inf or not 0 < pace <= 1:  # also refuses NaN
            raise ValueError("time_scale must be positive and finite, and pace in (0, 1]")
        self.plans = plans
        self.time_scale = time_scale * pace

    def bucket(self, operation: str, now: float) -> Bucket:
        try:
            plan = self.plans[operation]
        except KeyError:
            raise KeyError(f"no usage plan known for {operation!r}") from None
        return Bucket(float(plan.burst), now, plan.rate * self.time_scale, float(plan.burst))

    def scaled(self, rate: float) -> float:
        return rate * self.time_scale


def _budget_check(operation: str, wait: float, deadline: Deadline) -> None:
    if wait > deadline.remaining():
        raise BudgetExhausted(
            operation,
            f"next token in {wait:.1f}s, only {deadline.remaining():.1f}s of budget left",
        )


class InProcessLimiter:
    """Buckets in memory, shared by the threads of one process."""

    def __init__(
        self,
        plans: Mapping[str, UsagePlan] = USAGE_PLANS,
        *,
        time_scale: float = 1.0,
        pace: float = DEFAULT_PACE,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._plans = _Plans(plans, time_scale, pace)
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._lock = threading.Lock()

    def _current(self, key: tuple[str, str], now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._plans.bucket(key[1], now)
        bucket = bucket.refilled(now)
        self._buckets[key] = bucket
        return bucket

    def acquire(self, seller_id: str, operation: str, deadline: Deadline) -> None:
        while True:
            wait = self.try_acquire(seller_id, operation)
            if wait == 0.0:
                return
            _budget_check(operation, wait, deadline)
            self._sleep(wait)

    def try_acquire(self, seller_id: str, operation: str) -> float:
        with self._lock:
            bucket = self._current((seller_id, operation), self._clock())
            wait = bucket.wait_for_token()
            if wait == 0.0:
                bucket.take()
            return wait

    def observe_rate(self, seller_id: str, operation: str, rate: float) -> None:
        if rate <= 0:
            return
        with self._lock:
            bucket = self._current((seller_id, operation), self._clock())
            bucket.rate = self._plans.scaled(rate)

    def throttled(self, seller_id: str, operation: str) -> None:
        with self._lock:
            self._current((seller_id, operation), self._clock()).slow_down()

    def tokens(self, seller_id: str, operation: str) -> float:
        """The bucket's level now (for inspection and tests)."""
        with self._lock:
            return self._current((seller_id, operation), self._clock()).tokens

    def pace(self, seller_id: str, operation: str) -> float:
        """The share of the plan's rate the bucket refills at now (for inspection and tests)."""
        with self._lock:
            return self._current((seller_id, operation), self._clock()).pace


def _take(bucket: Bucket) -> Bucket | None:
    if not bucket.has_token():
        return None
    bucket.take()
    return bucket


CONTENDED_RETRY_SECONDS = 1.0


class DynamoDbLimiter:
    """One bucket item per (seller, operation) in the shared table, updated conditionally.

    Item: pk "<seller>#ratelimit#<operation>", sk "bucket", tokens, updated_at (epoch seconds),
    rate, burst, pace, version. Every take is a read followed by a write conditional on the version
    read, so two Lambdas can never spend the same token. A token not there yet is booked (the
    level goes below zero) and waited for, so concurrent workers are served in turn.
    """

    SK = "bucket"
    ITEM_TTL_SECONDS = 86400  # an idle bucket is full anyway; let TTL clean it up

    def __init__(
        self,
        client: Any,
        table_name: str,
        plans: Mapping[str, UsagePlan] = USAGE_PLANS,
        *,
        time_scale: float = 1.0,
        pace: float = DEFAULT_PACE,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        max_contention_retries: int = 50,
    ) -> None:
        self._client = client
        self._table = table_name
        self._plans = _Plans(plans, time_scale, pace)
        self._clock = clock
        self._sleep = sleep
        self._max_contention = max_contention_retries
        self._known_rate: dict[tuple[str, str], float] = {}

    @staticmethod
    def pk(seller_id: str, operation: str) -> str:
        return f"{seller_id}#ratelimit#{operation}"

    def _key(self, seller_id: str, operation: str) -> dict[str, Any]:
        return {"pk": {"S": self.pk(seller_id, operation)}, "sk": {"S": self.SK}}

    def _read(self, seller_id: str, operation: str) -> tuple[Bucket, int] | None:
        item = self._client.get_item(
            TableName=self._table, Key=self._key(seller_id, operation), ConsistentRead=True
        ).get("Item")
        if not item:
            return None
        bucket = Bucket(
            tokens=float(item["tokens"]["N"]),
            updated_at=float(item["updated_at"]["N"]),
            rate=float(item["rate"]["N"]),
            burst=float(item["burst"]["N"]),
            pace=float(item.get("pace", {}).get("N", 1.0)),  # items written before AIMD
        )
        return bucket, int(item["version"]["N"])

    def _write(self, seller_id: str, operation: str, bucket: Bucket, version: int | None) -> bool:
        """Store the bucket if nobody changed it since `version` was read (None: new item)."""
        from botocore.exceptions import ClientError

        item = {
            **self._key(seller_id, operation),
            "tokens": {"N": repr(bucket.tokens)},
            "updated_at": {"N": repr(bucket.updated_at)},
            "rate": {"N": repr(bucket.rate)},
            "burst": {"N": repr(bucket.burst)},
            "pace": {"N": repr(bucket.pace)},
            "version": {"N": str((version or 0) + 1)},
            "expires_at": {"N": str(int(bucket.updated_at) + self.ITEM_TTL_SECONDS)},
        }
        if version is None:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            condition = {
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": {"N": str(version)}},
            }
        try:
            self._client.put_item(TableName=self._table, Item=item, **condition)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _update(
        self,
        seller_id: str,
        operation: str,
        change: Callable[[Bucket], Bucket | None],
        deadline: Deadline | None = None,
    ) -> float:
        """Read-modify-write until it sticks. `change` returns None when it must wait;
        the return value is then how long (from the bucket read)."""
        for _ in range(self._max_contention):
            now = self._clock()
            read = self._read(seller_id, operation)
            if read is None:
                bucket, version = self._plans.bucket(operation, now), None
            else:
                bucket, version = read[0].refilled(now), read[1]
            changed = change(bucket)
            if changed is None:
                return bucket.wait_for_token()
            if self._write(seller_id, operation, changed, version):
                return 0.0
            # Another worker won the race; back off a little, with jitter, and read again.
            self._sleep(random.uniform(0.0, 0.02))
        raise BudgetExhausted(operation, "rate-limit bucket too contended")

    def acquire(self, seller_id: str, operation: str, deadline: Deadline) -> None:
        """Book the next token in one conditional write, then sleep until it is due.

        Booking (the level may go below zero) queues the workers of a seller in the order they
        asked: one write per call, no herd of sleepers waking at once to race for each new
        token, and no worker left losing that race until its budget is gone. A worker whose
        token would come after its deadline books nothing and gives up at once."""
        due: list[float] = []

        def book(bucket: Bucket) -> Bucket | None:
            wait = bucket.wait_for_token()
            if wait > deadline.remaining():
                return None  # not booked: _update returns this wait
            due[:] = [wait]
            bucket.book()
            return bucket

        refused = self._update(seller_id, operation, book)
        if refused:
            _budget_check(operation, refused, deadline)
        if due and due[0] > 0:
            self._sleep(due[0])

    def try_acquire(self, seller_id: str, operation: str) -> float:
        try:
            return self._update(seller_id, operation, _take)
        except BudgetExhausted:
            return CONTENDED_RETRY_SECONDS  # too contended to tell: ask again shortly

    def observe_rate(self, seller_id: str, operation: str, rate: float) -> None:
        scaled = self._plans.scaled(rate)
        key = (seller_id, operation)
        if rate <= 0 or self._known_rate.get(key) == scaled:
            return  # most responses repeat the rate we have: no write

        def set_rate(bucket: Bucket) -> Bucket:
            bucket.rate = scaled
            return bucket

        self._update(seller_id, operation, set_rate)
        self._known_rate[key] = scaled

    def throttled(self, seller_id: str, operation: str) -> None:
        def slow_down(bucket: Bucket) -> Bucket:
            bucket.slow_down()
            return bucket

        self._update(seller_id, operation, slow_down)
