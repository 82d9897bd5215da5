"""How long a call may still take: the Lambda's remaining time minus a safety margin."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, Protocol


class LambdaContext(Protocol):
    def get_remaining_time_in_millis(self) -> int: ...


class Deadline:
    """Seconds left for SP-API work. Every wait (limiter, retry backoff) is bounded by it."""

    def __init__(self, remaining: Callable[[], float]) -> None:
        self._remaining = remaining

    def remaining(self) -> float:
        return max(0.0, self._remaining())

    @classmethod
    def unbounded(cls) -> Deadline:
        return cls(lambda: math.inf)

    @classmethod
    def after(cls, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> Deadline:
        end = clock() + seconds
        return cls(lambda: end - clock())

    @classmethod
    def from_lambda_context(cls, context: LambdaContext | Any, *, margin: float = 5.0) -> Deadline:
        """Leave `margin` seconds for the handler to record progress and return."""
        return cls(lambda: context.get_remaining_time_in_millis() / 1000.0 - margin)
