"""Each contract test runs once on the in-memory fake and once on the AWS adapter under moto,
so the fake the job tests run on cannot drift from what runs in Lambda."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto import mock_aws

from spconnector.aws import clients
from spconnector.aws.table import create_table

TABLE = "spconnector-contract"
BUCKET = "spconnector-contract-data"
ADAPTERS = ["memory", "aws"]


class AtomicCalls:
    """moto checks a condition and writes without a lock; DynamoDB applies each conditional
    write atomically. One call at a time restores that, while threads interleave between
    calls (the races a conditional write must survive)."""

    def __init__(self, client: object) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return method(*args, **kwargs)

        return call


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SPCONNECTOR_TABLE", TABLE)
    monkeypatch.setenv("SPCONNECTOR_BUCKET", BUCKET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "contract")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "contract")
    monkeypatch.delenv("SPCONNECTOR_AWS_ENDPOINT", raising=False)
    with mock_aws():
        clients.reset_clients()
        create_table(clients.client("dynamodb"), TABLE)
        clients.client("s3").create_bucket(Bucket=BUCKET)
        yield
    clients.reset_clients()


@pytest.fixture
def ddb(aws: None) -> AtomicCalls:
    return AtomicCalls(clients.client("dynamodb"))


def run_together(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run fn(0..n-1) on n threads released at once; their results in order."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
