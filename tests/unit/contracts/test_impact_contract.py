"""The ImpactStore port: snapshots oldest first per tenant, the seen-feedback set replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spconnector.aws.clients import resource
from spconnector.aws.impact import DynamoImpactStore
from spconnector.impact.synthetic import synthetic_records, synthetic_snapshots
from spconnector.jobs.ports import ImpactStore
from spconnector.memory import MemoryImpactStore
from tests.unit.contracts.conftest import ADAPTERS, TABLE

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(params=ADAPTERS)
def store(request: pytest.FixtureRequest) -> ImpactStore:
    if request.param == "memory":
        return MemoryImpactStore()
    return DynamoImpactStore(
        request.getfixturevalue("ddb"),
        TABLE,
        table_resource=lambda: resource("dynamodb").Table(TABLE),
        clock=lambda: NOW,
    )


def test_snapshots_come_back_oldest_first_per_tenant(store: ImpactStore) -> None:
    snapshots = list(synthetic_snapshots(days=3))
    assert len({s.tenant for s in snapshots}) == 1
    tenant = snapshots[0].tenant
    for snapshot in reversed(snapshots):
        store.put_snapshot(snapshot)
    assert store.snapshots(tenant) == sorted(snapshots, key=lambda s: s.taken_at)
    assert store.snapshots("nobody") == []


def test_the_seen_feedback_set_is_replaced(store: ImpactStore) -> None:
    assert store.seen_feedback("acme") == frozenset()
    store.mark_seen("acme", frozenset({"a", "b"}))
    store.mark_seen("acme", frozenset({"b", "c"}))
    assert store.seen_feedback("acme") == frozenset({"b", "c"})
    assert store.seen_feedback("other") == frozenset()


def test_the_ledger_keeps_records_per_tenant(store: ImpactStore) -> None:
    records = list(synthetic_records(5))
    for record in records:
        store.ledger.put(record)
    tenant = records[0].tenant
    since, until = NOW - timedelta(days=700), NOW + timedelta(days=400)
    kept = list(store.ledger.iter_records(tenant, since=since, until=until))
    assert [r.key for r in kept] == [r.key for r in sorted(records, key=lambda r: r.decided_at)]
    assert list(store.ledger.iter_records("nobody", since=since, until=until)) == []
