"""Two actions for one order in flight at once refund it once (audit 11 item 5), an order
refunded elsewhere never gets an automatic refund, and a budget reservation that loses a
transaction conflict is retried, not taken for "budget exceeded" (item 11). Real job code on
moto, on threads."""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError
from typer.testing import CliRunner

from spconnector.aws.clients import client
from spconnector.aws.spend import DynamoSpendCounters
from spconnector.cli import app
from spconnector.domain import Budgets, Money
from spconnector.jobs import spend
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event
from spconnector.refunds.model import RefundState

from .conftest import JobsEnv, ingest

DEFECT = "The item arrived broken, it does not work at all."
runner = CliRunner()


class _ReadersMeet:
    """The real ledger; every caller of `refunds_for_order` waits there until both arrived,
    so each sees the order before the other wrote anything (the worst interleaving)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._barrier = threading.Barrier(2, timeout=5)

    def refunds_for_order(self, *args: Any) -> Any:
        found = self._inner.refunds_for_order(*args)
        # the other thread never reading just means there is no race to line up
        with contextlib.suppress(threading.BrokenBarrierError):
            self._barrier.wait()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_two_actions_for_one_order_at_once_refund_it_once(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    for _ in range(2):  # two messages on one order, each decided to refund
        _case, events = ingest(jobs_env, order.order_id, DEFECT)
        for event in events:
            process_case_event(jobs_env.services, event)
    actions = jobs_env.drain("actions")
    assert len(actions) == 2
    services = jobs_env.services
    real = services.refund_ledger
    services.use(refund_ledger=_ReadersMeet(real))
    results: list[Any] = [None, None]

    def act(i: int) -> None:
        try:
            results[i] = act_on(services, actions[i])
        except Exception as exc:  # pragma: no cover - shown in the assertion below
            results[i] = exc

    threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        services.use(refund_ledger=real)

    states = sorted(r["refund"]["state"] for r in results if isinstance(r, dict))
    assert states == ["approved", "refused"], results
    paid = [
        r
        for r in real.refunds_for_order(jobs_env.tid, order.order_id)
        if r.state is not RefundState.NEEDS_PERSON
    ]
    assert len(paid) == 1, paid


class _ConflictOnce:
    """DynamoDB as it answers two reservations racing: the first transaction is cancelled
    with a TransactionConflict (nothing written); later calls go to the real client."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.conflicts = 0

    def transact_write_items(self, **kwargs: Any) -> Any:
        if self.conflicts == 0:
            self.conflicts += 1
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "conflict"},
                    "CancellationReasons": [
                        {"Code": "TransactionConflict", "Message": "Transaction is ongoing"},
                        {"Code": "None"},
                    ],
                },
                "TransactWriteItems",
            )
        return self._inner.transact_write_items(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_a_reservation_that_meets_a_conflict_is_retried_not_refused(jobs_env: JobsEnv) -> None:
    tenant = jobs_env.tenant.model_copy(
        update={
            "tenant_id": "race-budget",
            "budgets": Budgets(
                daily_refunds=Money(amount=Decimal(100), currency="USD"),
                monthly_refunds=Money(amount=Decimal(1000), currency="USD"),
            ),
        }
    )
    services = jobs_env.services
    real_counters = services.spend
    flaky = _ConflictOnce(client("dynamodb"))
    services.use(spend=DynamoSpendCounters(flaky, services.settings.table))
    now = jobs_env.now()
    try:
        assert spend.reserve(
            services, tenant, Money(amount=Decimal(10), currency="USD"), now, token="spc-a"
        )

        assert flaky.conflicts == 1
    finally:
        services.use(spend=real_counters)
    today, month = spend.refund_spend(jobs_env.services, tenant, now)
    assert today == Money(amount=Decimal(10), currency="USD") and month == today


def test_a_reservation_past_the_budget_is_refused(jobs_env: JobsEnv) -> None:
    tenant = jobs_env.tenant.model_copy(
        update={
            "tenant_id": "full-budget",
            "budgets": Budgets(daily_refunds=Money(amount=Decimal(15), currency="USD")),
        }
    )
    now = jobs_env.now()
    ten = Money(amount=Decimal(10), currency="USD")
    assert spend.reserve(jobs_env.services, tenant, ten, now, token="spc-a")
    assert not spend.reserve(jobs_env.services, tenant, ten, now, token="spc-b")
    assert spend.refund_spend(jobs_env.services, tenant, now)[0] == ten


def test_an_order_refunded_elsewhere_never_gets_an_automatic_refund(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    base = ["refunds", "mark-external", jobs_env.tid, order.order_id]
    bad = runner.invoke(app, [*base, "12,99", "USD", "--source", "seller-central"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1, bad.output
    marked = runner.invoke(app, [*base, "5.00", "USD", "--source", "seller-central"])
    assert marked.exit_code == 0, marked.output

    _case, events = ingest(jobs_env, order.order_id, DEFECT)
    for event in events:
        process_case_event(jobs_env.services, event)
    outcome = [act_on(jobs_env.services, a) for a in jobs_env.drain("actions")][-1]
    assert outcome["refund"]["state"] == "refused"
    assert "refunded elsewhere" in outcome["refund"]["reason"]
    assert not jobs_env.services.refund_ledger.refunds_for_order(jobs_env.tid, order.order_id)
