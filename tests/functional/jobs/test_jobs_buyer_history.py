"""Buyer history: the policy's abuse signal is fed from what the buyer did with this seller."""

from __future__ import annotations

from datetime import timedelta

from spconnector.aws.clients import client
from spconnector.domain import Money
from spconnector.jobs.process_case import process_case_event
from tests.functional.jobs.conftest import JobsEnv, ingest, recent

ALIAS = "k2x9serialrefunder@marketplace.amazon.com"


def test_history_counts_the_window_and_keeps_no_alias(jobs_env: JobsEnv) -> None:
    store = jobs_env.services.buyer_history
    now = jobs_env.now()
    tid = jobs_env.tid
    store.record_order(tid, "counted@marketplace.amazon.com", "111-0000000-0000001", now)
    store.record_refund(tid, "counted@marketplace.amazon.com", "spc-a1", Money.of("10", "USD"), now)
    old = now - timedelta(days=400)
    store.record_refund(tid, "counted@marketplace.amazon.com", "spc-a0", Money.of("99", "USD"), old)
    history = store.history(tid, "COUNTED@marketplace.amazon.com", now, "USD")
    assert (history.orders_365d, history.refunds_365d) == (1, 1)
    assert history.refund_amount_365d == Money.of("10", "USD")
    items = client("dynamodb").scan(TableName=jobs_env.services.settings.table)["Items"]
    assert not any("counted@" in str(item) for item in items), "the alias itself is stored"


def test_a_buyer_refunded_again_and_again_goes_to_a_person(jobs_env: JobsEnv) -> None:
    store = jobs_env.services.buyer_history
    now = jobs_env.now()
    for n in range(5):  # five refunds this year: above the default policy's four
        store.record_refund(
            jobs_env.tid, ALIAS, f"spc-past{n}", Money.of("12", "USD"), now - timedelta(days=30 * n)
        )
    order = jobs_env.order(channel="MFN", max_total=20.0)
    case_id, events = ingest(
        jobs_env,
        order.order_id,
        "The garlic press broke the first time I used it, the handle snapped.",
        alias=ALIAS,
        received_at=recent(jobs_env),
    )
    for body in events:
        process_case_event(jobs_env.services, body)
    decision = jobs_env.services.cases.decisions(jobs_env.tid, case_id)[-1]
    assert "buyer_refund_frequency" in decision.guards
    assert decision.needs_approval


def test_a_first_time_buyer_is_not_held_back(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=500.0)
    case_id, events = ingest(
        jobs_env,
        order.order_id,
        "The garlic press broke the first time I used it, the handle snapped.",
        alias="k2x9firsttimer@marketplace.amazon.com",
        received_at=recent(jobs_env),
    )
    for body in events:
        process_case_event(jobs_env.services, body)
    decision = jobs_env.services.cases.decisions(jobs_env.tid, case_id)[-1]
    assert "buyer_refund_frequency" not in decision.guards


def test_the_record_key_is_keyed_by_the_deployment_secret(jobs_env: JobsEnv) -> None:
    """Without the secret, a table reader cannot test a guessed alias against the records."""
    import hashlib

    from spconnector.aws.buyer_history import buyer_key

    key = jobs_env.services.buyer_history_key
    assert key, "the embedded environment provides a key, as the template does"
    keyed = buyer_key(key, jobs_env.tid, ALIAS)
    unkeyed = hashlib.sha256(f"{jobs_env.tid}\x1f{ALIAS}".encode()).hexdigest()[:32]
    assert keyed != unkeyed
    assert keyed != buyer_key(b"another deployment", jobs_env.tid, ALIAS)
