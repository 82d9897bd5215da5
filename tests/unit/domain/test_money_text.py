"""Money from text: read by the currency's convention, bounded, ambiguity refused."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from pydantic import ValidationError

from spconnector.domain.money import AmountError, Money, parse_amount


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("12,99", "EUR", "12.99"),  # the audit's reproducer: a traceback before
        ("12,99", "SEK", "12.99"),
        ("12.99", "EUR", "12.99"),  # Amazon's reports write a dot everywhere
        ("1.234,56", "EUR", "1234.56"),
        ("1,234.56", "EUR", "1234.56"),
        ("1,234.56", "USD", "1234.56"),
        ("1.234.567", "EUR", "1234567"),
        ("1,234,567", "USD", "1234567"),
        ("1 234,56", "EUR", "1234.56"),
        ("1\u202f234,56", "EUR", "1234.56"),
        ("1,234", "EUR", "1.234"),
        ("0,125", "USD", "0.125"),
        ("-3.50", "USD", "-3.50"),
        ("24.99", None, "24.99"),
    ],
)
def test_text_is_read_by_the_currencys_convention(
    text: str, currency: str | None, expected: str
) -> None:
    assert parse_amount(text, currency) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("1,234", "USD"),  # 1234 or 1.234?
        ("1,234", None),
        ("1,2,3", "USD"),
        ("1.2.3,4", "EUR"),
        ("12,34.5", "USD"),
        ("12.", "USD"),
        ("", "USD"),
        ("abc", "USD"),
        ("12 EUR", "EUR"),
        ("1e5", "USD"),
        ("1.0e999999999", "USD"),
        ("NaN", "USD"),
        ("Infinity", "USD"),
        ("99999999999", "USD"),
        ("9" * 100_000, "USD"),
    ],
)
def test_ambiguous_or_absurd_text_is_an_error_not_a_guess(text: str, currency: str | None) -> None:
    start = time.perf_counter()
    with pytest.raises(AmountError):
        parse_amount(text, currency)
    assert time.perf_counter() - start < 1.0


def test_the_model_reads_text_in_its_own_currency_and_says_what_is_wrong() -> None:
    assert Money(amount="12,99", currency="EUR").amount == Decimal("12.99")
    assert Money.of("12,99", "EUR") == Money.of(Decimal("12.99"), "EUR")
    with pytest.raises(ValidationError, match="ambiguous"):
        Money.model_validate({"amount": "1,234", "currency": "USD"})
    with pytest.raises(ValidationError, match="out of range"):
        Money(amount=Decimal("1e999999999"), currency="USD")
    with pytest.raises(ValidationError, match="out of range"):
        Money(amount=10**5000, currency="USD")


def test_amounts_round_trip_through_json_in_every_currency() -> None:
    for currency in ("EUR", "USD", "JPY", "SEK"):
        for amount in ("1.234", "0.001", "1234.5", "24.99", "-3"):
            money = Money.of(Decimal(amount), currency)
            assert Money.model_validate_json(money.model_dump_json()) == money
