"""The console's audit log: the DynamoDB adapter behaves as the in-memory fake does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spconnector.aws.audit import DynamoAuditLog
from spconnector.console.audit import AuditEntry, MemoryAuditLog, assignees
from tests.unit.aws.conftest import TABLE

T0 = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def _entry(n: int, *, tenant: str = "acme-us", case: str | None = "acme-us#order#1", **kw):
    defaults = {"by": "agent@agency.example", "action": "note", "detail": {"text": str(n)}}
    return AuditEntry(tenant=tenant, case_id=case, at=T0 + timedelta(minutes=n), **(defaults | kw))


@pytest.fixture(params=["memory", "dynamodb"])
def log(request):
    if request.param == "memory":
        return MemoryAuditLog()
    request.getfixturevalue("aws")
    return DynamoAuditLog(table=TABLE)


def test_entries_come_back_in_time_order_per_tenant_and_case(log) -> None:
    for n in (3, 1, 2):
        log.record(_entry(n))
    log.record(_entry(4, case="acme-us#order#2"))
    log.record(_entry(5, tenant="bolt-us", case="bolt-us#order#1"))
    assert [e.detail["text"] for e in log.for_tenant("acme-us")] == ["1", "2", "3", "4"]
    assert [e.detail["text"] for e in log.for_case("acme-us", "acme-us#order#1")] == ["1", "2", "3"]
    assert [e.tenant for e in log.for_tenant("bolt-us")] == ["bolt-us"]
    assert log.for_case("bolt-us", "acme-us#order#1") == []


def test_assignee_is_the_latest_reassignment(log) -> None:
    log.record(_entry(1, action="reassign", detail={"to": "sam"}))
    log.record(_entry(2, action="note", detail={"text": "x"}))
    log.record(_entry(3, action="reassign", detail={"to": "kim"}))
    found = log.for_tenant("acme-us", actions=("reassign",))
    assert [e.action for e in found] == ["reassign", "reassign"]
    assert assignees(found) == {"acme-us#order#1": "kim"}


def test_dynamo_refuses_a_bad_tenant_key(aws) -> None:
    with pytest.raises(ValueError):
        DynamoAuditLog(table=TABLE).for_tenant("ACME#case")
