"""CaseStore against moto: locking, duplicate collapse, TTL, tenant isolation, queries."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from spconnector.aws import clients
from spconnector.aws.cases import CaseStore
from spconnector.aws.errors import AlreadyExists, ConcurrentUpdate, TenantMismatch
from spconnector.aws.retention import PII_RETENTION, ttl_for
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
)
from tests.unit.aws.conftest import TABLE, AtomicCalls, buyer_message

pytestmark = pytest.mark.usefixtures("aws")
NOW = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)


def _case(tenant: str = "acme", message_id: str = "<m1@x>") -> Case:
    return Case.open_for_message(tenant, buyer_message(message_id))


def _raw_items(pk_prefix: str) -> list[dict[str, Any]]:
    items = clients.client("dynamodb").scan(TableName=TABLE)["Items"]
    return [i for i in items if i["pk"]["S"].startswith(pk_prefix)]


def test_create_then_get_round_trips_with_version_one() -> None:
    store = CaseStore()
    case = store.create(_case())
    assert case.version == 1
    assert store.get("acme", case.case_id) == case


def test_create_twice_is_refused() -> None:
    store = CaseStore()
    store.create(_case())
    with pytest.raises(AlreadyExists):
        store.create(_case())


def test_save_with_a_stale_version_loses() -> None:
    store = CaseStore()
    first = store.create(_case())
    store.save(first.with_status(CaseStatus.DECIDED))  # now version 2
    with pytest.raises(ConcurrentUpdate):
        store.save(first.with_status(CaseStatus.ESCALATED))  # still thinks version 1
    assert store.get("acme", first.case_id).status is CaseStatus.DECIDED  # type: ignore[union-attr]


def test_concurrent_writers_all_land_through_upsert(atomic_ddb: AtomicCalls) -> None:
    """Eight threads each attach their own message to the same case at once: the losers of
    each race re-read and merge, so the case ends with all eight and the right version."""
    store = CaseStore(client=atomic_ddb)
    base = _case()
    case_id = base.case_id
    messages = [buyer_message(f"<t{i}@x>") for i in range(8)]
    barrier = threading.Barrier(len(messages))
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            barrier.wait()
            store.upsert(
                "acme",
                case_id,
                lambda current: (
                    Case.open_for_message("acme", messages[i])
                    if current is None
                    else current.attach_message(messages[i])
                ),
                max_attempts=50,
            )
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(len(messages))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    final = store.get("acme", case_id)
    assert final is not None
    assert sorted(final.message_ids) == sorted(m.message_id for m in messages)
    assert final.version == len(messages)  # one create + seven saves, no lost update


def test_upsert_that_changes_nothing_does_not_write() -> None:
    store = CaseStore()
    created = store.create(_case())
    same = store.upsert("acme", created.case_id, lambda c: c)  # type: ignore[arg-type,return-value]
    assert same.version == 1


def test_duplicate_message_and_return_make_one_record() -> None:
    store = CaseStore()
    case = store.create(_case())
    msg = buyer_message("<dup@x>")
    assert store.add_message("acme", case.case_id, msg, now=NOW) is True
    assert store.add_message("acme", case.case_id, msg, now=NOW) is False
    ret = ReturnRequest(
        amazon_order_id="113-1234567-1234567",
        rma_id="DkR9",
        fulfillment=FulfillmentChannel.MFN,
        request_date=NOW,
    )
    assert store.add_return("acme", case.case_id, ret, now=NOW) is True
    assert store.add_return("acme", case.case_id, ret, now=NOW) is False
    assert [m.message_id for m in store.messages("acme", case.case_id)] == ["<dup@x>"]
    assert store.returns("acme", case.case_id) == [ret]
    assert len(_raw_items("acme#case#")) == 3  # case + one message + one return


def test_pii_items_carry_ttl_within_30_days_of_delivery() -> None:
    store = CaseStore()
    case = store.create(_case())
    delivered = NOW - timedelta(days=3)
    store.add_message("acme", case.case_id, buyer_message("<a@x>"), anchor=delivered, now=NOW)
    # no delivery date known: the receipt time is the anchor
    store.add_message("acme", case.case_id, buyer_message("<b@x>"), now=NOW)
    items = {i["sk"]["S"]: i for i in _raw_items("acme#case#")}
    a = int(items["msg#<a@x>"]["expires_at"]["N"])
    b = int(items["msg#<b@x>"]["expires_at"]["N"])
    assert a == int((delivered + PII_RETENTION).timestamp())
    received = buyer_message().received_at
    assert b == int((received + PII_RETENTION).timestamp())
    assert a <= (NOW + timedelta(days=30)).timestamp()
    assert "expires_at" not in items["case"]  # the case record holds no PII


def test_ttl_never_later_than_30_days_from_now() -> None:
    future = NOW + timedelta(days=400)  # a wrong delivery date in the future
    assert ttl_for(future, NOW) == int((NOW + timedelta(days=30)).timestamp())
    with pytest.raises(ValueError):
        ttl_for(datetime(2026, 1, 1), NOW)


def test_tenant_cannot_read_another_tenants_case_even_with_its_id() -> None:
    store = CaseStore()
    theirs = store.create(_case("beta"))
    store.add_message("beta", theirs.case_id, buyer_message("<secret@x>"), now=NOW)
    for call in (
        lambda: store.get("acme", theirs.case_id),
        lambda: store.messages("acme", theirs.case_id),
        lambda: store.returns("acme", theirs.case_id),
        lambda: store.decisions("acme", theirs.case_id),
        lambda: store.add_message("acme", theirs.case_id, buyer_message("<y@x>")),
    ):
        with pytest.raises(TenantMismatch):
            call()
    # an id crafted to look like ours still only addresses our own partition
    assert store.get("acme", f"acme#{theirs.case_id}") is None
    assert store.list_cases("acme") == []
    with pytest.raises(TenantMismatch):
        store.create(theirs.model_copy(update={"tenant": "acme"}))


def test_bad_tenant_ids_are_refused() -> None:
    store = CaseStore()
    for bad in ("", "ACME", "a#b", "acme#order"):
        with pytest.raises(ValueError):
            store.get(bad, f"{bad}#order#1")


def test_list_cases_by_status_and_deadline() -> None:
    store = CaseStore()
    early = Case.open_for_message("acme", buyer_message("<e@x>", order_id="113-0000000-0000001"))
    late = Case.open_for_message(
        "acme",
        buyer_message("<l@x>", order_id="113-0000000-0000002", received_at=NOW + timedelta(days=2)),
    )
    waiting = Case.open_for_message(
        "acme", buyer_message("<w@x>", order_id="113-0000000-0000003")
    ).with_status(CaseStatus.AWAITING_APPROVAL)
    for c in (late, early, waiting):
        store.create(c)
    store.create(_case("beta"))
    # soonest deadline first (early and waiting share one deadline: then by id)
    expected = [*sorted([early.case_id, waiting.case_id]), late.case_id]
    assert [c.case_id for c in store.list_cases("acme")] == expected
    assert [c.case_id for c in store.awaiting_approval("acme")] == [waiting.case_id]
    due = store.list_cases("acme", status=CaseStatus.OPEN, due_before=NOW + timedelta(days=1))
    assert [c.case_id for c in due] == [early.case_id]
    # a status change moves the case between index partitions
    stored = store.get("acme", early.case_id)
    assert stored is not None
    store.save(stored.with_status(CaseStatus.AWAITING_APPROVAL))
    assert {c.case_id for c in store.awaiting_approval("acme")} == {
        early.case_id,
        waiting.case_id,
    }


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


def test_decisions_are_numbered_and_kept() -> None:
    store = CaseStore()
    case = store.create(_case())
    first = _decision(Action.REQUEST_INFO)
    second = _decision(Action.REFUND_WITHOUT_RETURN)
    assert store.add_decision("acme", case.case_id, first) == 1
    assert store.add_decision("acme", case.case_id, second) == 2
    assert store.decisions("acme", case.case_id) == [first, second]
    with pytest.raises(TenantMismatch):
        store.add_decision("acme", case.case_id, first.model_copy(update={"tenant": "beta"}))


def test_concurrent_decisions_get_distinct_numbers(atomic_ddb: AtomicCalls) -> None:
    store = CaseStore(client=atomic_ddb)
    case = store.create(_case())
    numbers: list[int] = []
    barrier = threading.Barrier(5)

    def add() -> None:
        barrier.wait()
        numbers.append(store.add_decision("acme", case.case_id, _decision(Action.EDUCATE)))

    threads = [threading.Thread(target=add) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [1, 2, 3, 4, 5]
    assert len(store.decisions("acme", case.case_id)) == 5


def test_long_message_ids_are_hashed_into_the_sort_key() -> None:
    store = CaseStore()
    case = store.create(_case())
    long_id = "<" + "x" * 900 + "@x>"
    assert store.add_message("acme", case.case_id, buyer_message(long_id), now=NOW)
    assert not store.add_message("acme", case.case_id, buyer_message(long_id), now=NOW)
    assert store.messages("acme", case.case_id)[0].message_id == long_id


class _AnotherListingFirst:
    """A client whose first update_item is preceded by another writer's: the same return,
    settled by a different later listing, written between our read and our write."""

    def __init__(self, client: Any, other: ReturnRequest) -> None:
        self._client, self._other, self.raced = client, other, False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def update_item(self, **kwargs: Any) -> Any:
        if not self.raced:
            self.raced = True
            CaseStore(client=self._client).settle_return("acme", _case().case_id, self._other)
        return self._client.update_item(**kwargs)


def _listed(**update: Any) -> ReturnRequest:
    first = ReturnRequest(
        amazon_order_id="113-1234567-1234567",
        rma_id="DkR9",
        fulfillment=FulfillmentChannel.MFN,
        request_date=NOW,
    )
    return first.model_copy(update=update)


def test_a_later_listing_that_says_amazon_paid_replaces_the_return_keeping_its_ttl() -> None:
    store = CaseStore()
    case = store.create(_case())
    assert store.add_return("acme", case.case_id, _listed(), now=NOW)
    (before,) = [i for i in _raw_items("acme#case#") if i["sk"]["S"].startswith("ret#")]
    paid = _listed(refunded_amount=Money.of("20.00", "USD"))
    assert store.settle_return("acme", case.case_id, paid) is True
    (after,) = [i for i in _raw_items("acme#case#") if i["sk"]["S"].startswith("ret#")]
    assert after["expires_at"] == before["expires_at"] and after["settled_later"] == {"BOOL": True}
    assert store.returns("acme", case.case_id) == [paid]


def test_the_replace_is_conditional_on_the_return_read_so_a_racing_listing_is_kept() -> None:
    store = CaseStore()
    case = store.create(_case())
    assert store.add_return("acme", case.case_id, _listed(), now=NOW)
    safet = _listed(safet_claim_id="2980009999")
    racing = _AnotherListingFirst(clients.client("dynamodb"), safet)
    paid = _listed(refunded_amount=Money.of("20.00", "USD"))
    # our write, conditional on the data we read, loses to the other writer's; we read again,
    # find the return settled by a later listing, and overwrite nothing
    assert CaseStore(client=racing).settle_return("acme", case.case_id, paid) is True
    assert racing.raced
    assert store.returns("acme", case.case_id) == [safet]
