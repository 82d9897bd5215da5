"""moto-backed AWS for the adapter tests: one table, a bucket, fresh clients per test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from moto import mock_aws

from spconnector.aws import clients
from spconnector.aws.table import create_table
from spconnector.domain import BuyerMessage, Intent, MessageKind

TABLE = "spconnector-test"
BUCKET = "spconnector-test-data"

# Sentinels: if any of these shows up where it must not, a test fails.
BUYER_NAME = "Zebulon Quackenbush"
BUYER_ALIAS = "zq7x9k2m4p1abc@marketplace.amazon.com"
BUYER_BODY = "My garlic press snapped in half, call me at +1 555 123 4567, Zebulon."


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SPCONNECTOR_TABLE", TABLE)
    monkeypatch.setenv("SPCONNECTOR_BUCKET", BUCKET)
    monkeypatch.delenv("SPCONNECTOR_AWS_ENDPOINT", raising=False)
    with mock_aws():
        clients.reset_clients()
        create_table(clients.client("dynamodb"), TABLE)
        clients.client("s3").create_bucket(Bucket=BUCKET)
        yield
    clients.reset_clients()


def buyer_message(
    message_id: str = "<m1@email.amazonses.com>",
    order_id: str | None = "113-1234567-1234567",
    received_at: datetime | None = None,
    body: str = BUYER_BODY,
) -> BuyerMessage:
    return BuyerMessage(
        amazon_order_id=order_id,
        buyer_address=BUYER_ALIAS,
        buyer_name=BUYER_NAME,
        marketplace="amazon.com",
        subject=f"Inquiry from Amazon customer {BUYER_NAME} (Order: {order_id})",
        kind=MessageKind.BUYER_MESSAGE,
        intent=Intent.DEFECTIVE,
        intent_confidence=0.8,
        language="en",
        body=body,
        message_id=message_id,
        received_at=received_at or datetime(2026, 11, 17, 9, 12, 33, tzinfo=UTC),
    )


class AtomicCalls:
    """moto's DynamoDB checks a condition and writes without a lock, so two threads can both
    pass one condition; real DynamoDB makes each conditional write atomic. This wrapper
    restores that guarantee (one API call at a time) while threads still interleave between
    calls — exactly the races optimistic locking must survive."""

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
def atomic_ddb(aws: None) -> AtomicCalls:
    return AtomicCalls(clients.client("dynamodb"))
