from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from spconnector.aws.table import create_table
from spconnector.domain.enums import Action
from spconnector.impact.aggregate import summarize
from spconnector.impact.ledger import DynamoLedgerStore, record_decision, record_outcome
from tests.unit.impact.records import T0, record


@pytest.fixture
def store() -> Iterator[DynamoLedgerStore]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        name = create_table(client, "spconnector-test")
        table = boto3.resource("dynamodb", region_name="us-east-1").Table(name)
        yield DynamoLedgerStore(table, clock=lambda: datetime(2027, 1, 15, tzinfo=UTC))


def test_items_are_keyed_by_tenant_and_month_and_hold_no_expiry() -> None:
    item = DynamoLedgerStore.item_for(record("113-1", Action.EDUCATE))
    assert item["pk"] == "acme#impact#2026-11"
    assert item["sk"].startswith("2026-11-01T09:00:00+00:00#acme#order#113-1#educate")
    assert item["gsi1pk"] == "acme#impact-order#113-1"
    assert "expires_at" not in item


def test_records_round_trip_across_months_and_stream_in_order(store: DynamoLedgerStore) -> None:
    days = [0, 20, 35, 50, 70]  # November 2026 into January 2027
    for i, day in enumerate(days):
        record_decision(
            store, record(f"113-{i}", Action.REFUND_WITHOUT_RETURN, refund="9.99", day=day)
        )
    record_decision(store, record("113-x", Action.EDUCATE, tenant="other"))
    got = list(store.iter_records("acme"))
    assert [r.amazon_order_id for r in got] == [f"113-{i}" for i in range(len(days))]
    assert got[0].refund is not None and str(got[0].refund) == "9.99 USD"
    window = list(
        store.iter_records("acme", since=T0 + timedelta(days=30), until=T0 + timedelta(days=60))
    )
    assert [r.amazon_order_id for r in window] == ["113-2", "113-3"]
    assert [r.tenant for r in store.iter_records("other")] == ["other"]


def test_outcome_updates_the_stored_records_of_that_order(store: DynamoLedgerStore) -> None:
    record_decision(store, record("113-1", Action.REQUEST_INFO, day=0))
    record_decision(store, record("113-1", Action.REFUND_WITHOUT_RETURN, refund="5.00", day=1))
    record_decision(store, record("113-2", Action.DECLINE, day=1))
    updated = record_outcome(store, "acme", "113-1", 1, T0 + timedelta(days=4))
    assert len(updated) == 2
    again = record_outcome(store, "acme", "113-1", 1, T0 + timedelta(days=4))
    assert again == updated  # idempotent
    summary = summarize(store.iter_records("acme"), baseline_rate=0.5)
    negatives = {g.key: g.negatives for g in summary.by_action}
    assert negatives == {"decline": 0, "refund_without_return": 1, "request_info": 1}
    assert len(list(store.iter_records("acme"))) == 3


def test_order_lookup_finds_every_record_of_a_busy_order(store: DynamoLedgerStore) -> None:
    for i in range(120):
        record_decision(
            store,
            record("113-busy", Action.ACKNOWLEDGE, day=i % 40).model_copy(
                update={"decided_at": T0 + timedelta(days=i % 40, seconds=i)}
            ),
        )
    assert len(store.records_for_order("acme", "113-busy")) == 120
