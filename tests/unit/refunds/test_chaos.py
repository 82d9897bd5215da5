"""≥ 1,000 randomized chaos runs of the act path: zero duplicate refunds, nothing stuck."""

from __future__ import annotations

from collections import Counter

from tests.unit.refunds.chaos import run_once

RUNS = 1000


def test_thousand_chaos_runs_never_refund_twice_and_leave_nothing_stuck() -> None:
    problems: list[str] = []
    crashes = resent = 0
    states: Counter[str] = Counter()
    for seed in range(RUNS):
        outcome = run_once(seed, threads=seed % 4 == 0)
        problems.extend(f"seed {seed}: {p}" for p in outcome.problems)
        crashes += outcome.crashes
        resent += outcome.resent
        states.update(outcome.states)
    assert not problems, "\n".join(problems[:20])
    # the runs really exercised the hard paths
    assert crashes > 500, crashes
    assert resent > 0
    assert states["confirmed"] > 0 and states["failed"] > 0 and states["needs_person"] > 0, states
    assert states["unknown"] > 0, states
