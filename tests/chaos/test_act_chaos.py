"""≥ 1,000 seeded chaos runs of the whole Act path on the embedded default (simulator + moto):
crashes before and after every port call, duplicate and concurrent deliveries, simulator
faults, and adjustment feeds that Amazon rejects, ends FATAL or never finishes. Then: zero
duplicate refunds (in the ledger and in what Amazon applied), no order refunded twice, every
refund that is not confirmed escalated to a person, every reply sent at most once and
exactly once unless escalated with a reason, every case terminal."""

from __future__ import annotations

import os
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from spconnector.domain import Budgets, CaseStatus
from spconnector.local.embedded import Embedded, embedded
from spconnector.refunds.model import Refund, RefundState
from tests.chaos.act_harness import Harness, feeds_round, harness, run_once
from tests.chaos.moto_speed import faster_moto

RUNS = 1000
BROKEN_RUNS = 60
BLOCK = 250
FEEDS_EVERY = 50  # runs between two TrackFeeds rounds (refunds go out while others decide)
DEADLINE_PASSED = 25 * 3600  # past SubmitSettings.confirm_within: no answer means unknown
# Crash points the brief names; each must have been hit, before and after the call.
MUST_CRASH_AT = (
    "ledger.create_refund",
    "ledger.replace_refund",
    "ledger.claim_order",
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
    """TrackFeeds until no refund waits to be sent or confirmed (faults and crashes off); a
    feed Amazon never finishes is waited for until its deadline has passed."""
    from spconnector.jobs import track_feeds

    tenant = h.services.tenants.require(h.tid)
    waiting = {RefundState.APPROVED, RefundState.SUBMITTED}
    for attempt in range(12):
        track_feeds.run(h.services, tenant, h.services.now())
        if not any(r.state in waiting for r in _all_refunds(h)):
            return
        h.env.sim.advance(DEADLINE_PASSED if attempt == 8 else 150)
    raise AssertionError("refunds still waiting after 12 TrackFeeds runs")


def _check_money(h: Harness, env: Embedded, refunds: list[Refund]) -> list[str]:
    """No order refunded twice by Amazon; every refund not confirmed is known to a person."""
    problems: list[str] = []
    ours: dict[str, set[str]] = {}
    for order_id, accepted in env.sim.state.adjustments.items():
        for a in accepted:
            if a.merchant_adjustment_item_id.startswith("spc-"):
                refund_id = a.merchant_adjustment_item_id.rsplit("-", 1)[0]
                ours.setdefault(order_id, set()).add(refund_id)
    problems += [f"order {o} refunded by {sorted(ids)}" for o, ids in ours.items() if len(ids) > 1]
    told = {s.amazon_order_id for s in h.published if any("refund" in r for r in s.reasons)}
    for refund in refunds:
        if refund.state not in (RefundState.FAILED, RefundState.UNKNOWN):
            continue
        where = f"{refund.amazon_order_id} {refund.state.value} ({refund.failure})"
        if refund.escalated_at is None or refund.amazon_order_id not in told:
            problems.append(f"{where}: nobody was told")
        case = h.services.cases.get(h.tid, refund.case_id)
        if refund.state is RefundState.UNKNOWN and case and case.status is CaseStatus.REFUNDED:
            problems.append(f"{where}: the case still shows refunded")
    return problems


def _forced_fate(seed: int) -> str | None:
    """The third feeds round of the first block ends every feed FATAL, that of the second
    block stuck, so the run surely meets both unknown outcomes; every other round draws its
    fates (forcing more rounds would leave too few refunds confirmed to test that path)."""
    block, in_block = divmod(seed, BLOCK)
    if in_block // FEEDS_EVERY != 2:
        return None
    return {0: "fatal", 1: "stuck"}.get(block)


# 1,000 runs take ~100 s alone and ~180 s beside another pytest worker: past the suite's
# 300 s hang guard on a busy machine, so this test has a guard of its own.
@pytest.mark.timeout(900)
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
                if seed % FEEDS_EVERY == FEEDS_EVERY - 1:
                    feeds_round(h, _forced_fate(seed))
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
            problems.extend(_check_money(h, env, refunds))
            states.update(r.state for r in refunds)

    assert not problems, "\n".join(problems[:20])
    # fewer than without feed faults: an unknown outcome keeps its order from further refunds
    assert states[RefundState.CONFIRMED] > 30, states
    assert not states[RefundState.APPROVED] and not states[RefundState.SUBMITTED], states
    # Amazon's misbehaviour was met: rejections (failed) and FATAL/unanswered (unknown); two
    # rounds' feeds all end FATAL or stuck (`_forced_fate`). How many refunds
    # those feeds hold depends on timing, so this asks only that each path was really taken;
    # what must hold on it is checked above, per refund.
    assert states[RefundState.FAILED] > 0 and states[RefundState.UNKNOWN] > 0, states
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
