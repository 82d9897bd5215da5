"""Fuzz: money text and numbers. Every input is an amount (finite, below the bound, read back
the same from its own canonical text) or an AmountError / ValidationError — nothing else."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given
from pydantic import ValidationError

from spconnector.domain.money import MAX_AMOUNT, AmountError, Money, parse_amount
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.grammar import HOSTILE, junk, pick, value

INPUTS = 20_000
tally = Tally(INPUTS)
CURRENCIES = ["EUR", "USD", "JPY", "SEK", "GBP", "PLN", "XYZ", ""]
PIECES = ["0", "1", "12", "99", "999", "1234", ".", ",", " ", "\u00a0", "\u202f", "-", "+",
          "e", "E", "5000", "000", "٣"]  # fmt: skip


def _text(rnd: random.Random) -> str:
    roll = rnd.random()
    if roll < 0.7:
        return "".join(pick(rnd, PIECES) for _ in range(rnd.randrange(1, 9)))
    if roll < 0.85:
        return pick(rnd, HOSTILE)
    return junk(rnd, 40)


def _number(rnd: random.Random) -> object:
    roll = rnd.random()
    if roll < 0.2:
        return rnd.randrange(-(10**12), 10**12) * 10 ** rnd.randrange(0, 30)
    if roll < 0.4:
        return rnd.uniform(-1e12, 1e12) * 10.0 ** rnd.randrange(-300, 300)
    if roll < 0.6:
        return Decimal(f"{rnd.randrange(-(10**9), 10**9)}E{rnd.randrange(-40, 40)}")
    if roll < 0.65:
        return pick(rnd, [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity"), True])
    return _text(rnd)


def _read(text: str, currency: str | None) -> str:
    try:
        amount = parse_amount(text, currency)
    except AmountError as exc:
        assert str(exc) and "\n" not in str(exc)
        return "refused"
    assert amount.is_finite() and abs(amount) < MAX_AMOUNT
    assert parse_amount(format(amount, "f"), currency) == amount  # our own writing reads back
    return "amount"


def _model(raw: object, currency: str) -> str:
    try:
        money = Money(amount=raw, currency=currency)  # type: ignore[arg-type]
    except (ValidationError, AmountError):
        return "refused"
    assert isinstance(money.amount, Decimal) and money.amount.is_finite()
    assert abs(money.amount) < MAX_AMOUNT
    assert Money.model_validate_json(money.model_dump_json()) == money
    return "money"


@fuzz_settings(INPUTS // 2)
@given(SEEDS)
def test_fuzz_parse_amount(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        text, currency = _text(rnd), value(rnd, CURRENCIES) or None
        tally.run(_read, text, currency)


@fuzz_settings(INPUTS // 2)
@given(SEEDS)
def test_fuzz_money_model(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        raw, currency = _number(rnd), pick(rnd, CURRENCIES)
        tally.run(_model, raw, currency)


def test_fuzz_money_ran_its_inputs() -> None:
    tally.check()
    assert tally.outcomes.get("amount", 0) > 0 and tally.outcomes.get("money", 0) > 0
    assert tally.outcomes.get("refused", 0) > 0
