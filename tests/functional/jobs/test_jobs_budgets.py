"""Refund budgets: reserved atomically, so workers racing for the last of a budget cannot both
spend it; unused reservations are given back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from spconnector.domain import Budgets, Money, Tenant
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.spend import refund_spend, release, reserve
from tests.functional.jobs.conftest import JobsEnv, ingest

DEFECT = "The item arrived broken, it does not work at all."


def _tenant_with_budget(env: JobsEnv, tenant_id: str, daily: str, monthly: str):  # type: ignore[no-untyped-def]
    base = env.tenant
    return base.model_copy(
        update={
            "tenant_id": tenant_id,
            "budgets": Budgets(
                daily_refunds=Money.of(daily, "USD"), monthly_refunds=Money.of(monthly, "USD")
            ),
        }
    )


def test_the_second_reservation_past_the_daily_budget_fails_and_adds_nothing(
    jobs_env: JobsEnv,
) -> None:
    tenant = _tenant_with_budget(jobs_env, "budget-a", daily="30", monthly="100")
    now = jobs_env.now()
    services = jobs_env.services
    assert reserve(services, tenant, Money.of("20", "USD"), now, token="spc-37")
    assert not reserve(services, tenant, Money.of("20", "USD"), now, token="spc-38")  # 40 > 30
    today, month = refund_spend(services, tenant, now)
    assert (today, month) == (Money.of("20", "USD"), Money.of("20", "USD"))
    assert reserve(
        services, tenant, Money.of("10", "USD"), now, token="spc-41"
    )  # exactly the budget


def test_the_monthly_budget_binds_across_days(jobs_env: JobsEnv) -> None:
    from datetime import timedelta

    tenant = _tenant_with_budget(jobs_env, "budget-b", daily="50", monthly="60")
    now = jobs_env.now().replace(day=10)
    services = jobs_env.services
    assert reserve(services, tenant, Money.of("50", "USD"), now, token="spc-50")
    assert not reserve(
        services, tenant, Money.of("20", "USD"), now + timedelta(days=1), token="spc-51"
    )


def test_a_released_reservation_frees_the_budget(jobs_env: JobsEnv) -> None:
    tenant = _tenant_with_budget(jobs_env, "budget-c", daily="25", monthly="100")
    now = jobs_env.now()
    services = jobs_env.services
    assert reserve(services, tenant, Money.of("25", "USD"), now, token="spc-a")
    release(services, tenant, Money.of("25", "USD"), token="spc-a")
    release(services, tenant, Money.of("25", "USD"), token="spc-a")  # at most once
    assert refund_spend(services, tenant, now)[0] == Money.of("0", "USD")
    assert reserve(services, tenant, Money.of("25", "USD"), now, token="spc-61")


def test_a_budget_in_another_currency_never_reserves(jobs_env: JobsEnv) -> None:
    tenant = _tenant_with_budget(jobs_env, "budget-d", daily="25", monthly="100")
    assert not reserve(
        jobs_env.services, tenant, Money.of("5", "EUR"), jobs_env.now(), token="spc-66"
    )


class _CrashOnce:
    """A worker that dies once at `method` (before its write lands), then works again."""

    def __init__(self, inner: Any, method: str) -> None:
        self._inner = inner
        self._method = method
        self.crashed = False

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._inner, name)
        if name != self._method or self.crashed:
            return real

        def crash(*args: Any, **kwargs: Any) -> Any:
            self.crashed = True
            raise RuntimeError("the worker died here")

        return crash


@pytest.fixture
def budgeted(jobs_env: JobsEnv) -> Iterator[Tenant]:
    """The demo tenant with a daily and monthly refund budget, for one test."""
    registry = jobs_env.services.tenants
    original = registry.require(jobs_env.tid)
    currency = jobs_env.env.sim.scenario.orders[0].currency
    registry.update(
        jobs_env.tid,
        budgets=Budgets(
            daily_refunds=Money.of("900", currency), monthly_refunds=Money.of("9000", currency)
        ).model_dump(),
    )
    yield registry.require(jobs_env.tid)
    registry.update(jobs_env.tid, budgets=original.budgets.model_dump())


def _refund_action(env: JobsEnv) -> dict[str, Any]:
    order = env.order(channel="MFN", max_total=30)
    _case, events = ingest(env, order.order_id, DEFECT)
    for event in events:
        process_case_event(env.services, event)
    actions = env.drain("actions")
    assert len(actions) == 1
    return actions[0]


def _act_crashing_once(env: JobsEnv, action: dict[str, Any], port: str, method: str) -> Any:
    services = env.services
    real = getattr(services, port)
    crashing = _CrashOnce(real, method)
    services.__dict__[port] = crashing
    try:
        with pytest.raises(RuntimeError, match="died"):
            act_on(services, action)
    finally:
        services.__dict__[port] = real
    assert crashing.crashed
    return act_on(services, action)  # the queue redelivers the action


def test_a_crash_between_reserving_and_approving_counts_the_refund_once(
    jobs_env: JobsEnv, budgeted: Tenant
) -> None:
    before, before_month = refund_spend(jobs_env.services, budgeted, jobs_env.now())
    action = _refund_action(jobs_env)
    # approve() writes the approved refund with replace_refund: the crash comes after the
    # reservation and before that write
    outcome = _act_crashing_once(jobs_env, action, "refund_ledger", "replace_refund")
    assert outcome["refund"]["state"] == "approved", outcome
    paid = Money.of(outcome["refund"]["amount"], outcome["refund"]["currency"])
    today, month = refund_spend(jobs_env.services, budgeted, jobs_env.now())
    assert before is not None and before_month is not None
    assert today == before + paid, (before, paid, today)  # 2 x paid before the fix
    assert month == before_month + paid
