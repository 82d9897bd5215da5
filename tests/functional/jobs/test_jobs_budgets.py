"""Refund budgets: reserved atomically, so workers racing for the last of a budget cannot both
spend it; unused reservations are given back."""

from __future__ import annotations

from spconnector.domain import Budgets, Money
from spconnector.jobs.spend import refund_spend, release, reserve
from tests.functional.jobs.conftest import JobsEnv


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
    assert reserve(services, tenant, Money.of("20", "USD"), now)
    assert not reserve(services, tenant, Money.of("20", "USD"), now)  # 40 > 30
    today, month = refund_spend(services, tenant, now)
    assert (today, month) == (Money.of("20", "USD"), Money.of("20", "USD"))
    assert reserve(services, tenant, Money.of("10", "USD"), now)  # exactly the budget


def test_the_monthly_budget_binds_across_days(jobs_env: JobsEnv) -> None:
    from datetime import timedelta

    tenant = _tenant_with_budget(jobs_env, "budget-b", daily="50", monthly="60")
    now = jobs_env.now().replace(day=10)
    services = jobs_env.services
    assert reserve(services, tenant, Money.of("50", "USD"), now)
    assert not reserve(services, tenant, Money.of("20", "USD"), now + timedelta(days=1))


def test_a_released_reservation_frees_the_budget(jobs_env: JobsEnv) -> None:
    tenant = _tenant_with_budget(jobs_env, "budget-c", daily="25", monthly="100")
    now = jobs_env.now()
    services = jobs_env.services
    assert reserve(services, tenant, Money.of("25", "USD"), now)
    release(services, tenant, Money.of("25", "USD"), now)
    assert refund_spend(services, tenant, now)[0] == Money.of("0", "USD")
    assert reserve(services, tenant, Money.of("25", "USD"), now)


def test_a_budget_in_another_currency_never_reserves(jobs_env: JobsEnv) -> None:
    tenant = _tenant_with_budget(jobs_env, "budget-d", daily="25", monthly="100")
    assert not reserve(jobs_env.services, tenant, Money.of("5", "EUR"), jobs_env.now())
