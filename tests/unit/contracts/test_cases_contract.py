"""The Cases port: tenant-prefixed ids, create once, save is a compare-and-set, upsert merges
until a write wins, children kept once, decisions numbered, expiry only brought forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from spconnector.aws.cases import CaseStore
from spconnector.aws.errors import AlreadyExists, ConcurrentUpdate, TenantMismatch
from spconnector.domain import (
    Action,
    Case,
    CaseStatus,
    Decision,
    FulfillmentChannel,
    Money,
    Priority,
    RefundSpec,
    ReturnRequest,
    case_id_for,
)
from spconnector.jobs.ports import Cases
from spconnector.memory import MemoryCaseStore
from tests.unit.aws.conftest import buyer_message
from tests.unit.contracts.conftest import ADAPTERS, TABLE, run_together

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(params=ADAPTERS)
def cases(request: pytest.FixtureRequest) -> Cases:
    if request.param == "memory":
        return MemoryCaseStore(lambda: NOW)
    return CaseStore(table=TABLE, client=request.getfixturevalue("ddb"))


def _case(order: str = "113-1234567-1234567", hours: float = 24, tenant: str = "acme") -> Case:
    return Case(
        tenant=tenant,
        case_id=case_id_for(tenant, order),
        amazon_order_id=order,
        opened_at=NOW,
        respond_by=NOW + timedelta(hours=hours),
        priority=Priority.NORMAL,
    )


def test_create_once_then_save_is_compare_and_set(cases: Cases) -> None:
    created = cases.create(_case())
    assert created.version == 1
    with pytest.raises(AlreadyExists):
        cases.create(_case())
    saved = cases.save(created.with_status(CaseStatus.DECIDED))
    assert saved.version == 2
    with pytest.raises(ConcurrentUpdate):
        cases.save(created.with_status(CaseStatus.CLOSED))  # read at version 1: lost
    stored = cases.get("acme", created.case_id)
    assert stored is not None and stored.status is CaseStatus.DECIDED and stored.version == 2


def test_concurrent_upserts_all_land(cases: Cases) -> None:
    case = cases.create(_case())
    tags = [f"t{i}" for i in range(5)]

    def add_tag(i: int) -> Case:
        return cases.upsert(
            "acme",
            case.case_id,
            lambda c: (c or case).model_copy(
                update={"message_ids": (*(c or case).message_ids, tags[i])}
            ),
            max_attempts=50,
        )

    run_together(5, add_tag)
    stored = cases.get("acme", case.case_id)
    assert stored is not None and sorted(stored.message_ids) == tags


def test_upsert_creates_and_an_unchanged_merge_writes_nothing(cases: Cases) -> None:
    case = _case()
    created = cases.upsert("acme", case.case_id, lambda c: c or case)
    assert created.version == 1
    assert cases.upsert("acme", case.case_id, lambda c: c or case).version == 1


def test_ids_of_another_tenant_are_refused(cases: Cases) -> None:
    case = cases.create(_case())
    with pytest.raises(TenantMismatch):
        cases.get("other", case.case_id)
    with pytest.raises(TenantMismatch):
        cases.upsert("acme", case.case_id, lambda _c: _case(tenant="other"))


def test_list_by_status_and_deadline_soonest_first(cases: Cases) -> None:
    late = cases.create(_case("113-0000000-0000003", hours=30))
    soon = cases.create(_case("113-0000000-0000001", hours=2))
    mid = cases.save(
        cases.create(_case("113-0000000-0000002", hours=10)).with_status(
            CaseStatus.AWAITING_APPROVAL
        )
    )
    assert [c.case_id for c in cases.list_cases("acme")] == [
        soon.case_id,
        mid.case_id,
        late.case_id,
    ]
    assert [c.case_id for c in cases.awaiting_approval("acme")] == [mid.case_id]
    due = cases.list_cases("acme", due_before=NOW + timedelta(hours=12))
    assert [c.case_id for c in due] == [soon.case_id, mid.case_id]
    # due exactly at the moment is not due before it
    assert cases.list_cases("acme", status=CaseStatus.OPEN, due_before=soon.respond_by) == []
    assert cases.list_cases("other") == []


def test_messages_and_returns_are_kept_once(cases: Cases) -> None:
    case = cases.create(_case())
    second = buyer_message("<m2@x>", received_at=NOW - timedelta(hours=1))
    first = buyer_message("<m1@x>", received_at=NOW - timedelta(hours=2))
    assert cases.add_message("acme", case.case_id, second, now=NOW)
    assert cases.add_message("acme", case.case_id, first, now=NOW)
    assert not cases.add_message("acme", case.case_id, first, now=NOW)
    assert [m.message_id for m in cases.messages("acme", case.case_id)] == ["<m1@x>", "<m2@x>"]
    ret = ReturnRequest(
        amazon_order_id=case.amazon_order_id or "",
        rma_id="RMA1",
        request_date=NOW - timedelta(days=1),
        reason_code="DEFECTIVE",
        fulfillment=FulfillmentChannel.MFN,
    )
    assert cases.add_return("acme", case.case_id, ret, now=NOW)
    assert not cases.add_return("acme", case.case_id, ret, now=NOW)
    assert cases.returns("acme", case.case_id) == [ret]


def test_a_return_is_replaced_only_by_a_later_listing_that_says_amazon_paid(
    cases: Cases,
) -> None:
    case = cases.create(_case())
    first = ReturnRequest(
        amazon_order_id=case.amazon_order_id or "",
        rma_id="RMA7",
        request_date=NOW - timedelta(days=1),
        reason_code="DEFECTIVE",
        fulfillment=FulfillmentChannel.MFN,
    )
    paid = first.model_copy(update={"refunded_amount": Money.of("20.00", "USD")})
    other = first.model_copy(update={"rma_id": "RMA8", "safet_claim_id": "2980001"})
    assert not cases.settle_return("acme", case.case_id, paid)  # nothing stored to replace
    assert cases.add_return("acme", case.case_id, first, now=NOW)
    assert not cases.settle_return("acme", case.case_id, first)  # a repeat settles nothing
    assert cases.returns("acme", case.case_id) == [first]
    assert cases.settle_return("acme", case.case_id, paid)
    assert cases.returns("acme", case.case_id) == [paid]
    # a replay still reports the later settlement; the stored return stays as replaced
    assert cases.settle_return("acme", case.case_id, paid)
    assert cases.settle_return("acme", case.case_id, first) and cases.returns(
        "acme", case.case_id
    ) == [paid]  # and never goes back to "not settled"
    # a return whose first listing already said Amazon paid is not "settled later"
    assert cases.add_return("acme", case.case_id, other, now=NOW)
    assert not cases.settle_return(
        "acme", case.case_id, other.model_copy(update={"refunded_amount": Money.of("5", "USD")})
    )
    assert cases.returns("acme", case.case_id) == [paid, other]


def test_expiry_moves_only_earlier(cases: Cases) -> None:
    case = cases.create(_case())
    cases.add_message("acme", case.case_id, buyer_message(received_at=NOW), now=NOW)
    assert cases.expire_after_delivery("acme", case.case_id, NOW - timedelta(days=5), NOW) == 1
    assert cases.expire_after_delivery("acme", case.case_id, NOW - timedelta(days=5), NOW) == 0
    assert cases.expire_after_delivery("acme", case.case_id, NOW + timedelta(days=9), NOW) == 0


def test_a_phrasing_is_kept_once_per_key_and_expires_with_the_messages(cases: Cases) -> None:
    case = cases.create(_case())
    assert cases.kept_phrasing("acme", case.case_id, "k1") is None
    assert cases.keep_phrasing("acme", case.case_id, "k1", '{"outcome": "phrased"}', anchor=NOW)
    assert not cases.keep_phrasing("acme", case.case_id, "k1", '{"outcome": "other"}', anchor=NOW)
    assert cases.kept_phrasing("acme", case.case_id, "k1") == '{"outcome": "phrased"}'
    assert cases.kept_phrasing("acme", case.case_id, "k2") is None
    with pytest.raises(TenantMismatch):
        cases.kept_phrasing("other", case.case_id, "k1")
    # it may echo the buyer's words: it leaves when the case's PII does
    assert cases.expire_after_delivery("acme", case.case_id, NOW - timedelta(days=5), NOW) == 1


def test_decisions_are_numbered_in_order(cases: Cases) -> None:
    case = cases.create(_case())
    first, second = _decision(Action.DECLINE), _decision(Action.REFUND_WITHOUT_RETURN)
    assert cases.add_decision("acme", case.case_id, first) == 1
    assert cases.add_decision("acme", case.case_id, second) == 2
    assert cases.decisions("acme", case.case_id) == [first, second]
    with pytest.raises(TenantMismatch):
        cases.add_decision("acme", case.case_id, first.model_copy(update={"tenant": "other"}))


def _decision(action: Action) -> Decision:
    return Decision(
        action=action,
        refund=RefundSpec(amount=Decimal("12.99"), currency="USD", requires_return=False),
        ask_for_photos=False,
        reply_template=action.value,
        priority=Priority.NORMAL,
        respond_by=NOW + timedelta(hours=24),
        needs_approval=False,
        rules=("low-value-defect",),
        guards=(),
        explanation="Low value defect: refund without return.",
        policy_version="sha256:abc",
        tenant="acme",
    )
