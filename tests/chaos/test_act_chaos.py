"""≥ 1,000 seeded chaos runs of the whole Act path on the embedded default (simulator + moto):
crashes before and after every port call, duplicate and concurrent deliveries, simulator
faults. Then: zero duplicate refunds (in the ledger and in what Amazon applied), every reply
sent at most once and exactly once unless escalated with a reason, every case terminal."""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from spconnector.domain import Budgets
from spconnector.jobs.embedded import Embedded, embedded
from spconnector.refunds.model import Refund, RefundState
from tests.chaos.act_harness import Harness, harness, run_once
from tests.chaos.moto_speed import faster_moto

RUNS = 1000
BROKEN_RUNS = 60
BLOCK = 250
# Crash points the brief names; each must have been hit, before and after the call.
MUST_CRASH_AT = (
    "ledger.create_refund",
    "ledger.replace_refund",
    "outbox.claim",
    "outbox.done",
    "ses.send",
    "sns.publish",
    "cases.upsert",
    "sp.create_unexpected_problem",
)


@contextmanager
def _environment() -> Iterator[Embedded]:
    with warnings.catch_warnings(), faster_moto(), embedded(seed=11, time_scale=300.0) as env:
        warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")
        # No budgets: every refund is approved unless FBA or refused, so the money path is
        # exercised on most refund runs (budgets have their own tests).
        env.services.tenants.update(env.tenant.tenant_id, budgets=Budgets())
        yield env


def _all_refunds(h: Harness) -> list[Refund]:
    tenant = h.services.tenants.require(h.tid)
    return [
        refund
        for market in tenant.marketplace_ids
        for state in RefundState
        for refund in h.services.refund_ledger.refunds_in_state(h.tid, market, state)
    ]


def _settle_feeds(h: Harness) -> None:
    """TrackFeeds until no refund waits to be sent or confirmed (faults and crashes off)."""
    from spconnector.jobs import track_feeds

    tenant = h.services.tenants.require(h.tid)
    waiting = {RefundState.APPROVED, RefundState.SUBMITTED}
    for _ in range(30):
        track_feeds.run(h.services, tenant, h.services.now())
        if not any(r.state in waiting for r in _all_refunds(h)):
            return
        h.env.sim.advance(150)
    raise AssertionError("refunds still waiting after 30 TrackFeeds runs")


def test_a_thousand_chaos_runs_never_send_twice_or_refund_twice() -> None:
    problems: list[str] = []
    outcomes: Counter[str] = Counter()
    replies: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    states: Counter[RefundState] = Counter()
    failed = concurrent = 0
    # A fresh environment every BLOCK runs: the simulator has few orders, and their cases
    # would otherwise pile up decisions (slower, and nothing more is tested).
    for first in range(0, RUNS, BLOCK):
        with _environment() as env, harness(env) as h:
            for seed in range(first, first + BLOCK):
                out = run_once(h, seed)
                problems.extend(f"seed {seed}: {p}" for p in out.problems)
                outcomes[f"{out.kind}:{out.status}"] += 1
                replies[out.reply] += 1
                failed += out.failed_deliveries
                concurrent += out.concurrent
            hits.update(h.chaos.hits)
            _settle_feeds(h)
            refunds = _all_refunds(h)
            # one refund record per decision step; Amazon applied each adjustment at most once
            per_decision = Counter((r.case_id, r.decision_step) for r in refunds)
            assert all(n == 1 for n in per_decision.values()), per_decision.most_common(3)
            applied = Counter(
                a.merchant_adjustment_item_id
                for accepted in env.sim.state.adjustments.values()
                for a in accepted
            )
            assert applied and all(n == 1 for n in applied.values()), applied.most_common(3)
            states.update(r.state for r in refunds)

    assert not problems, "\n".join(problems[:20])
    assert states[RefundState.CONFIRMED] > 50, states
    assert not states[RefundState.APPROVED] and not states[RefundState.SUBMITTED], states
    # the runs really went through the hard paths
    for point in MUST_CRASH_AT:
        for when in ("before", "after"):
            assert hits[f"{point}:{when}"] > 0, (point, when, hits)
    assert failed > 300 and concurrent > 100, (failed, concurrent)
    assert replies["sent"] > 200 and replies["state_unknown"] > 20, replies
    assert replies["already_sent"] > 0 and replies["not_offered"] > 0, replies


def test_the_chaos_catches_a_reply_sent_without_its_outbox_claim() -> None:
    """Self-check: with the outbox claim skipped, the same harness finds duplicate replies."""
    problems: list[str] = []
    with _environment() as env, harness(env, broken_outbox=True) as h:
        for seed in range(100_000, 100_000 + BROKEN_RUNS):
            problems.extend(run_once(h, seed, probability=0.25).problems)
    assert any("replies for one decision" in p for p in problems), problems[:5]


# Replay one run: SPCONNECTOR_CHAOS_SEED=938 pytest tests/chaos -k one_seed -s
# Runs share the simulator's orders (and so cases) with the earlier runs of their block, so
# the block is replayed from its first seed up to the one asked for.
_ONE_SEED = os.environ.get("SPCONNECTOR_CHAOS_SEED")


@pytest.mark.skipif(_ONE_SEED is None, reason="set SPCONNECTOR_CHAOS_SEED=<seed> to replay a run")
def test_one_seed() -> None:
    seed = int(_ONE_SEED or 0)
    with _environment() as env, harness(env) as h:
        for earlier in range(seed - seed % BLOCK, seed):
            run_once(h, earlier)
        before = dict(h.chaos.hits)
        out = run_once(h, seed)
        crashes = {k: n - before.get(k, 0) for k, n in h.chaos.hits.items() if n > before.get(k, 0)}
        print(f"seed {seed}: {out}; crashed at {crashes}")
    assert not out.problems, out.problems
