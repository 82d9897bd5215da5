"""moto's in-process backends are not thread-safe; the embedded default makes each request
atomic, as DynamoDB is. These tests use boto3 and moto only (no job code): the races are
moto's own, and bench/fanout.py hit the first one ("dictionary changed size during iteration"
in moto/dynamodb/models/table.py all_items, under a GSI query)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from spconnector.local.embedded import moto_one_request_at_a_time

THREADS = 4


@pytest.fixture
def table() -> Iterator[Any]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show at once
    try:
        with mock_aws(), moto_one_request_at_a_time():
            ddb = boto3.client("dynamodb", region_name="us-east-1")
            ddb.create_table(
                TableName="t",
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[
                    {"AttributeName": name, "AttributeType": "S"}
                    for name in ("pk", "sk", "gsi1pk", "gsi1sk")
                ],
                KeySchema=[
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                GlobalSecondaryIndexes=[
                    {
                        "IndexName": "gsi1",
                        "KeySchema": [
                            {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                            {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                        ],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                ],
            )
            # one call before the threads: botocore builds some of its structures lazily on
            # first use, and that first-use path is not what these tests are about
            ddb.put_item(TableName="t", Item={"pk": {"S": "warm"}, "sk": {"S": "x"}})
            yield ddb
    finally:
        sys.setswitchinterval(old)


def _together(work: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(n: int) -> None:
        try:
            start.wait(timeout=60)
            work(n)
        except BaseException as exc:  # collected: the test reports them, not the thread
            errors.append(exc)
            start.abort()  # never leave the others waiting for a thread that has gone

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_gsi_queries_while_new_partitions_are_written(table: Any) -> None:
    """What refund_spend's GSI queries met in the bench: other tenants' first writes."""
    for n in range(300):
        table.put_item(TableName="t", Item={"pk": {"S": f"seed{n}"}, "sk": {"S": "x"}})

    def work(n: int) -> None:
        for i in range(60):
            if n % 2:
                table.put_item(TableName="t", Item={"pk": {"S": f"w{n}-{i}"}, "sk": {"S": "x"}})
            else:
                table.query(
                    TableName="t",
                    IndexName="gsi1",
                    KeyConditionExpression="gsi1pk = :p",
                    ExpressionAttributeValues={":p": {"S": "tenant#refund#approved"}},
                )

    assert _together(work) == []


def test_a_conditional_put_has_one_winner(table: Any) -> None:
    """The refund ledger's exactly-once rests on this; unserialized, moto lets two win."""
    winners: dict[str, int] = {}
    lock = threading.Lock()
    rounds = threading.Barrier(THREADS)

    def work(n: int) -> None:
        for k in range(150):
            try:
                rounds.wait(timeout=60)
            except threading.BrokenBarrierError:
                return  # another thread failed: its error is the one reported
            try:
                table.put_item(
                    TableName="t",
                    Item={"pk": {"S": f"refund{k}"}, "sk": {"S": "x"}, "by": {"S": str(n)}},
                    ConditionExpression="attribute_not_exists(pk)",
                )
            except ClientError as exc:
                # by code, as the product does: botocore builds `client.exceptions` classes
                # lazily, and racing threads can get different class objects for one error
                if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    continue
                rounds.abort()
                raise
            except BaseException:
                rounds.abort()
                raise
            with lock:
                winners[f"refund{k}"] = winners.get(f"refund{k}", 0) + 1

    assert _together(work) == []
    assert winners == {f"refund{k}": 1 for k in range(150)}
