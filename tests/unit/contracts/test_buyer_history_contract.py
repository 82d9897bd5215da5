"""The BuyerHistoryStore port: each order and refund counted once within 365 days, keyed by
the alias (case-insensitively) under the deployment's key; without a key nothing is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spconnector.aws.buyer_history import DynamoBuyerHistory
from spconnector.domain import Money
from spconnector.jobs.ports import BuyerHistoryStore
from spconnector.memory import MemoryBuyerHistory
from tests.unit.contracts.conftest import ADAPTERS, TABLE

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ALIAS = "k2x9buyer@marketplace.amazon.com"


def _store(request: pytest.FixtureRequest, key: bytes | None) -> BuyerHistoryStore:
    if request.param == "memory":
        return MemoryBuyerHistory(key)
    return DynamoBuyerHistory(request.getfixturevalue("ddb"), TABLE, key)


@pytest.fixture(params=ADAPTERS)
def store(request: pytest.FixtureRequest) -> BuyerHistoryStore:
    return _store(request, b"deployment key")


@pytest.fixture(params=ADAPTERS)
def keyless(request: pytest.FixtureRequest) -> BuyerHistoryStore:
    return _store(request, None)


def test_orders_and_refunds_within_the_window_are_counted_once(store: BuyerHistoryStore) -> None:
    store.record_order("acme", ALIAS, "111-0000000-0000001", NOW - timedelta(days=3))
    store.record_order("acme", ALIAS, "111-0000000-0000001", NOW - timedelta(days=3))
    store.record_order("acme", ALIAS, "111-0000000-0000002", NOW - timedelta(days=400))
    store.record_refund("acme", ALIAS, "spc-1", Money.of("10.50", "USD"), NOW)
    store.record_refund("acme", ALIAS, "spc-1", Money.of("10.50", "USD"), NOW)
    store.record_refund("acme", ALIAS, "spc-2", Money.of("7", "EUR"), NOW)
    history = store.history("acme", ALIAS.upper(), NOW, "USD")
    assert (history.orders_365d, history.refunds_365d) == (1, 2)
    assert history.refund_amount_365d == Money.of("10.50", "USD")


def test_buyers_and_tenants_are_apart(store: BuyerHistoryStore) -> None:
    store.record_order("acme", ALIAS, "111-0000000-0000001", NOW)
    assert store.history("acme", "someone@marketplace.amazon.com", NOW, "USD").orders_365d == 0
    assert store.history("other", ALIAS, NOW, "USD").orders_365d == 0


def test_without_a_key_nothing_is_kept(keyless: BuyerHistoryStore) -> None:
    keyless.record_order("acme", ALIAS, "111-0000000-0000001", NOW)
    keyless.record_refund("acme", ALIAS, "spc-1", Money.of("10", "USD"), NOW)
    history = keyless.history("acme", ALIAS, NOW, "USD")
    assert (history.orders_365d, history.refunds_365d) == (0, 0)
