"""Amounts and dates as Amazon's notices write them, in each marketplace's conventions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from spconnector.intake.amounts import money_in, parse_amount, parse_date


@pytest.mark.parametrize(
    ("text", "currency", "amount", "code"),
    [
        ("rimborso 169.01 EUR avviato", "EUR", "169.01", "EUR"),
        ("un rimborso di EUR 39.9 a", "EUR", "39.90", "EUR"),
        ("reclamo dalla A alla Z di 119,00\u00a0€ per", "EUR", "119.00", "EUR"),
        ("a claim of $1,234.56 for", "USD", "1234.56", "USD"),
        ("a claim of $12.99 for", "CAD", "12.99", "CAD"),  # the marketplace's dollar
        ("Betrag: 1.234,56 €", "EUR", "1234.56", "EUR"),
        ("返金額 ¥1,200", "JPY", "1200", "JPY"),
        ("£8.50 refunded", "GBP", "8.50", "GBP"),
        # French thousands with narrow no-break / thin spaces: 1234.56, never 234.56
        ("Montant : 1\u202f234,56\u202f€", "EUR", "1234.56", "EUR"),
        ("Montant : 1\u2009234,56 €", "EUR", "1234.56", "EUR"),
        # a dollar with its country names its currency, whatever the marketplace
        ("a claim of CDN$ 45.99 on", None, "45.99", "CAD"),
        ("a claim of US$ 12.00 on", "CAD", "12.00", "USD"),
        ("reembolso de R$ 49,90", "BRL", "49.90", "BRL"),
        ("MX$ 349.00", "MXN", "349.00", "MXN"),
        ("iade tutarı 129,99 TL", "TRY", "129.99", "TRY"),
    ],
)
def test_money_in_the_marketplaces_conventions(
    text: str, currency: str | None, amount: str, code: str
) -> None:
    found = money_in(text, currency)
    assert found is not None and (found.amount, found.currency) == (Decimal(amount), code)


@pytest.mark.parametrize("text", ["no money here", "XYZ 12.00", "12.00", "EUR 99999999999"])
def test_no_amount_is_guessed(text: str) -> None:
    assert money_in(text, "EUR") is None


def test_a_bare_table_cell_is_read_in_the_notices_currency() -> None:
    found = money_in("169", "EUR", bare=True)
    assert found is not None and str(found) == "169.00 EUR"
    assert parse_amount("1.000", "EUR") == Decimal("1000.00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-08-24", date(2026, 8, 24)),
        ("20.11.2026", date(2026, 11, 20)),
        ("November 20, 2026", date(2026, 11, 20)),
        ("20 novembre 2026", date(2026, 11, 20)),
        ("20. November 2026", date(2026, 11, 20)),
        ("2026年11月20日", date(2026, 11, 20)),
        ("2026-13-45", None),
        ("soon", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected
