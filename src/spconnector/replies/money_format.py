"""Amounts written the way buyers in each language read them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "MXN": "MX$"}
_NO_DECIMALS = {"JPY"}


def format_money(amount: Decimal, currency: str, language: str) -> str:
    places = Decimal(1) if currency in _NO_DECIMALS else Decimal("0.01")
    value = amount.quantize(places, rounding=ROUND_HALF_UP)
    digits = f"{value:,}"  # 1,234.56
    symbol = _SYMBOLS.get(currency)
    if language == "en":
        return f"{symbol}{digits}" if symbol else f"{digits} {currency}"
    # de/fr/es/it: 1.234,56 € (fr groups with a space)
    sep = " " if language == "fr" else "."
    local = digits.replace(",", "\x00").replace(".", ",").replace("\x00", sep)
    return f"{local} {symbol or currency}"
