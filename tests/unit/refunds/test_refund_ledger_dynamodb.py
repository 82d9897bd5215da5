"""The DynamoDB ledger under moto: the same conditional semantics as the in-memory one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial

import boto3
import pytest
from moto import mock_aws

from spconnector.aws.refund_ledger import DynamoRefundLedger
from spconnector.aws.table import create_table
from spconnector.refunds.ledger_memory import MemoryRefundLedger
from spconnector.refunds.model import BatchMember, BatchStatus, RefundBatch, RefundState
from spconnector.refunds.ports import RefundLedger
from tests.unit.refunds.chaos import run_once
from tests.unit.refunds.support import MARKET, TENANT, proposed, world

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def dynamo() -> Iterator[object]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_table(client, "spc-test")
        yield client


@pytest.fixture(params=["memory", "dynamodb"])
def ledger(request: pytest.FixtureRequest, dynamo: object) -> RefundLedger:
    if request.param == "memory":
        return MemoryRefundLedger()
    return DynamoRefundLedger(dynamo, "spc-test")


def test_create_is_conditional_and_replace_is_compare_and_set(ledger: RefundLedger) -> None:
    ports, _, clock = world(ledger=ledger)
    refund = proposed(ports, 1)
    assert ledger.create_refund(refund) is False  # the key exists: nothing written
    approved = refund.advance(RefundState.APPROVED, clock.now())
    stored = ledger.replace_refund(approved, expected_version=0)
    assert stored is not None and stored.version == 1
    assert ledger.replace_refund(approved, expected_version=0) is None  # lost the race
    assert ledger.get_refund(*refund.key) == stored
    assert [r.key for r in ledger.refunds_in_state(TENANT, MARKET, RefundState.APPROVED)] == [
        refund.key
    ]
    assert ledger.refunds_in_state(TENANT, MARKET, RefundState.PROPOSED) == []


def test_batches_open_and_feed_owner(ledger: RefundLedger) -> None:
    batch = RefundBatch(
        tenant=TENANT,
        marketplace_id=MARKET,
        batch_id="20261123T090000000000-aa",
        members=(
            BatchMember(amazon_order_id="113-0000001-0000007", adjustment_id="a", message_id=1),
        ),
        marked_at=NOW,
        owner="w1",
    )
    assert ledger.create_batch(batch) and not ledger.create_batch(batch)
    assert [b.batch_id for b in ledger.open_batches(TENANT, MARKET)] == [batch.batch_id]
    done = ledger.replace_batch(batch.model_copy(update={"status": BatchStatus.DONE}), 0)
    assert done is not None and ledger.open_batches(TENANT, MARKET) == []
    assert ledger.feed_owner(TENANT, "51") is None
    ledger.record_feed(TENANT, "51", batch.batch_id)
    ledger.record_feed(TENANT, "51", "another")  # first writer wins
    assert ledger.feed_owner(TENANT, "51") == batch.batch_id


def test_lease_excludes_others_until_it_expires(ledger: RefundLedger) -> None:
    assert ledger.acquire_lease(TENANT, MARKET, "w1", NOW, 300)
    assert not ledger.acquire_lease(TENANT, MARKET, "w2", NOW + timedelta(seconds=299), 300)
    assert ledger.holds_lease(TENANT, MARKET, "w1", NOW, 60)
    assert not ledger.holds_lease(TENANT, MARKET, "w1", NOW + timedelta(seconds=250), 60)
    assert ledger.acquire_lease(TENANT, MARKET, "w2", NOW + timedelta(seconds=301), 300)
    ledger.release_lease(TENANT, MARKET, "w1")  # not the holder: no effect
    assert not ledger.acquire_lease(TENANT, MARKET, "w1", NOW + timedelta(seconds=302), 300)
    ledger.release_lease(TENANT, MARKET, "w2")
    assert ledger.acquire_lease(TENANT, MARKET, "w1", NOW + timedelta(seconds=302), 300)


def test_chaos_runs_against_the_dynamodb_ledger(dynamo: object) -> None:
    problems: list[str] = []
    for seed in range(6):
        table = f"spc-chaos-{seed}"
        create_table(dynamo, table)
        outcome = run_once(seed, partial(DynamoRefundLedger, dynamo, table), threads=False)
        problems.extend(f"seed {seed}: {p}" for p in outcome.problems)
    assert not problems, "\n".join(problems[:20])


ORDER = "113-0000001-0000007"


def test_an_order_has_one_claim_taken_once(ledger: RefundLedger) -> None:
    from spconnector.domain.money import Money

    assert ledger.order_claim(TENANT, ORDER) is None
    assert ledger.claim_order(TENANT, ORDER, "spc-a") is None
    assert ledger.claim_order(TENANT, ORDER, "spc-a") is None  # the same refund again
    taken = ledger.claim_order(TENANT, ORDER, "spc-b")
    assert taken is not None and taken.holder == "spc-a"
    ledger.release_order(TENANT, ORDER, "spc-b")  # not the holder: nothing changes
    assert ledger.claim_order(TENANT, ORDER, "spc-b") is not None
    ledger.release_order(TENANT, ORDER, "spc-a")  # its refund moved no money
    assert ledger.claim_order(TENANT, ORDER, "spc-b") is None

    ledger.mark_external_refund(TENANT, ORDER, Money.of("12.50", "USD"), "seller-central")
    refused = ledger.claim_order(TENANT, ORDER, "spc-b")  # even for the holder
    assert refused is not None and "seller-central" in refused.describe()
    ledger.release_order(TENANT, ORDER, "spc-b")
    assert ledger.claim_order(TENANT, ORDER, "spc-c") is not None  # refunded elsewhere: never
    other = "113-0000002-0000007"
    ledger.mark_external_refund(TENANT, other, Money.of("1", "USD"), "amazon-notice")
    assert ledger.claim_order(TENANT, other, "spc-d") is not None
