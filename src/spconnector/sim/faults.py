"""Fault injection: server errors, HTML gateway pages, slow answers, truncated documents.

Draws come from a generator seeded by the scenario seed, so one request sequence always
meets the same faults.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)


@dataclass
class FaultRates:
    internal_error: float = 0.0  # "500"
    unavailable: float = 0.0  # "503"
    bad_gateway_html: float = 0.0  # "502_html"
    slow_ms: int = 0
    slow_rate: float = 0.0
    truncated_gzip: float = 0.0
    empty_throttle: float = 0.0  # "429_empty": a 429 with no body at all
    # Amazon's answers to an adjustment feed (per feed / per message), drawn when it is processed
    feed_fatal: float = 0.0  # the feed ends FATAL after applying it (the worst case for us)
    feed_stuck: float = 0.0  # the feed never finishes (IN_PROGRESS for ever)
    message_rejected: float = 0.0  # one message rejected with an error, nothing applied

    # The JSON names used by /_sim/faults.
    _WIRE: ClassVar[dict[str, str]] = {
        "500": "internal_error",
        "503": "unavailable",
        "502_html": "bad_gateway_html",
        "slow_ms": "slow_ms",
        "slow_rate": "slow_rate",
        "truncated_gzip": "truncated_gzip",
        "429_empty": "empty_throttle",
        "feed_fatal": "feed_fatal",
        "feed_stuck": "feed_stuck",
        "message_rejected": "message_rejected",
    }

    def to_wire(self) -> dict[str, Any]:
        values = asdict(self)
        return {wire: values[attr] for wire, attr in self._WIRE.items()}

    @classmethod
    def from_wire(cls, data: dict[str, Any], base: FaultRates | None = None) -> FaultRates:
        """Accepts wire names ("500") and attribute names; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        values = asdict(base or cls())
        for key, value in data.items():
            attr = cls._WIRE.get(key, key)
            if attr not in known:
                raise ValueError(f"unknown fault {key!r}")
            if attr == "slow_ms":
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise ValueError("slow_ms must be a non-negative integer")
            elif (
                not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1
            ):
                raise ValueError(f"{key} must be a rate between 0 and 1")
            values[attr] = value
        return cls(**values)


class FaultInjector:
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed * 7919 + 17)
        self._lock = threading.Lock()
        self.rates = FaultRates()

    def set(self, rates: FaultRates) -> None:
        with self._lock:
            self.rates = rates

    def _roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def pick_error(self) -> int | None:
        """500, 503, 502 (HTML), 429 (empty body) or None for a normal answer."""
        rates = self.rates
        if self._roll(rates.internal_error):
            return 500
        if self._roll(rates.unavailable):
            return 503
        if self._roll(rates.bad_gateway_html):
            return 502
        if self._roll(rates.empty_throttle):
            return 429
        return None

    def delay_seconds(self) -> float:
        rates = self.rates
        if rates.slow_ms and self._roll(rates.slow_rate):
            return rates.slow_ms / 1000.0
        return 0.0

    def truncate(self) -> bool:
        return self._roll(self.rates.truncated_gzip)

    def feed_fate(self) -> str:
        """How Amazon ends one adjustment feed: "done", "stuck" or "fatal_applied"."""
        rates = self.rates
        if self._roll(rates.feed_stuck):
            return "stuck"
        if self._roll(rates.feed_fatal):
            return "fatal_applied"
        return "done"

    def reject_message(self) -> bool:
        return self._roll(self.rates.message_rejected)
