"""Building blocks for fuzz inputs: pieces real inputs are made of, and the hostile ones the
audit found (huge exponents, edge-of-calendar dates, lone surrogates, control characters)."""

from __future__ import annotations

import random

HOSTILE = [
    "", " ", "\t", "\x00", "\r", "\u2028", "\ufeff", "\udc80", "\u202e", "é", "€", "٣",
    "1.0e5000", "1.0e999999999", "1e20", "-0", "NaN", "Infinity", "-inf", "9" * 400,
    "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "2026-02-30", "2026-13-45",
    "12,99", "1,234", "1.234,56", "1,234.56", "-5.00", "0", "1.5", "2.0",
    "=?utf-8?q?x=0D=0AX-Injected:_yes?=", "{{ 7*7 }}", "<a href=x>", "a" * 300,
    "x@marketplace.amazon.com", "+49 30 1234567", "www.example.com", "USD", "EUR", "XYZ",
]  # fmt: skip


def pick(rnd: random.Random, options: list[str]) -> str:
    return options[rnd.randrange(len(options))]


def junk(rnd: random.Random, max_len: int = 30) -> str:
    """Arbitrary code points, surrogates and controls included."""
    size = rnd.randrange(max_len + 1)
    out = []
    for _ in range(size):
        roll = rnd.random()
        if roll < 0.6:
            out.append(chr(rnd.randrange(32, 127)))
        elif roll < 0.8:
            out.append(chr(rnd.randrange(0, 32)))
        else:
            out.append(chr(rnd.randrange(0x80, 0x110000)))
    return "".join(out)


def value(rnd: random.Random, good: list[str]) -> str:
    """Mostly a plausible value, sometimes hostile, sometimes junk, sometimes a mix."""
    roll = rnd.random()
    if roll < 0.55:
        return pick(rnd, good)
    if roll < 0.8:
        return pick(rnd, HOSTILE)
    if roll < 0.9:
        return junk(rnd)
    return pick(rnd, good) + pick(rnd, HOSTILE)
