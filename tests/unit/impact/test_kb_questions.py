"""The impact summary counts product questions answered from the knowledge base, and the
share answered (not merely acknowledged) within an hour."""

from __future__ import annotations

from datetime import UTC, datetime

from spconnector.domain import Action, Intent
from spconnector.impact.aggregate import LedgerAggregator
from spconnector.impact.ledger import ImpactRecord


def _record(n: int, knowledge: str | None, seconds: float | None) -> ImpactRecord:
    return ImpactRecord(
        tenant="acme",
        case_id=f"acme#order#{n}",
        amazon_order_id=None,
        decided_at=datetime(2026, 11, 20, 9, n, tzinfo=UTC),
        action=Action.ACKNOWLEDGE,
        intent=Intent.PRODUCT_QUESTION,
        policy_version="sha256:abc",
        first_response_seconds=seconds,
        knowledge=knowledge,  # type: ignore[arg-type]
    )


def test_questions_answered_from_the_kb_within_an_hour() -> None:
    records = [
        _record(1, "answered", 120.0),  # answered from the KB in 2 minutes
        _record(2, "answered", 7200.0),  # answered from the KB, but after two hours
        _record(3, "handed_over", 60.0),  # a holding reply in a minute is not an answer
        _record(4, None, None),  # not answered yet
    ]
    sla = LedgerAggregator().add_all(records).summary().sla
    assert (sla.questions, sla.questions_answered_from_kb) == (4, 2)
    assert sla.share_questions_answered_within_hour == 0.25
