"""What the functions the demo does not run (tests/e2e/test_table_access.py covers the rest)
really read and write in the table, against what their roles allow: template.yaml bounds each
with dynamodb:LeadingKeys conditions, and these run the jobs (as the Lambdas do) recording
every partition key touched, each of which must be allowed — and the refund ledger's keys must
not be for a function that parses untrusted mail or only routes notifications.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

import pytest

from spconnector.aws.clients import client
from spconnector.jobs import sla_watch
from spconnector.jobs.fanout import fan_out
from spconnector.jobs.ingest import ingest_s3_object
from spconnector.jobs.notifications import handle_notification
from tests.table_access import grants, permits, recording

from .conftest import JobsEnv, ingest, recent, relay_mail

REFUND_KEYS = (
    "{tid}#refund#{order}",
    "{tid}#refundclaim#{order}",
    "{tid}#refundbatch#ATVPDKIKX0DER",
    "{tid}#refundfeed#1",
    "{tid}#spend#USD",
    "{tid}#idempotency#act",
    "idempotency#act",
)


@pytest.fixture
def touched() -> Iterator[list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    with recording(lambda action, key: seen.append((action, key))):
        yield seen


def _assert_allowed(function: str, touched: list[tuple[str, str]]) -> None:
    assert touched, "nothing recorded: the test would prove nothing"
    refused = [(a, k) for a, k in touched if not permits(function, a, k)]
    assert not refused, f"{function}'s role refuses {refused[:10]}"


def _may_write(function: str, key: str) -> bool:
    return any(
        fnmatch.fnmatchcase(key, p)
        for actions, patterns in grants(function)
        if actions & {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
        for p in patterns
    )


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
    _assert_allowed("IngestEmailFunction", touched)
    for forbidden in REFUND_KEYS:
        key = forbidden.format(tid=jobs_env.tid, order=order.order_id)
        assert not _may_write("IngestEmailFunction", key), key
        assert not permits("IngestEmailFunction", "GetItem", key), key


def test_notifications_only_read_the_registry_and_cases(
    jobs_env: JobsEnv, touched: list[tuple[str, str]]
) -> None:
    order = jobs_env.order(channel="MFN")
    ingest(jobs_env, order.order_id, "Do you have this in blue?")
    touched.clear()
    change = {
        "notificationType": "ORDER_CHANGE",
        "payload": {
            "OrderChangeNotification": {
                "SellerId": jobs_env.tenant.seller_id,
                "AmazonOrderId": order.order_id,
            }
        },
    }
    finished = {
        "notificationType": "FEED_PROCESSING_FINISHED",
        "payload": {"feedProcessingFinishedNotification": {"sellerId": jobs_env.tenant.seller_id}},
    }

    assert handle_notification(jobs_env.services, change)["status"] == "case_event"
    assert handle_notification(jobs_env.services, finished)["status"] == "enqueued"

    _assert_allowed("NotificationsFunction", touched)
    assert not any(
        _may_write("NotificationsFunction", f"{jobs_env.tid}#{family}#x")
        for family in ("case", "refund", "outbox", "spend", "buyer", "idempotency")
    )
    jobs_env.drain("case-events")
    jobs_env.drain("tenant-work")


def test_the_scheduler_only_lists_tenants(
    jobs_env: JobsEnv, touched: list[tuple[str, str]]
) -> None:
    assert fan_out(jobs_env.services, "sla_watch").enqueued
    _assert_allowed("SchedulerFunction", touched)
    jobs_env.drain("tenant-work")


def test_the_sla_watch_touches_only_keys_the_tenant_worker_may(
    jobs_env: JobsEnv, touched: list[tuple[str, str]]
) -> None:
    order = jobs_env.order(channel="MFN")
    ingest(jobs_env, order.order_id, "Where is my parcel?")
    touched.clear()

    sla_watch.run(jobs_env.services, jobs_env.tenant, jobs_env.now())

    _assert_allowed("TenantWorkerFunction", touched)
    assert not _may_write("TenantWorkerFunction", "idempotency#act")
    assert not _may_write("TenantWorkerFunction", f"{jobs_env.tid}#idempotency#act")
