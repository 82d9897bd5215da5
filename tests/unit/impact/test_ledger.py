from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from spconnector.domain.case import Case
from spconnector.domain.decision import Decision
from spconnector.domain.enums import Action, Intent, Priority
from spconnector.domain.models import RefundSpec
from spconnector.domain.money import Money
from spconnector.impact.feedback import FeedbackEntry
from spconnector.impact.ledger import (
    ImpactRecord,
    InMemoryLedgerStore,
    LedgerFileError,
    read_jsonl,
    record_decision,
    record_feedback_entries,
    record_outcome,
    write_jsonl,
)
from tests.unit.impact.records import T0, record

OPENED = datetime(2026, 11, 2, 8, tzinfo=UTC)


def _case(order: str = "113-1234567-1234567") -> Case:
    return Case(
        tenant="acme",
        case_id=f"acme#order#{order}",
        amazon_order_id=order,
        opened_at=OPENED,
        respond_by=OPENED + timedelta(hours=12),
        intents=(Intent.DEFECTIVE,),
    )


def _decision(action: Action = Action.REFUND_WITHOUT_RETURN) -> Decision:
    return Decision(
        action=action,
        refund=RefundSpec(amount=Decimal("24.99"), currency="USD", requires_return=False)
        if action.moves_money
        else None,
        ask_for_photos=False,
        reply_template=str(action),
        priority=Priority.NORMAL,
        respond_by=OPENED + timedelta(hours=12),
        needs_approval=False,
        rules=("low_value",),
        guards=(),
        explanation="low value, defective",
        policy_version="2026-11-01",
        decided_at=OPENED + timedelta(minutes=5),
    )


def test_record_from_decision_measures_response_against_sla_and_24h() -> None:
    rec = ImpactRecord.from_decision(
        _decision(),
        _case(),
        first_response_at=OPENED + timedelta(hours=13),
        goods_kept=Money.of("8.10", "USD"),
    )
    assert rec.action is Action.REFUND_WITHOUT_RETURN and rec.intent is Intent.DEFECTIVE
    assert rec.refund == Money.of("24.99", "USD") and rec.goods_kept == Money.of("8.10", "USD")
    assert rec.first_response_seconds == 13 * 3600
    assert rec.met_respond_by is False and rec.within_24h is True
    assert rec.policy_version == "2026-11-01"
    unanswered = ImpactRecord.from_decision(_decision(Action.EDUCATE), _case())
    assert unanswered.first_response_seconds is None and unanswered.met_respond_by is None
    assert unanswered.refund is None


def test_record_without_decided_at_is_refused() -> None:
    decision = _decision().model_copy(update={"decided_at": None})
    with pytest.raises(ValueError, match="decided_at"):
        ImpactRecord.from_decision(decision, _case())


def test_record_holds_no_buyer_pii_fields() -> None:
    fields = set(ImpactRecord.model_fields)
    assert not fields & {"buyer_name", "buyer_email", "relay_address", "body", "address"}


def test_outcome_is_attached_to_decisions_made_before_the_feedback() -> None:
    store = InMemoryLedgerStore()
    before = record("113-1", Action.REQUEST_INFO, day=0)
    same_day = record("113-1", Action.REFUND_WITHOUT_RETURN, day=2, refund="10.00")
    after = record("113-1", Action.ACKNOWLEDGE, day=5)
    other = record("113-2", Action.EDUCATE)
    for r in (before, same_day, after, other):
        record_decision(store, r)
    record_decision(store, before)  # the same decision twice is one record
    feedback_at = datetime.combine(T0.date() + timedelta(days=2), datetime.min.time(), UTC)
    updated = record_outcome(store, "acme", "113-1", 2, feedback_at)
    assert [r.action for r in updated] == [Action.REQUEST_INFO, Action.REFUND_WITHOUT_RETURN]
    stored = {r.action: r for r in store.iter_records("acme")}
    assert len(list(store.iter_records("acme"))) == 4
    assert stored[Action.REQUEST_INFO].feedback_rating == 2
    assert stored[Action.REQUEST_INFO].negative
    assert stored[Action.ACKNOWLEDGE].feedback_rating is None
    assert stored[Action.EDUCATE].feedback_rating is None
    assert record_outcome(store, "other-tenant", "113-1", 1, feedback_at) == []


def test_feedback_rows_are_matched_by_order_id() -> None:
    store = InMemoryLedgerStore()
    record_decision(store, record("113-1", Action.DECLINE))
    rows = [
        FeedbackEntry(feedback_date=date(2026, 11, 20), rating=1, amazon_order_id="113-1", line=2),
        FeedbackEntry(feedback_date=date(2026, 11, 20), rating=3, amazon_order_id="999-9", line=3),
    ]
    matched, unmatched = record_feedback_entries(
        store, "acme", rows, removed_keys=frozenset({rows[0].dedup_key})
    )
    assert (matched, unmatched) == (1, 1)
    (rec,) = store.records_for_order("acme", "113-1")
    assert rec.feedback_rating == 1 and rec.feedback_removed


def test_iter_records_filters_by_period() -> None:
    store = InMemoryLedgerStore()
    for day in range(5):
        record_decision(store, record(f"o{day}", Action.EDUCATE, day=day))
    got = list(
        store.iter_records("acme", since=T0 + timedelta(days=1), until=T0 + timedelta(days=3))
    )
    assert [r.amazon_order_id for r in got] == ["o1", "o2"]


def test_jsonl_round_trip_and_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    records = [record(f"o{i}", Action.EDUCATE, day=i) for i in range(3)]
    assert write_jsonl(path, records) == 3
    assert list(read_jsonl(path, ImpactRecord)) == records
    path.write_text(path.read_text() + "\n{broken\n")
    with pytest.raises(LedgerFileError, match=r"ledger.jsonl:5: not JSON"):
        list(read_jsonl(path, ImpactRecord))
    path.write_text('{"tenant": "acme"}\n')
    with pytest.raises(LedgerFileError, match=r"ledger.jsonl:1: case_id: Field required"):
        list(read_jsonl(path, ImpactRecord))
