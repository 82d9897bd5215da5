"""The simulator's clock: real time multiplied by a time scale, plus manual advances.

Report and feed progress and the usage-plan buckets all read this clock, so a test can move
time forward with `advance()` instead of sleeping, and a benchmark can speed everything up.

Unless told otherwise the clock starts at `REFERENCE_TIME`, the seeded world's present: the
scenario (orders, mail, reports) is generated around it, so the same seed gives the same bytes
on any day and any machine. Only elapsed time is real (monotonic × time scale).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

# The seeded world's present. Fixed, never the wall clock: generated mail and the sample events
# in events/ must not go stale from one day to the next.
REFERENCE_TIME = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
# A year of simulated time in about 30 real seconds; beyond that (or NaN, or infinity) every
# deadline and usage-plan rate turns into nonsense instead of a faster world.
MAX_TIME_SCALE = 1e6


class SimClock:
    def __init__(
        self,
        time_scale: float = 1.0,
        start: datetime | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < time_scale <= MAX_TIME_SCALE:  # also refuses NaN
            raise ValueError(f"time_scale must be above 0 and at most {MAX_TIME_SCALE:g}")
        self.time_scale = time_scale
        self._monotonic = monotonic
        self._real_origin = monotonic()
        self._start = start or REFERENCE_TIME
        self._offset = 0.0
        self._lock = threading.Lock()

    def seconds(self) -> float:
        """Simulated seconds since the clock started."""
        with self._lock:
            return (self._monotonic() - self._real_origin) * self.time_scale + self._offset

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.seconds())

    def at(self, seconds: float) -> datetime:
        """The simulated wall time `seconds` after the clock started."""
        return self._start + timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
