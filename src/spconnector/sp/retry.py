"""When to try an SP-API call again: 429, 5xx, timeouts — never past the caller's deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)
from tenacity.stop import stop_base

from spconnector.observability import get_logger
from spconnector.sp.deadline import Deadline
from spconnector.sp.errors import SpApiError

log = get_logger("spconnector.sp")

T = TypeVar("T")


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, SpApiError) and exc.retryable


class StopWhenBudgetShort(stop_base):
    """Stop if, after the coming backoff, too little time would be left for an attempt."""

    def __init__(self, deadline: Deadline, min_attempt_seconds: float) -> None:
        self.deadline = deadline
        self.min_attempt_seconds = min_attempt_seconds

    def __call__(self, retry_state: RetryCallState) -> bool:
        left = self.deadline.remaining() - retry_state.upcoming_sleep
        return left < self.min_attempt_seconds


@dataclass(frozen=True)
class RetryPolicy:
    """Jittered exponential backoff ("full jitter") bounded by attempts and by the deadline."""

    max_attempts: int = 8
    backoff_base: float = 0.5  # seconds; the n-th wait is uniform in [0, base × 2^n]
    backoff_cap: float = 30.0
    min_attempt_seconds: float = 1.0  # don't start an attempt with less time than this left
    sleep: Callable[[float], None] = time.sleep

    def run(
        self,
        attempt: Callable[[], T],
        deadline: Deadline,
        *,
        operation: str,
        retry_on: Callable[[BaseException], bool] = _retryable,
    ) -> T:
        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            status = getattr(exc, "status", None)
            code = getattr(exc, "code", None)
            log.info(
                "retrying %s after attempt %d (status=%s code=%s), waiting %.2fs",
                operation,
                state.attempt_number,
                status,
                code,
                state.upcoming_sleep,
            )

        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts)
            | StopWhenBudgetShort(deadline, self.min_attempt_seconds),
            wait=wait_random_exponential(multiplier=self.backoff_base, max=self.backoff_cap),
            retry=retry_if_exception(retry_on),
            reraise=True,
            sleep=self.sleep,
            before_sleep=before_sleep,
        )
        return retrying(attempt)
