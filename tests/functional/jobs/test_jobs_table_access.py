"""What IngestEmail really reads and writes in the table, against what its role allows:
template.yaml gives it dynamodb:LeadingKeys conditions, and this runs the job (as the Lambda
does) recording every partition key it touches, each of which must be allowed — and the
refund ledger's keys must not be (a function that parses untrusted mail cannot write refunds).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

import pytest

from spconnector.aws.clients import client
from spconnector.jobs.ingest import ingest_s3_object
from tests.unit.deploy.test_stack_permissions import table_access

from .conftest import JobsEnv, recent, relay_mail

_PARTITION = re.compile(r"(#?\w+)\s*=\s*(:\w+)")


def _partition_keys(params: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for holder in ("Key", "Item"):
        if holder in params and "pk" in params[holder]:
            keys.append(params[holder]["pk"]["S"])
    if "KeyConditionExpression" in params:
        match = _PARTITION.search(params["KeyConditionExpression"])
        assert match is not None
        keys.append(params["ExpressionAttributeValues"][match.group(2)]["S"])
    for item in params.get("TransactItems", []):
        for body in item.values():
            keys.extend(_partition_keys(body))
    for request in params.get("RequestItems", {}).values():
        for entry in request if isinstance(request, list) else request.get("Keys", []):
            keys.extend(_partition_keys(entry.get("PutRequest", entry)))
    return keys


@pytest.fixture
def touched(jobs_env: JobsEnv) -> Iterator[list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        seen.extend((model.name, key) for key in _partition_keys(params))

    ddb = client("dynamodb")
    ddb.meta.events.register("provide-client-params.dynamodb.*", record)
    try:
        yield seen
    finally:
        ddb.meta.events.unregister("provide-client-params.dynamodb.*", record)


def test_ingest_email_touches_only_keys_its_role_allows(
    jobs_env: JobsEnv, touched: list[tuple[str, str]]
) -> None:
    order = jobs_env.order(channel="MFN", max_total=60)
    raw = relay_mail(order.order_id, "It arrived broken.", received_at=recent(jobs_env))
    s3 = client("s3")
    key = f"inbound/{jobs_env.tid}/table-access-01.eml"
    s3.put_object(Bucket=jobs_env.env.bucket, Key=key, Body=raw)

    outcome = ingest_s3_object(jobs_env.services, jobs_env.env.bucket, key)

    assert outcome.status == "ingested", outcome
    assert touched, "nothing recorded: the test would prove nothing"
    actions, patterns = table_access("IngestEmailFunction")
    for operation, partition in touched:
        assert f"dynamodb:{operation}" in actions, operation
        assert any(fnmatch.fnmatchcase(partition, p) for p in patterns), partition
    refund_keys = [
        f"{jobs_env.tid}#refund#{order.order_id}",
        f"{jobs_env.tid}#refundbatch#ATVPDKIKX0DER",
        f"{jobs_env.tid}#refundfeed#1",
        f"{jobs_env.tid}#spend#USD",
        f"{jobs_env.tid}#idempotency#act",
        "idempotency#act",
    ]
    for forbidden in refund_keys:
        assert not any(fnmatch.fnmatchcase(forbidden, p) for p in patterns), forbidden
