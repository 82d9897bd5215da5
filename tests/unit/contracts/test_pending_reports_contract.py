"""The PendingReports port: one entry per (tenant, report type), replaced and cleared."""

from __future__ import annotations

import pytest

from spconnector.aws.reports import DynamoPendingReports
from spconnector.jobs.ports import PendingReports
from spconnector.memory import MemoryPendingReports
from tests.unit.contracts.conftest import ADAPTERS, TABLE

RETURNS = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"


@pytest.fixture(params=ADAPTERS)
def pending(request: pytest.FixtureRequest) -> PendingReports:
    if request.param == "memory":
        return MemoryPendingReports()
    return DynamoPendingReports(request.getfixturevalue("ddb"), TABLE)


def test_put_get_replace_clear(pending: PendingReports) -> None:
    assert pending.get("acme", RETURNS) is None
    pending.put("acme", RETURNS, {"report_id": "r1", "start": "a", "end": "b"})
    pending.put("acme", RETURNS, {"report_id": "r2", "start": "b", "end": "c"})
    assert pending.get("acme", RETURNS) == {"report_id": "r2", "start": "b", "end": "c"}
    assert pending.get("other", RETURNS) is None
    assert pending.get("acme", "OTHER_REPORT") is None
    pending.clear("acme", RETURNS)
    pending.clear("acme", RETURNS)  # clearing nothing is fine
    assert pending.get("acme", RETURNS) is None


def test_what_get_returns_is_a_copy(pending: PendingReports) -> None:
    pending.put("acme", RETURNS, {"report_id": "r1"})
    got = pending.get("acme", RETURNS)
    assert got is not None
    got["report_id"] = "changed"
    assert pending.get("acme", RETURNS) == {"report_id": "r1"}
