"""Token buckets (in process and in DynamoDB) and the Secrets Manager credentials cache."""

from __future__ import annotations

import json
import threading

import boto3
import pytest
from moto import mock_aws

from spconnector.aws.secrets import SecretsManagerCredentials
from spconnector.aws.table import create_table
from spconnector.sp.credentials import LwaCredentials
from spconnector.sp.deadline import Deadline
from spconnector.sp.errors import AuthError, BudgetExhausted
from spconnector.sp.limiter import SLOWDOWN, DynamoDbLimiter, InProcessLimiter
from spconnector.sp.usage_plans import UsagePlan
from tests.unit.sp.conftest import CREDENTIALS, SENTINEL_REFRESH, SENTINEL_SECRET

PLANS = {"orders:getOrder": UsagePlan(0.5, 30)}
OP = "orders:getOrder"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def _burst_then_paced(
    limiter: InProcessLimiter | DynamoDbLimiter, t: FakeTime, calls: int
) -> list[float]:
    times = []
    for _ in range(calls):
        limiter.acquire("S1", OP, Deadline.unbounded())
        times.append(t.now)
    return times


def _within_quota(times: list[float], plan: UsagePlan) -> bool:
    start = times[0]
    return all(i + 1 <= plan.burst + plan.rate * (ts - start) + 1e-9 for i, ts in enumerate(times))


def test_in_process_burst_then_rate() -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, pace=1.0, clock=t.clock, sleep=t.sleep)
    times = _burst_then_paced(limiter, t, 40)
    assert times[29] == times[0]  # the burst goes out at once
    assert times[39] - times[29] == pytest.approx(10 / 0.5)  # then 0.5 per second
    assert _within_quota(times, PLANS[OP])


def test_observed_rate_and_time_scale() -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, pace=1.0, clock=t.clock, sleep=t.sleep, time_scale=10.0)
    limiter.observe_rate("S1", OP, 2.0)  # header: 2 per second, at 10× time
    times = _burst_then_paced(limiter, t, 31)
    assert times[30] - times[29] == pytest.approx(1 / 20.0)


def test_throttled_empties_and_budget_exhausts() -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, pace=1.0, clock=t.clock, sleep=t.sleep)
    limiter.throttled("S1", OP)
    assert limiter.tokens("S1", OP) == 0.0
    with pytest.raises(BudgetExhausted):
        limiter.acquire("S1", OP, Deadline(lambda: 1.0))  # the next token is 2 s away
    limiter.acquire("S1", OP, Deadline(lambda: 5.0))
    assert t.now == pytest.approx(1_000.0 + 2.0 / SLOWDOWN)  # refilling slower after a 429


def test_sellers_have_separate_buckets() -> None:
    t = FakeTime()
    limiter = InProcessLimiter(PLANS, pace=1.0, clock=t.clock, sleep=t.sleep)
    limiter.throttled("S1", OP)
    limiter.acquire("S2", OP, Deadline(lambda: 0.0))  # S2's bucket is full


@mock_aws
def test_dynamodb_limiter_shared_by_two_workers_keeps_the_quota() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    table = create_table(client, "spconnector-test")
    t = FakeTime()
    workers = [
        DynamoDbLimiter(client, table, PLANS, pace=1.0, clock=t.clock, sleep=t.sleep)
        for _ in range(2)
    ]
    times = []
    for i in range(40):  # two Lambdas alternating on one bucket
        workers[i % 2].acquire("S1", OP, Deadline.unbounded())
        times.append(t.now)
    assert times[29] == times[0]
    assert times[39] - times[0] == pytest.approx(20.0)
    assert _within_quota(times, PLANS[OP])
    item = client.get_item(
        TableName=table, Key={"pk": {"S": "S1#ratelimit#orders:getOrder"}, "sk": {"S": "bucket"}}
    )["Item"]
    assert int(item["version"]["N"]) == 40 and "expires_at" in item
    workers[0].throttled("S1", OP)
    workers[1].observe_rate("S1", OP, 1.0)
    item = client.get_item(
        TableName=table, Key={"pk": {"S": "S1#ratelimit#orders:getOrder"}, "sk": {"S": "bucket"}}
    )["Item"]
    assert float(item["tokens"]["N"]) == 0.0 and float(item["rate"]["N"]) == 1.0
    default = InProcessLimiter(PLANS)
    default.observe_rate("S1", OP, 1.0)
    assert default._buckets[("S1", OP)].rate == pytest.approx(1.0)  # full rate by default


@mock_aws
def test_dynamodb_limiter_conditional_write_loses_race() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    table = create_table(client, "spconnector-test")
    t = FakeTime()
    limiter = DynamoDbLimiter(client, table, PLANS, pace=1.0, clock=t.clock, sleep=t.sleep)
    limiter.acquire("S1", OP, Deadline.unbounded())
    stale = limiter._read("S1", OP)
    assert stale is not None
    limiter.acquire("S1", OP, Deadline.unbounded())  # someone else moves the version on
    assert limiter._write("S1", OP, stale[0], stale[1]) is False


