"""Buyer PII expires 30 days after delivery: a message received days after its order was
delivered carries 30 days from receipt until ProcessCase learns the delivery date, then 30
days from delivery — never later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from spconnector.aws.clients import client
from spconnector.aws.retention import ANSWER_GRACE, PII_RETENTION, ttl_after_delivery
from spconnector.aws.table import TTL_ATTRIBUTE, table_name
from spconnector.jobs.process_case import process_case_event

from .conftest import JobsEnv, ingest


def _expiries(case_id: str, tenant: str) -> dict[str, int]:
    ddb = client("dynamodb")
    pk = f"{tenant}#case#{case_id}"
    items = ddb.query(
        TableName=table_name(),
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
    )["Items"]
    return {
        i["sk"]["S"]: int(i[TTL_ATTRIBUTE]["N"])
        for i in items
        if i["sk"]["S"].startswith(("msg#", "ret#")) and TTL_ATTRIBUTE in i
    }


def test_pii_expires_thirty_days_after_delivery_not_after_receipt(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=60)
    case_id, events = ingest(jobs_env, order.order_id, "The item arrived broken.")
    received_expiry = _expiries(case_id, jobs_env.tid)
    assert received_expiry

    for event in events:
        process_case_event(jobs_env.services, event)

    # the delivery date as Amazon reports it to ProcessCase
    delivered = jobs_env.services.sp(jobs_env.tenant).get_order(order.order_id).delivered_at
    assert delivered is not None
    by_delivery = int((delivered + PII_RETENTION).timestamp())
    after = _expiries(case_id, jobs_env.tid)
    now = jobs_env.services.now()
    # the case the audit found: delivered days before the buyer wrote, window still open
    assert by_delivery < min(received_expiry.values())
    assert by_delivery > int((now + ANSWER_GRACE).timestamp())
    assert after == dict.fromkeys(received_expiry, by_delivery)


def test_a_message_after_the_retention_window_is_kept_only_to_answer_it() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    long_ago = now - timedelta(days=90)
    assert ttl_after_delivery(long_ago, now) == int((now + ANSWER_GRACE).timestamp())
    recent = now - timedelta(days=2)
    assert ttl_after_delivery(recent, now) == int((recent + PII_RETENTION).timestamp())
