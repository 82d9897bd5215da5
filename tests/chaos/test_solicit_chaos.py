"""Review requests under chaos, on the embedded default (simulator over HTTP + moto):
duplicate scheduler ticks, workers that die right after Amazon accepted the request (before
anything was recorded), concurrent workers on the same tenant, and simulator 5xx faults.
Then: every eligible order was asked exactly once — Amazon (the simulator) accepted one
request per order, no order got a second create call (so no "not available" 403 either), and
the impact ledger holds exactly one review_request event per order asked."""

from __future__ import annotations

import threading
import warnings
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from spconnector.growth.review_requests import LOOK_BACK, OrderDates, plan
from spconnector.jobs import solicit
from spconnector.jobs.policies import policy_for
from spconnector.local.embedded import Embedded, embedded
from spconnector.sim.solicitations import in_window
from tests.chaos.moto_speed import faster_moto

LEASE_PASSED = solicit.CLAIM_LEASE.total_seconds() + 60


class Crash(RuntimeError):
    """A worker dying (Lambda timeout, out of memory) — not an SP-API error."""


@pytest.fixture(params=[7, 11], ids=lambda seed: f"seed{seed}")
def env(request: pytest.FixtureRequest) -> Iterator[Embedded]:
    seed = int(request.param)
    with warnings.catch_warnings(), faster_moto(), embedded(seed=seed, time_scale=120.0) as env:
        warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")
        yield env


def _instrument(env: Embedded, crash_after: int) -> dict[str, list[str]]:
    """Every create call per order with how it ended ("accepted" or the error's name); the
    first `crash_after` accepted calls die right after Amazon accepted them."""
    from spconnector.sp.errors import SpApiError

    sp = env.services.sp(env.tenant)
    real = sp.create_review_request
    calls: dict[str, list[str]] = {}
    lock = threading.Lock()
    accepted = [0]

    def create(order_id: str) -> None:
        try:
            real(order_id)
        except SpApiError as exc:
            with lock:
                calls.setdefault(order_id, []).append(f"{type(exc).__name__} {exc.status}")
            raise
        with lock:
            calls.setdefault(order_id, []).append("accepted")
            accepted[0] += 1
            die = accepted[0] <= crash_after
        if die:
            raise Crash("worker died after Amazon accepted the request")

    sp.create_review_request = create  # type: ignore[method-assign]
    return calls


def _eligible(env: Embedded) -> set[str]:
    services, tenant = env.services, env.tenant
    settings = policy_for(services, tenant).solicitations
    assert settings is not None and settings.enabled
    now = services.now()
    found = set()
    for order in services.sp(tenant).shipped_orders(now - LOOK_BACK):
        dates = OrderDates(
            order.amazon_order_id,
            order.fulfilled_by_amazon,
            order.earliest_delivery,
            order.latest_delivery,
            order.delivered,
        )
        if plan(dates, settings, now).verdict == "send":
            found.add(order.amazon_order_id)
    return found


def _run(env: Embedded) -> dict[str, Any] | None:
    try:
        return solicit.run(env.services, env.tenant, env.services.now())
    except Crash:
        return None


def test_every_eligible_order_is_asked_exactly_once(env: Embedded) -> None:
    sim = env.sim
    eligible = _eligible(env)
    assert len(eligible) >= 8, "the seeded world must have orders inside the window"
    calls = _instrument(env, crash_after=3)
    sim.set_faults(internal_error=0.15)

    # concurrent workers, each also ticking twice (duplicate scheduler ticks)
    def worker() -> None:
        for _ in range(2):
            _run(env)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # the faults stop; dead runs' claims age past the lease; the schedule keeps ticking
    sim.set_faults()
    for _ in range(4):
        sim.simulator.advance(LEASE_PASSED)
        _run(env)

    sent_by_amazon = set(sim.state.solicitations_sent)
    tid = env.tenant.tenant_id
    store = env.services.growth
    claims = {c["order_id"]: c for c in store.request_claims(tid)}
    events = [e for e in store.events(tid) if e.kind == "review_request"]

    # exactly once at Amazon, for every eligible order (some may have left the window
    # while the test advanced time: those may be unasked, never asked twice)
    still_open = {o for o in eligible if in_window(sim.scenario.order(o), sim.clock.now())}  # type: ignore[arg-type]
    assert still_open <= sent_by_amazon
    assert sent_by_amazon <= eligible | set(claims)
    # Amazon accepted each order once, and was never asked again after accepting (no 403
    # "not available"): a second call only ever followed a 5xx, on which Amazon did not act
    accepted = Counter(o for o, outcomes in calls.items() for x in outcomes if x == "accepted")
    assert set(accepted) == sent_by_amazon and set(accepted.values()) == {1}
    for order, outcomes in calls.items():
        assert outcomes[-1] == "accepted" or order not in sent_by_amazon, (order, outcomes)
        assert all(x.startswith("ServerError") for x in outcomes[:-1]), (order, outcomes)
    retried_after_5xx = sum(1 for outcomes in calls.values() if len(outcomes) > 1)
    print(
        f"solicit chaos: {len(sent_by_amazon)} orders asked once; {retried_after_5xx} asked "
        "again (after checking) following a 5xx"
    )

    # crashed runs were recovered without a second call: claims say unconfirmed, not sending
    states = Counter(c["state"] for c in claims.values())
    assert states["sending"] == 0, states
    assert states["unconfirmed"] >= 1, states
    # one ledger event per order asked, none for an order Amazon never accepted
    assert len(events) == len({e.amazon_order_id for e in events})
    assert {e.amazon_order_id for e in events} == sent_by_amazon


def test_shadow_mode_sends_nothing(env: Embedded) -> None:
    from spconnector.domain.enums import Mode

    env.services.tenants.update(env.tenant.tenant_id, mode=Mode.SHADOW)
    tenant = env.services.tenants.require(env.tenant.tenant_id)
    summary = solicit.run(env.services, tenant, env.services.now())
    assert summary["would_send"] and not summary["sent"]
    assert env.sim.state.solicitations_sent == {}


def test_a_request_made_in_seller_central_is_not_repeated(env: Embedded) -> None:
    """Amazon no longer offers the action: the job records the refusal and never calls."""
    eligible = sorted(_eligible(env))
    asked_elsewhere = eligible[0]
    env.sim.state.solicitations_sent[asked_elsewhere] = "2026-01-01T00:00:00Z"
    calls = _instrument(env, crash_after=0)
    summary = solicit.run(env.services, env.tenant, env.services.now())
    assert asked_elsewhere in summary["not_offered"]
    assert asked_elsewhere not in calls
    assert set(summary["sent"]) == set(eligible) - {asked_elsewhere}
    again = solicit.run(env.services, env.tenant, env.services.now() + timedelta(seconds=1))
    assert again["sent"] == [] and sum(len(c) for c in calls.values()) == len(eligible) - 1
