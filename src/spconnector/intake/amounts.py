"""Amounts and dates as Amazon writes them in each marketplace's notices.

"EUR 169.01", "169.01 EUR", "119,00 €", "$12.99", "1.234,56", "1 234,56 €" (narrow no-break
spaces), "¥1,200", "349,00 kr", "129,99 zł", "129,99 TL", "CDN$ 45.99", "R$ 49,90", "US$ 12";
"2026-08-24", "20.11.2026", "20-11-2026", "November 20, 2026", "20 novembre 2026",
"2026年11月20日". Bounded: amounts within 0..10,000,000, patterns with bounded quantifiers on
capped text; anything else is None, never a guess.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from spconnector.domain.money import Money

MAX_AMOUNT = Decimal(10_000_000)
_CURRENCIES = frozenset(
    {"USD", "CAD", "MXN", "BRL", "GBP", "EUR", "PLN", "SEK", "INR", "JPY", "AUD", "SGD",
     "TRY", "AED", "SAR", "EGP"}
)  # fmt: skip
_SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "￥": "JPY", "zł": "PLN", "kr": "SEK", "₺": "TRY",
            "TL": "TRY", "₹": "INR", "US$": "USD", "CA$": "CAD", "CDN$": "CAD", "C$": "CAD",
            "AU$": "AUD", "A$": "AUD", "MX$": "MXN", "S$": "SGD", "R$": "BRL"}  # fmt: skip
_DOLLARS = frozenset({"USD", "CAD", "AUD", "MXN", "SGD"})
# Thousands: ".", ",", "'", a space, a no-break space or the narrow ones French text uses.
_NUM = r"\d{1,9}(?:[.,' \u00a0\u202f\u2009]\d{3}){0,3}(?:[.,]\d{1,2})?"
# A dollar with its country ("CDN$ 45.99", "R$ 49,90") names its currency, whatever the
# marketplace; a bare "$" takes the marketplace's dollar.
_CUR = r"(?:US|CA|CDN|C|AU|A|MX|S|R)\$|[A-Z]{3}|€|\$|£|¥|￥|₺|₹|(?:zł|kr|TL)(?![^\W\d_])"
_MONEY = re.compile(rf"(?:({_CUR})\s{{0,2}}({_NUM}))|(?:({_NUM})\s{{0,2}}({_CUR}))")

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan", "januar", "janvier", "enero", "gennaio"),
            ("february", "feb", "februar", "février", "febrero", "febbraio"),
            ("march", "mar", "märz", "mars", "marzo"),
            ("april", "apr", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio"),
            ("june", "jun", "juni", "juin", "junio", "giugno"),
            ("july", "jul", "juli", "juillet", "julio", "luglio"),
            ("august", "aug", "août", "agosto"),
            ("september", "sep", "sept", "septembre", "septiembre", "settembre"),
            ("october", "oct", "oktober", "octobre", "octubre", "ottobre"),
            ("november", "nov", "novembre", "noviembre"),
            ("december", "dec", "dezember", "décembre", "diciembre", "dicembre"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUM_DATE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_WORD_DATE = re.compile(
    r"(?:(\d{1,2})\.?\s{1,2}([^\W\d_]{3,10})\.?|([^\W\d_]{3,10})\.?\s{1,2}(\d{1,2}),?)"
    r"\s{1,2}(\d{4})"
)
_JA_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def money_in(text: str, currency: str | None, *, bare: bool = False) -> Money | None:
    """The first amount with a currency in `text`; `bare`: a lone number in `currency`."""
    text = text[:2_000]
    for found in _MONEY.finditer(text):
        symbol = found.group(1) or found.group(4)
        number = found.group(2) or found.group(3)
        code = _currency(symbol, currency)
        amount = parse_amount(number, code)
        if code and amount is not None:
            return Money(amount=amount, currency=code)
    if bare and currency and re.fullmatch(_NUM, text.strip()):
        amount = parse_amount(text.strip(), currency)
        return Money(amount=amount, currency=currency) if amount is not None else None
    return None


def _currency(symbol: str, default: str | None) -> str | None:
    if symbol == "$":
        return default if default in _DOLLARS else "USD"
    code = _SYMBOLS.get(symbol, symbol)
    return code if code in _CURRENCIES else None


def parse_amount(number: str, currency: str | None) -> Decimal | None:
    """Locale-aware: "1.234,56", "1,234.56", "119,00", "169.01", "39.9" → Decimal."""
    s = "".join(c for c in number if c not in " '\u00a0\u202f\u2009")
    if "," in s and "." in s:
        decimal_sep = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal_sep == "," else ",", "").replace(",", ".")
    elif "," in s:
        head, _, tail = s.rpartition(",")
        s = f"{head.replace(',', '')}.{tail}" if len(tail) <= 2 else s.replace(",", "")
    elif s.count(".") == 1 and len(s.rpartition(".")[2]) <= 2:
        pass
    else:
        s = s.replace(".", "")  # "1.234": a thousands separator
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        return None
    return value.quantize(Decimal(1) if currency == "JPY" else Decimal("0.01"))


def parse_date(text: str) -> date | None:
    text = text[:200]
    candidates: list[tuple[int, int, int]] = []
    if found := _ISO_DATE.search(text):
        candidates.append((int(found[1]), int(found[2]), int(found[3])))
    if found := _JA_DATE.search(text):
        candidates.append((int(found[1]), int(found[2]), int(found[3])))
    if found := _NUM_DATE.search(text):
        candidates.append((int(found[3]), int(found[2]), int(found[1])))  # day first
    if found := _WORD_DATE.search(text):
        day = found[1] or found[4]
        month = _MONTHS.get((found[2] or found[3]).lower())
        if month:
            candidates.append((int(found[5]), month, int(day)))
    for year, month, day in candidates:
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None
