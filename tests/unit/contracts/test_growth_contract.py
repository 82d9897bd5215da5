"""The GrowthStore port: a review-request claim is a conditional put, a stale claim is taken
over by compare-and-set (of racing runs exactly one wins), a release only removes our own
"sending" claim; one growth event per (kind, order); documents written once or replaced."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from spconnector.aws import clients
from spconnector.aws.growth import DynamoGrowthStore
from spconnector.growth.events import GrowthEvent
from spconnector.jobs.ports import GrowthStore
from spconnector.memory import MemoryGrowthStore
from tests.unit.contracts.conftest import ADAPTERS, TABLE, run_together

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ORDER = "111-0000000-0000001"


@pytest.fixture(params=ADAPTERS)
def store(request: pytest.FixtureRequest) -> GrowthStore:
    if request.param == "memory":
        return MemoryGrowthStore()
    return DynamoGrowthStore(request.getfixturevalue("ddb"), TABLE)


def test_a_claim_is_written_once_and_read_back(store: GrowthStore) -> None:
    assert store.request_claim("acme", ORDER) is None
    assert store.claim_request("acme", ORDER, NOW) is True
    assert store.claim_request("acme", ORDER, NOW + timedelta(hours=1)) is False
    assert store.request_claim("acme", ORDER) == {
        "order_id": ORDER,
        "state": "sending",
        "claimed_at": NOW.isoformat(),
    }
    assert store.request_claim("other", ORDER) is None  # claims are per tenant
    assert store.claim_request("other", ORDER, NOW) is True


def test_of_many_concurrent_claims_exactly_one_wins(store: GrowthStore) -> None:
    results = run_together(8, lambda i: store.claim_request("acme", ORDER, NOW + timedelta(i)))
    assert sorted(results) == [False] * 7 + [True]
    claim = store.request_claim("acme", ORDER)
    assert claim is not None
    winner = results.index(True)
    assert claim["claimed_at"] == (NOW + timedelta(winner)).isoformat()


def test_a_settled_claim_keeps_its_state_and_blocks_a_new_claim(store: GrowthStore) -> None:
    store.claim_request("acme", ORDER, NOW)
    store.settle_request("acme", ORDER, "refused", NOW + timedelta(minutes=1), "x" * 300)
    claim = store.request_claim("acme", ORDER)
    assert claim is not None
    assert claim["state"] == "refused"
    assert claim["settled_at"] == (NOW + timedelta(minutes=1)).isoformat()
    assert claim["reason"] == "x" * 200
    assert store.claim_request("acme", ORDER, NOW + timedelta(hours=1)) is False
    # a settled claim is not "sending": neither taken over nor released
    assert store.take_over("acme", ORDER, NOW.isoformat(), NOW + timedelta(hours=1)) is False
    store.release_request("acme", ORDER, NOW.isoformat())
    assert store.request_claim("acme", ORDER) == claim


def test_take_over_is_a_compare_and_set_of_the_claim_time(store: GrowthStore) -> None:
    store.claim_request("acme", ORDER, NOW)
    later = NOW + timedelta(hours=1)
    assert store.take_over("acme", ORDER, "2000-01-01T00:00:00+00:00", later) is False
    assert store.take_over("acme", ORDER, NOW.isoformat(), later) is True
    assert store.take_over("acme", ORDER, NOW.isoformat(), later) is False  # it moved
    claim = store.request_claim("acme", ORDER)
    assert claim is not None
    assert (claim["state"], claim["claimed_at"]) == ("sending", later.isoformat())
    assert store.take_over("acme", "never-claimed", NOW.isoformat(), later) is False


def test_of_runs_racing_to_take_over_one_dead_claim_exactly_one_wins(store: GrowthStore) -> None:
    store.claim_request("acme", ORDER, NOW)
    seen = NOW.isoformat()
    results = run_together(
        8, lambda i: store.take_over("acme", ORDER, seen, NOW + timedelta(hours=1, seconds=i))
    )
    assert sorted(results) == [False] * 7 + [True]
    claim = store.request_claim("acme", ORDER)
    assert claim is not None
    winner = results.index(True)
    assert claim["claimed_at"] == (NOW + timedelta(hours=1, seconds=winner)).isoformat()


def test_release_removes_only_our_own_sending_claim(store: GrowthStore) -> None:
    store.claim_request("acme", ORDER, NOW)
    store.release_request("acme", ORDER, (NOW + timedelta(seconds=1)).isoformat())  # not ours
    assert store.request_claim("acme", ORDER) is not None
    store.release_request("acme", ORDER, NOW.isoformat())
    assert store.request_claim("acme", ORDER) is None
    store.release_request("acme", ORDER, NOW.isoformat())  # nothing there: no error
    assert store.claim_request("acme", ORDER, NOW + timedelta(minutes=5)) is True


def test_request_claims_lists_the_tenants_claims_by_order(store: GrowthStore) -> None:
    for order in ("order-b", "order-a"):
        store.claim_request("acme", order, NOW)
    store.settle_request("acme", "order-b", "sent", NOW)
    store.claim_request("other", "order-c", NOW)
    claims = store.request_claims("acme")
    assert [(c["order_id"], c["state"]) for c in claims] == [
        ("order-a", "sending"),
        ("order-b", "sent"),
    ]


def test_one_event_per_kind_and_order(store: GrowthStore) -> None:
    first = GrowthEvent(
        tenant="acme", kind="review_request", amazon_order_id=ORDER, at=NOW, outcome="sent"
    )
    store.record(first)
    store.record(first.model_copy(update={"outcome": "unconfirmed"}))
    store.record(first.model_copy(update={"kind": "claim_opened", "outcome": None}))
    store.record(first.model_copy(update={"tenant": "other"}))
    events = store.events("acme")
    assert sorted((e.kind, e.outcome) for e in events) == [
        ("claim_opened", None),
        ("review_request", "unconfirmed"),
    ]
    assert all(e.at == NOW for e in events)
    assert store.events("nobody") == []


def test_documents_put_once_replaced_read_listed_and_deleted(store: GrowthStore) -> None:
    doc = {"order": ORDER, "amount": 12.5, "opened": date(2026, 11, 20)}
    assert store.put_doc_once("acme", "claims", ORDER, doc) is True
    assert store.put_doc_once("acme", "claims", ORDER, {"order": "changed"}) is False
    # values JSON does not know come back as text, as stored
    assert store.get_doc("acme", "claims", ORDER) == {
        "order": ORDER,
        "amount": 12.5,
        "opened": "2026-11-20",
    }
    store.put_doc("acme", "claims", ORDER, {"order": ORDER, "outcome": "granted"})
    assert store.get_doc("acme", "claims", ORDER) == {"order": ORDER, "outcome": "granted"}
    store.put_doc("acme", "claims", "order-0", {"order": "order-0"})
    store.put_doc("acme", "removal", "fb-1", {"feedback": "fb-1"})
    store.put_doc("other", "claims", "order-9", {"order": "order-9"})
    assert [d["order"] for d in store.docs("acme", "claims")] == ["111-0000000-0000001", "order-0"]
    assert store.docs("acme", "removal") == [{"feedback": "fb-1"}]
    assert store.get_doc("other", "claims", ORDER) is None
    store.delete_doc("acme", "claims", ORDER)
    store.delete_doc("acme", "claims", ORDER)  # twice: no error
    assert store.get_doc("acme", "claims", ORDER) is None
    assert store.docs("acme", "claims") == [{"order": "order-0"}]


def test_concurrent_put_doc_once_keeps_the_first_document(store: GrowthStore) -> None:
    results = run_together(6, lambda i: store.put_doc_once("acme", "removal", "fb-1", {"n": i}))
    assert sorted(results) == [False] * 5 + [True]
    assert store.get_doc("acme", "removal", "fb-1") == {"n": results.index(True)}


def test_the_dynamodb_items_keep_the_keys_the_iam_conditions_name(ddb: object) -> None:
    store = DynamoGrowthStore(ddb, TABLE)
    store.claim_request("acme", ORDER, NOW)
    store.record(GrowthEvent(tenant="acme", kind="review_request", amazon_order_id=ORDER, at=NOW))
    for kind in ("claims", "removal", "removal-check"):
        store.put_doc("acme", kind, "k", {})
    items = clients.client("dynamodb").scan(TableName=TABLE)["Items"]
    assert sorted((i["pk"]["S"], i["sk"]["S"]) for i in items) == [
        ("acme#claims", "k"),
        ("acme#impact#growth", f"review_request#{ORDER}"),
        ("acme#removal", "k"),
        ("acme#removal-check", "k"),
        ("acme#solicit", ORDER),
    ]
