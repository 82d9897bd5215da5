"""The ApprovalRecords port: one verdict per (case, decision), the first one stands."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spconnector.aws.approvals import DynamoApprovalRecords
from spconnector.domain.approval import ApprovalVerdict
from spconnector.jobs.ports import ApprovalRecords
from spconnector.memory import MemoryApprovalRecords
from tests.unit.contracts.conftest import ADAPTERS, TABLE, run_together

CASE = "acme#order#111-0000000-0000001"
AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(params=ADAPTERS)
def approvals(request: pytest.FixtureRequest) -> ApprovalRecords:
    if request.param == "memory":
        return MemoryApprovalRecords()
    return DynamoApprovalRecords(request.getfixturevalue("ddb"), TABLE)


def test_the_first_verdict_stands(approvals: ApprovalRecords) -> None:
    assert approvals.record("acme", CASE, 1, "approved", by="ann", reason=None, at=AT) is None
    again = approvals.record("acme", CASE, 1, "approved", by="ann", reason=None, at=AT)
    assert again == "approved"
    assert approvals.record("acme", CASE, 1, "denied", by="bob", reason="no", at=AT) == "approved"


def test_each_decision_has_its_own_verdict(approvals: ApprovalRecords) -> None:
    assert approvals.record("acme", CASE, 1, "denied", by="ann", reason="late", at=AT) is None
    assert approvals.record("acme", CASE, 2, "approved", by="ann", reason=None, at=AT) is None


def test_of_concurrent_verdicts_one_is_written(approvals: ApprovalRecords) -> None:
    verdicts = ["approved", "denied"] * 3
    results = run_together(
        6,
        lambda i: approvals.record("acme", CASE, 1, verdicts[i], by=f"p{i}", reason="r", at=AT),
    )
    assert results.count(None) == 1
    winner = verdicts[results.index(None)]
    assert all(r == winner for r in results if r is not None)


def test_verdicts_reads_back_what_stands_per_decision(approvals: ApprovalRecords) -> None:
    assert approvals.verdicts("acme", CASE) == []
    approvals.record("acme", CASE, 2, "denied", by="bob", reason="too late", at=AT)
    approvals.record("acme", CASE, 1, "approved", by="ann", reason=None, at=AT)
    approvals.record("acme", CASE, 1, "denied", by="eve", reason="overruled?", at=AT)
    approvals.record(
        "acme", "acme#order#111-0000000-0000002", 1, "denied", by="x", reason="r", at=AT
    )
    approvals.record("other", CASE, 3, "approved", by="y", reason=None, at=AT)
    assert approvals.verdicts("acme", CASE) == [
        ApprovalVerdict(seq=1, verdict="approved", by="ann", at=AT, reason=None),
        ApprovalVerdict(seq=2, verdict="denied", by="bob", at=AT, reason="too late"),
    ]
