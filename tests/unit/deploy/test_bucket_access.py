"""The data bucket, per function: every S3 call the code really makes (recorded at botocore's
one entry point while the real adapters run against moto) must be granted by the function's
role in template.yaml, and the objects a function has no business with must not be.

A missing grant only shows as AccessDenied in a deployed Lambda — for the knowledge base it
did not even show: jobs/knowledge.py swallows the error and answers without the KB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import boto3
import pytest
from moto import mock_aws

from spconnector.aws.blobs import RawMailStore
from spconnector.aws.kb_store import S3KbStore
from spconnector.aws.wiring import S3ReportPages
from tests.table_access import botocore_calls
from tests.unit.deploy.test_stack_permissions import BUCKET, REGION, allowed

AT = datetime(2026, 11, 17, 9, 12, tzinfo=UTC)
TABLE = "spconnector-test"
# S3 operations → the IAM actions they are authorised as (HeadObject needs s3:GetObject;
# a PutObject carrying Tagging needs s3:PutObjectTagging as well).
_READS = {"GetObject", "HeadObject"}


def _actions(operation: str, params: dict[str, Any]) -> list[str]:
    if operation in _READS:
        return ["s3:GetObject"]
    if operation == "PutObject":
        return ["s3:PutObject", *(["s3:PutObjectTagging"] if "Tagging" in params else [])]
    return [f"s3:{operation}"]


@contextmanager
def recording(seen: list[tuple[str, str]]) -> Iterator[None]:
    """(IAM action, object ARN) of every S3 object call made meanwhile."""

    def on_call(service: str, operation: str, params: dict[str, Any]) -> None:
        if service == "s3" and "Key" in params:
            arn = f"arn:aws:s3:::{params['Bucket']}/{params['Key']}"
            seen.extend((action, arn) for action in _actions(operation, params))

    with botocore_calls(on_call):
        yield


def _world() -> tuple[Any, Any]:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    ddb = boto3.client("dynamodb", region_name=REGION)
    ddb.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
    )
    return s3, ddb


def _read_kb(s3: Any, ddb: Any) -> None:
    # jobs/knowledge.kb_index_for: the current version, then its text
    store = S3KbStore(table=TABLE, bucket=BUCKET, ddb=ddb, s3=s3)
    current = store.current("acme")
    assert current is not None
    assert store.text(current)


def _ingest_mail(s3: Any, _ddb: Any) -> None:
    # jobs/ingest: the raw mail SES stored, then the tenant's copy, attachments, quarantine
    store = RawMailStore(BUCKET, client=s3)
    assert store.read_inbound(BUCKET, "inbound/abc123") == b"raw"
    _store_mail(store)


def _poll_mail(s3: Any, _ddb: Any) -> None:
    _store_mail(RawMailStore(BUCKET, client=s3))


def _store_mail(store: RawMailStore) -> None:
    store.put_mail("acme", b"raw", message_id="<m1@x>", received_at=AT)
    store.put_attachment(
        "acme", message_id="<m1@x>", index=0, data=b"png", content_type="image/png", received_at=AT
    )
    store.quarantine("acme", b"bad", reason="r", source="s", received_at=AT)
    store.quarantine("unassigned", b"bad", reason="r", source="s", received_at=AT)


def _tenant_work(s3: Any, ddb: Any) -> None:
    # poll_returns quarantines a report it cannot parse; the daily report page
    # (jobs/impact_report.run: reports/<tenant>/<date>.html); a feedback follow-up on an
    # educated case grounds its reply in the KB (jobs/follow_up → act.send_reply)
    RawMailStore(BUCKET, client=s3).quarantine(
        "acme", b"report", reason="r", source="s", received_at=AT
    )
    S3ReportPages(BUCKET).put(f"reports/acme/{AT:%Y-%m-%d}.html", b"<html/>", "text/html")
    _read_kb(s3, ddb)


def _calls(run: Callable[[Any, Any], None]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    with mock_aws():
        s3, ddb = _world()
        # what no function writes: SES inbound's raw mail, an operator's `spconnector kb push`
        s3.put_object(Bucket=BUCKET, Key="inbound/abc123", Body=b"raw")
        kb = resources.files("spconnector.kb").joinpath("demo.yaml").read_text()
        S3KbStore(table=TABLE, bucket=BUCKET, ddb=ddb, s3=s3).push("acme", kb)
        with recording(seen):
            run(s3, ddb)
    return seen


USES: dict[str, Callable[[Any, Any], None]] = {
    "IngestEmailFunction": _ingest_mail,
    "PollMailboxFunction": _poll_mail,
    "ProcessCaseFunction": _read_kb,
    "ActFunction": _read_kb,
    "ConsoleFunction": _read_kb,
    "TenantWorkerFunction": _tenant_work,
}


@pytest.mark.parametrize("function", sorted(USES))
def test_each_function_may_make_the_s3_calls_its_code_makes(function: str) -> None:
    calls = _calls(USES[function])
    assert calls, "nothing recorded: the test would prove nothing"
    refused = [(action, arn) for action, arn in calls if not allowed(function, action, arn)]
    assert not refused, f"{function}'s role refuses {refused}"


def _object(key: str) -> str:
    return f"arn:aws:s3:::{BUCKET}/{key}"


MAIL = _object("tenants/acme/mail/2026/11/17/0123456789abcdef.eml")
ATTACHMENT = _object("tenants/acme/mail/2026/11/17/0123456789abcdef/att-0.png")
QUARANTINE = _object("tenants/acme/quarantine/2026/11/17/0123.bin")
KB = _object("tenants/acme/kb/0123.yaml")
INBOUND = _object("inbound/abc123")
REPORT = _object("reports/acme/2026-11-17.html")


@pytest.mark.parametrize("function", ["ProcessCaseFunction", "ActFunction", "ConsoleFunction"])
def test_kb_readers_read_the_kb_and_nothing_else(function: str) -> None:
    assert allowed(function, "s3:GetObject", KB)
    for other in (MAIL, ATTACHMENT, QUARANTINE, INBOUND, REPORT):
        assert not allowed(function, "s3:GetObject", other), other
    for write in ("s3:PutObject", "s3:DeleteObject"):
        assert not allowed(function, write, KB), write


def test_tenant_worker_writes_quarantine_and_reports_and_reads_only_the_kb() -> None:
    worker = "TenantWorkerFunction"
    assert allowed(worker, "s3:PutObject", QUARANTINE)
    assert allowed(worker, "s3:PutObject", REPORT)
    assert allowed(worker, "s3:GetObject", KB)
    for mail in (MAIL, ATTACHMENT, INBOUND):
        assert not allowed(worker, "s3:GetObject", mail), mail
        assert not allowed(worker, "s3:PutObject", mail), mail
    for anything in (MAIL, QUARANTINE, KB, REPORT):
        assert not allowed(worker, "s3:DeleteObject", anything), anything
    assert not allowed(worker, "s3:PutObject", KB)  # an operator pushes the KB
    assert not allowed(worker, "s3:ListBucket", f"arn:aws:s3:::{BUCKET}")


@pytest.mark.parametrize("function", ["IngestEmailFunction", "PollMailboxFunction"])
def test_mail_parsers_write_mail_and_quarantine_and_read_back_nothing_stored(
    function: str,
) -> None:
    # they parse untrusted mail: no KB, report or other mail to read, overwrite or delete
    for key in (MAIL, ATTACHMENT, QUARANTINE):
        assert allowed(function, "s3:PutObject", key), key
        assert not allowed(function, "s3:GetObject", key), key
        assert not allowed(function, "s3:DeleteObject", key), key
    for other in (KB, REPORT, INBOUND):
        assert not allowed(function, "s3:PutObject", other), other
    assert not allowed(function, "s3:GetObject", KB)
    assert not allowed(function, "s3:GetObject", REPORT)
    assert not allowed(function, "s3:ListBucket", f"arn:aws:s3:::{BUCKET}")
    # only what SES stored is read, and only by IngestEmail
    assert allowed(function, "s3:GetObject", INBOUND) == (function == "IngestEmailFunction")
