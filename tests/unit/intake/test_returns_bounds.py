"""Returns reports never guess: bounded numbers and dates, ISO currencies, no negative money,
cut rows and cut headers refused — each bad row quarantined with its line, the rest kept."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from spconnector.intake.returns import ReturnsReportError, parse_report_date, parse_returns

FBA_HEADER = "return-date\torder-id\tsku\tasin\tquantity\treason\tcurrency\torder-amount\n"
GOOD = "2026-11-05T10:00:00+00:00\t113-0000000-0000001\tSKU-1\tB000000001\t1\tDEFECTIVE\tEUR\t12.99"


def _row(**cells: str) -> str:
    values = dict(
        zip(
            ("date", "order", "sku", "asin", "qty", "reason", "cur", "amount"),
            GOOD.split("\t"),
            strict=True,
        )
    )
    values.update(cells)
    return "\t".join(values.values())


def _one_bad(row: str) -> str:
    result = parse_returns(FBA_HEADER + GOOD + "\n" + row + "\n")
    assert [r.amazon_order_id for r in result.records] == ["113-0000000-0000001"]
    (bad,) = result.quarantined
    assert bad.line == 3
    return bad.reason


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"date": "9999-12-31T23:59:59-23:59"}, "bad date"),
        ({"date": "0001-01-01T00:00:00+23:59"}, "bad date"),
        ({"date": "1899-05-01"}, "bad date"),
        ({"date": "2" * 5000}, "bad date"),
        ({"qty": "1.0e5000"}, "bad quantity"),
        ({"qty": "1.0e999999999"}, "bad quantity"),
        ({"qty": "1.5"}, "bad quantity"),
        ({"qty": "9" * 5000}, "bad quantity"),
        ({"qty": "-1"}, "bad quantity"),
        ({"cur": "XYZ"}, "unknown currency"),
        ({"cur": "EURO"}, "unknown currency"),
        ({"amount": "-5.00"}, "negative amount"),
        ({"amount": "1e999999999"}, "bad amount"),
        ({"amount": "NaN"}, "bad amount"),
        ({"amount": "99999999999999"}, "bad amount"),
        ({"amount": "1,234", "cur": "USD"}, "bad amount"),  # 1234 or 1.234?
    ],
)
def test_a_cell_no_reader_can_take_quarantines_its_row(cells: dict[str, str], reason: str) -> None:
    start = time.perf_counter()
    assert _one_bad(_row(**cells)).startswith(reason)
    assert time.perf_counter() - start < 1.0  # 1.0e999999999 once hung the CPU


def test_quantity_written_as_a_whole_decimal_is_that_number() -> None:
    result = parse_returns(FBA_HEADER + _row(qty="2.0") + "\n")
    assert [r.quantity for r in result.records] == [2]


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("12,99", "EUR", "12.99"),
        ("1.234,56", "EUR", "1234.56"),
        ("1,234.56", "USD", "1234.56"),
        ("12.99", "EUR", "12.99"),
        ("1 234,56", "EUR", "1234.56"),
    ],
)
def test_amounts_are_read_by_their_currency(amount: str, currency: str, expected: str) -> None:
    result = parse_returns(FBA_HEADER + _row(amount=amount, cur=currency) + "\n")
    (record,) = result.records
    assert record.order_amount is not None
    assert record.order_amount.amount == Decimal(expected)
    assert record.order_amount.currency == currency


def test_a_row_cut_short_is_quarantined_not_filled_with_defaults() -> None:
    cut = GOOD.rsplit("\t", 4)[0]  # the quantity and what follows are missing
    reason = _one_bad(cut)
    assert "cells" in reason and "cut" in reason


def test_a_file_cut_inside_its_header_row_is_an_error_not_zero_records() -> None:
    with pytest.raises(ReturnsReportError, match="header"):
        parse_returns(FBA_HEADER[:30])
    with pytest.raises(ReturnsReportError, match="header"):
        parse_returns(FBA_HEADER.rstrip("\n"))


def test_a_header_alone_is_a_report_with_no_rows() -> None:
    result = parse_returns(FBA_HEADER)
    assert result.records == [] and result.quarantined == []


def test_report_dates_stay_inside_the_calendar_whatever_the_offset() -> None:
    assert parse_report_date("2100-12-31T23:59:59-23:59") is not None
    assert parse_report_date("9999-12-31T23:59:59-23:59") is None
    assert parse_report_date("0001-01-01T00:00:00+23:59") is None