@mock_aws
def test_try_acquire_takes_without_waiting_and_says_how_long() -> None:
    """The createFeed bucket refunds pace through (it replaced the refund ledger's own)."""
    op = "feeds_2021-06-30:createFeed"
    plans = {op: UsagePlan(0.0083, 2)}
    client = boto3.client("dynamodb", region_name="us-east-1")
    table = create_table(client, "spconnector-test")
    for make in (
        lambda t: InProcessLimiter(plans, clock=t.clock, sleep=t.sleep),
        lambda t: DynamoDbLimiter(client, table, plans, clock=t.clock, sleep=t.sleep),
    ):
        t = FakeTime()
        limiter = make(t)
        assert [limiter.try_acquire("S1", op) for _ in range(2)] == [0.0, 0.0]
        before = t.now
        wait = limiter.try_acquire("S1", op)
        assert 120 < wait < 121 and t.now == before  # nothing slept, nothing taken
        assert limiter.try_acquire("S1", op) == pytest.approx(wait)
        t.now += wait
        assert limiter.try_acquire("S1", op) == 0.0
        assert limiter.try_acquire("S2", op) == 0.0  # another seller, another bucket


@mock_aws
def test_secrets_manager_credentials_cached_with_ttl() -> None:
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    sm.create_secret(Name="spconnector/t1/sp-api", SecretString=json.dumps(CREDENTIALS))
    now = [0.0]
    provider = SecretsManagerCredentials(sm, ttl_seconds=60, clock=lambda: now[0])
    first = provider.get("spconnector/t1/sp-api")
    assert first.refresh_token.get_secret_value() == SENTINEL_REFRESH
    sm.put_secret_value(
        SecretId="spconnector/t1/sp-api",
        SecretString=json.dumps({**CREDENTIALS, "refresh_token": "Atzr|ROTATED"}),
    )
    assert (
        provider.get("spconnector/t1/sp-api").refresh_token.get_secret_value() == SENTINEL_REFRESH
    )  # cached
    now[0] = 61
    assert provider.get("spconnector/t1/sp-api").refresh_token.get_secret_value() == "Atzr|ROTATED"
    assert SENTINEL_SECRET not in repr(first) and SENTINEL_REFRESH not in str(first)


@mock_aws
def test_bad_secrets_fail_without_showing_values() -> None:
    sm = boto3.client("secretsmanager", region_name="us-east-1")
    sm.create_secret(Name="notjson", SecretString=f"refresh={SENTINEL_REFRESH}")
    sm.create_secret(Name="partial", SecretString=json.dumps({"refresh_token": SENTINEL_REFRESH}))
    provider = SecretsManagerCredentials(sm)
    for name in ("notjson", "partial", "missing"):
        with pytest.raises(AuthError) as caught:
            provider.get(name)
        assert SENTINEL_REFRESH not in str(caught.value) and caught.value.__cause__ is None
    with pytest.raises(AuthError, match="lacks lwa_app_id, lwa_client_secret"):
        provider.get("partial")


def test_credentials_from_secretstr_objects() -> None:
    from pydantic import BaseModel, SecretStr

    class Theirs(BaseModel):
        lwa_app_id: str
        lwa_client_secret: SecretStr
        refresh_token: SecretStr

    creds = LwaCredentials.of(Theirs(**CREDENTIALS))
    assert creds.refresh_token.get_secret_value() == SENTINEL_REFRESH
    assert SENTINEL_REFRESH not in repr(creds)


@mock_aws
def test_dynamodb_limiter_books_tokens_in_turn_and_refuses_past_the_deadline() -> None:
    """Workers waiting on an empty shared bucket are served in the order they asked (each
    books its token: one write, then a sleep until it is due); one whose token would come
    after its deadline books nothing, so the queue behind it is not held up."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    table = create_table(client, "spconnector-test")
    t = FakeTime()
    slept: list[float] = []
    workers = [
        DynamoDbLimiter(client, table, PLANS, clock=t.clock, sleep=slept.append) for _ in range(3)
    ]
    for _ in range(30):  # the burst: no wait
        workers[0].acquire("S1", OP, Deadline.unbounded())
    assert slept == []
    # three workers ask at the same moment (no time passes: sleeps are only recorded)
    for worker in workers:
        worker.acquire("S1", OP, Deadline.after(10.0, clock=t.clock))
    assert slept == pytest.approx([2.0, 4.0, 6.0])  # 0.5 req/s: one token every 2 s, in turn
    with pytest.raises(BudgetExhausted):
        workers[0].acquire("S1", OP, Deadline.after(7.0, clock=t.clock))  # due in 8 s
    assert workers[1]._read("S1", OP)[0].tokens == pytest.approx(-3.0)  # nothing booked
    workers[0].throttled("S1", OP)  # a 429 does not cancel what others booked
    assert workers[1]._read("S1", OP)[0].tokens == pytest.approx(-3.0)
