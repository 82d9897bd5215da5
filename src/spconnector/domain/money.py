"""Money as Decimal with a currency; arithmetic refuses to mix currencies.

Amounts written as text are read by the currency's own convention (`parse_amount`): "12,99"
in EUR is 12.99, "1,234.56" in USD is 1234.56, and text that could mean two amounts ("1,234"
in USD: 1234 or 1.234?) is an error, never a guess; in a currency without decimals (JPY, KRW)
"3,980" is 3980. Every amount is finite and below
MAX_AMOUNT, and text is length-checked before any conversion, so "1e999999999" costs nothing.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, model_validator

CENT = Decimal("0.01")
# No order, refund or budget comes near this; beyond it a number is a misread, not money.
MAX_AMOUNT = Decimal("1000000000")
_MIN_EXPONENT = 12  # nothing in money is smaller than 1e-12 unless it is zero
# 28 significant digits (Decimal's precision) from 1e9 down to 1e-12, written out in full, fit
_MAX_TEXT = 64

# Active ISO 4217 codes (2026). A currency outside this list is a misread cell, not money.
ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()  # noqa: SIM905 - a table reads and checks better than 160 quoted strings
)
# Currencies whose marketplaces write the decimal part after a comma (12,99 €, 12,99 kr).
COMMA_DECIMAL = frozenset(
    {"EUR", "SEK", "PLN", "TRY", "BRL", "NOK", "DKK", "CZK", "HUF", "RON", "BGN"}
)
# Currencies with no minor unit in use (ISO 4217 exponent 0): "3,980" in JPY can only be
# 3980 (a lone "." stays the decimal point, as our own JSON writes computed amounts).
NO_MINOR_UNIT = frozenset(
    {"JPY", "KRW", "CLP", "ISK", "VND", "PYG", "UGX", "XAF", "XOF", "XPF", "BIF", "DJF", "GNF"}
    | {"KMF", "RWF", "VUV"}
)
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]{0,80}")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+")


class AmountError(ValueError):
    """Text that is not one amount of money, or not unambiguously one."""


def parse_amount(text: str, currency: str | None = None) -> Decimal:
    """One amount from text, read by `currency`'s convention. Raises AmountError.

    Spaces (also no-break spaces) are thousands separators. With both "." and ",", the last
    is the decimal point and the other must group by thousands. A lone "." is the decimal
    point. A lone "," is too, unless exactly three digits follow it in a currency that writes
    decimals after a dot: "1,234" in USD (1234 or 1.234?) is refused. The same mark more than
    once groups thousands. No exponents, no text around the number."""
    raw = text.strip()
    if len(raw) > _MAX_TEXT:
        raise AmountError(f"amount {raw[:20]!r}… is too long")
    squeezed = re.sub(r"[ \u00a0\u202f]", "", raw)
    if not _NUMBER.fullmatch(squeezed):
        raise AmountError(f"not an amount: {raw!r}")
    sign = squeezed[0] if squeezed[0] in "+-" else ""
    body = squeezed[len(sign) :]
    if body[-1] in ".,":
        raise AmountError(f"not an amount: {raw!r}")
    decimal_mark = "," if currency in COMMA_DECIMAL else "."
    last_dot, last_comma = body.rfind("."), body.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        point = max(last_dot, last_comma)
        whole, fraction = body[:point], body[point + 1 :]
        other = "," if body[point] == "." else "."
        if body[point] in whole or not _GROUPED.fullmatch(whole) or other not in whole:
            raise AmountError(f"ambiguous amount {raw!r}")
        digits = whole.replace(other, "") + "." + fraction
    elif last_dot >= 0 or last_comma >= 0:
        mark = "." if last_dot >= 0 else ","
        if body.count(mark) > 1:
            if not _GROUPED.fullmatch(body):
                raise AmountError(f"ambiguous amount {raw!r}")
            digits = body.replace(mark, "")
        else:
            whole, fraction = body.split(mark)
            # A lone "." is always the decimal point: Amazon's reports, JSON and our own
            # serializer write amounts so. A lone "," with three digits after it is the
            # decimal point only where the currency writes it so, and never in a currency
            # without decimals (there it groups thousands: 3,980 JPY).
            if mark == "," and len(fraction) == 3 and currency in NO_MINOR_UNIT and whole != "0":
                return _bounded(Decimal(sign + whole + fraction), raw)
            if mark == "," and len(fraction) == 3 and decimal_mark == "." and whole != "0":
                where = repr(currency[:5]) if currency else "no currency"
                raise AmountError(f"ambiguous amount {raw!r} in {where} (thousands or decimals?)")
            digits = f"{whole}.{fraction}"
    else:
        digits = body
    return _bounded(Decimal(sign + digits), raw)


def _bounded(value: Decimal, shown: object) -> Decimal:
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise AmountError(f"amount {str(shown)[:20]!r} is out of range")
    if value.is_zero():
        # 0E-1000 is zero; written out in full it would be a thousand digits long
        exponent = value.as_tuple().exponent
        return value if isinstance(exponent, int) and exponent >= -_MIN_EXPONENT else Decimal(0)
    if value.adjusted() < -_MIN_EXPONENT:
        raise AmountError(f"amount {str(shown)[:20]!r} is out of range (too small to be money)")
    return value


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"not an amount: {value!r}")
    if isinstance(value, float):
        # floats carry binary noise; go through repr so 12.99 stays 12.99
        return _bounded(Decimal(repr(value)), value)
    if isinstance(value, int):
        if abs(value) >= MAX_AMOUNT:  # before Decimal(): a huge int is a misread too
            raise AmountError("amount is out of range")
        return Decimal(value)
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() > 12:
            raise AmountError("amount is out of range")
        return _bounded(value, value)
    if isinstance(value, str):
        return parse_amount(value)
    raise ValueError(f"not an amount: {value!r}")


Amount = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
]


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


class Money(BaseModel):
    # built at import: a dozen models nest it and arithmetic makes it on its own
    model_config = ConfigDict(frozen=True)

    amount: Amount
    currency: str

    @model_validator(mode="before")
    @classmethod
    def _amount_text_in_its_currency(cls, data: Any) -> Any:
        # Text is read by the currency's convention, which only this level can see.
        if isinstance(data, dict) and isinstance(data.get("amount"), str):
            currency = data.get("currency")
            amount = parse_amount(data["amount"], currency if isinstance(currency, str) else None)
            return {**data, "amount": amount}
        return data

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> "Money":
        if isinstance(amount, str):
            return cls(amount=parse_amount(amount, currency), currency=currency)
        return cls(amount=Decimal(amount), currency=currency)

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(amount=Decimal(0), currency=currency)

    def _check(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")

    def __add__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def __mul__(self, factor: int | Decimal) -> "Money":
        return Money(amount=self.amount * Decimal(factor), currency=self.currency)

    def __lt__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount >= other.amount

    def min(self, other: "Money") -> "Money":
        return self if self <= other else other

    def rounded(self) -> "Money":
        """To the cent, half up — how Amazon's adjustment amounts are written."""
        return Money(
            amount=self.amount.quantize(CENT, rounding=ROUND_HALF_UP), currency=self.currency
        )

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"
