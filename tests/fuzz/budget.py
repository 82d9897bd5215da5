"""What every fuzz target shares: how many inputs it runs, and the one-second (CPU) bound per input.

Each hypothesis example draws a seed for a `random.Random` and builds a batch of BATCH inputs from
it with the target's own grammar (hypothesis' per-draw cost would otherwise be most of the
run), so `inputs` is the number of inputs really run; a failing input is named in the
assertion message. The default
sizes meet ">= 20,000 inputs per target" inside `make test`; `make fuzz` sets
SPCONNECTOR_FUZZ_SCALE to run many more.
"""

from __future__ import annotations

import gc
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

BATCH = 50
# One draw per example: a seed for the batch's own random.Random (st.randoms() routes every
# call through hypothesis and costs fifty times more).
SEEDS = st.integers(min_value=0, max_value=2**63)
PER_INPUT_SECONDS = 1.0


def scale() -> float:
    raw = os.environ.get("SPCONNECTOR_FUZZ_SCALE", "1")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"SPCONNECTOR_FUZZ_SCALE must be a number, not {raw!r}") from None
    return max(value, 0.01)


def fuzz_settings(inputs: int) -> settings:
    """Settings for a target that runs `inputs` inputs (times the scale), BATCH per example.
    Generation only when nothing fails (shrinking runs when something does); no database, so
    a run never depends on the one before."""
    return settings(
        max_examples=math.ceil(inputs * scale() / BATCH),
        deadline=None,
        database=None,
        derandomize=os.environ.get("SPCONNECTOR_FUZZ_RANDOM") is None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )


class _GcClock:
    """CPU seconds the cyclic garbage collector spent since the last `take()`. A full
    collection walks the whole heap (moto's state, caches) and runs in whichever call happened
    to allocate: its time belongs to no input, so inputs are timed without it."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._started: float | None = None
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.thread_time()
        elif self._started is not None:
            self.spent += time.thread_time() - self._started
            self._started = None

    def take(self) -> float:
        spent, self.spent = self.spent, 0.0
        return spent


_GC = _GcClock()


@dataclass
class Tally:
    """Counts the inputs a target really ran and the slowest one."""

    target: int
    ran: int = 0
    slowest: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)

    def run(self, call: Callable[..., Any], *args: Any) -> Any:
        """`call(*args)` as one input, timed; its result (a str) is tallied as the outcome.
        The input (`args`) is named if it fails or is too slow."""
        # CPU time of this thread, not wall time: the bound is on what the parser costs (a
        # super-linear regex burns CPU), not on how busy the machine is (the suite runs on
        # every core; a hang that burns no CPU is pytest-timeout's to catch).
        # The collector's time is not the input's (a full collection lands on whichever input
        # allocated last); a super-linear parse spends its time outside the collector.
        _GC.take()
        start = time.thread_time()
        try:
            result = call(*args)
        except BaseException as exc:
            raise AssertionError(f"input {args!r:.500} raised {exc!r:.300}") from exc
        seconds = time.thread_time() - start - _GC.take()
        self.ran += 1
        self.slowest = max(self.slowest, seconds)
        assert seconds < PER_INPUT_SECONDS, f"input {args!r:.500} took {seconds:.2f} s"
        key = str(result)
        self.outcomes[key] = self.outcomes.get(key, 0) + 1
        return result

    def check(self) -> None:
        """After the hypothesis run: it really ran the inputs it promised."""
        assert self.ran >= self.target * scale() * 0.99, (self.ran, self.target)
