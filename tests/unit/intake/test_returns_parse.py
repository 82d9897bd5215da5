from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.models import ReturnRequest
from spconnector.domain.money import Money
from spconnector.intake.returns import ReturnsReportError, parse_report_date, parse_returns

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"


def test_mfn_report_rows_quarantine_and_duplicates() -> None:
    result = parse_returns((FIXTURES / "returns_mfn.tsv").read_bytes())
    assert [r.amazon_order_id for r in result.records] == [
        "113-1234567-1234567",
        "113-2222222-3333333",
        "113-8888888-9999999",
    ]
    assert [(q.line, q.reason) for q in result.quarantined] == [
        (4, "bad order id '12-3'"),
        (5, "bad quantity 'zwei'"),
        (7, "bad date '2026-13-45'"),
    ]
    assert result.duplicates == 1
    first, second = result.records[0], result.records[1]
    assert first.fulfillment is FulfillmentChannel.MFN
    assert first.label_cost is not None and first.label_cost.amount == Decimal("6.20")
    assert first.in_policy is True and first.a_to_z_claim is False
    assert second.request_date is not None and second.request_date.isoformat() == (
        "2026-11-05T00:00:00+00:00"
    )
    assert second.quantity == 2 and second.refunded_amount is not None
    # Constructed records are exactly what validation would give.
    for record in result.records:
        assert ReturnRequest.model_validate(record.model_dump()) == record


def test_fba_report_is_detected_and_reasons_normalized() -> None:
    result = parse_returns((FIXTURES / "returns_fba.tsv").read_text())
    assert {r.fulfillment for r in result.records} == {FulfillmentChannel.FBA}
    assert [r.reason_code for r in result.records] == [
        "CR-DEFECTIVE",
        "CR-UNWANTED_ITEM",
        "CR-DAMAGED_BY_CARRIER",
    ]
    assert all(r.order_amount is None and r.rma_id is None for r in result.records)
    assert [(q.line, q.reason) for q in result.quarantined] == [
        (4, "bad quantity '0' (must be at least 1)")
    ]


def test_header_matching_is_tolerant_and_columns_can_move() -> None:
    text = (
        "UNKNOWN\tsku\t ORDER id \tReturn Request Date\n x\tA1\t113-1234567-1234567\t2026-11-05\n"
    )
    result = parse_returns(text)
    assert result.records[0].sku == "A1"
    assert result.records[0].fulfillment is FulfillmentChannel.MFN


def test_fulfillment_can_be_forced() -> None:
    text = "order-id\treason\n113-1234567-1234567\tDEFECTIVE\n"
    result = parse_returns(text, fulfillment=FulfillmentChannel.FBA)
    assert result.records[0].reason_code == "CR-DEFECTIVE"


def test_amount_without_currency_is_quarantined() -> None:
    text = "Order ID\tOrder Amount\n113-1234567-1234567\t12.00\n"
    assert parse_returns(text).quarantined[0].reason == "amount '12.00' without a currency code"


@pytest.mark.parametrize("data", ["", "\n\n", "foo\tbar\n1\t2\n", b"\x00\x00binary"])
def test_unreadable_reports_raise(data: str | bytes) -> None:
    with pytest.raises(ReturnsReportError):
        parse_returns(data)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2026-11-05T09:00:00+00:00", "2026-11-05T09:00:00+00:00"),
        ("2026-11-05T09:00:00-08:00", "2026-11-05T17:00:00+00:00"),
        ("05-Nov-2026", "2026-11-05T00:00:00+00:00"),
        ("2026-11-05", "2026-11-05T00:00:00+00:00"),
        ("05.11.2026", "2026-11-05T00:00:00+00:00"),
        ("2026-11-05 09:00:00 UTC", "2026-11-05T09:00:00+00:00"),
    ],
)
def test_report_dates(raw: str, iso: str) -> None:
    when = parse_report_date(raw)
    assert when is not None and when.isoformat() == iso


def test_bad_report_dates() -> None:
    assert parse_report_date("32-Nov-2026") is None
    assert parse_report_date("yesterday") is None


# --- rules the real-shapes corpus (returns_real/) showed, on wording it does not have -------
_MFN = "Order ID\tMerchant SKU\tReturn request date\tCurrency code\tOrder Amount\tIn policy\n"


def _mfn(*rows: str) -> str:
    return _MFN + "".join(row + "\n" for row in rows)


def test_shift_jis_is_told_from_windows_1252_by_its_kana() -> None:
    japanese = _mfn("250-0000000-0000001\tケトル-白\t2026-11-05\tJPY\t2,480\tY")
    western = _mfn("302-0000000-0000001\tMÜSLI-groß\t2026-11-05\tEUR\t4,99\tJ")
    jp = parse_returns(japanese.encode("cp932"))
    eu = parse_returns(western.encode("cp1252"))
    assert [(r.sku, r.order_amount) for r in jp.records] == [("ケトル-白", Money.of("2480", "JPY"))]
    assert [(r.sku, r.in_policy) for r in eu.records] == [("MÜSLI-groß", True)]


@pytest.mark.parametrize("sku", ["鍋-24cm", "包丁 三徳", "ｶﾞｰﾃﾞﾝ-用品"])
def test_kanji_without_kana_are_still_read_as_shift_jis(sku: str) -> None:
    report = _mfn(f"250-0000000-0000001\t{sku}\t2026-11-05\tJPY\t980\tY").encode("cp932")
    assert [r.sku for r in parse_returns(report).records] == [sku]


@pytest.mark.parametrize("sku", ["Käse-1", "Größe-XL", "Crème-brûlée", "Œuvre-€5"])
def test_accented_1252_words_are_not_mistaken_for_kanji(sku: str) -> None:
    report = _mfn(f"302-0000000-0000001\t{sku}\t2026-11-05\tEUR\t1,00\tY").encode("cp1252")
    assert [r.sku for r in parse_returns(report).records] == [sku]


def test_a_row_with_bytes_no_encoding_reads_is_quarantined_and_the_others_kept() -> None:
    good = _mfn("113-0000000-0000001\tCAFÉ-1\t2026-11-05\tUSD\t9.99\tY").encode()
    damaged = b"113-0000000-0000002\tCAF\xc3-2\t2026-11-05\tUSD\t9.99\tY\n"
    result = parse_returns(good + damaged)
    assert [r.sku for r in result.records] == ["CAFÉ-1"]  # not "CAFÃ‰-1" from a 1252 reading
    assert [q.line for q in result.quarantined] == [3]
    assert "encoding" in result.quarantined[0].reason


def test_dates_whose_order_is_certain_are_read_and_the_others_are_not() -> None:
    assert parse_report_date("2026/01/31") == datetime(2026, 1, 31, tzinfo=UTC)
    assert parse_report_date("31-01-2026") is None  # day-first only where Amazon says so
    assert parse_report_date("31-01-2026", dashed_day_first=True) == datetime(
        2026, 1, 31, tzinfo=UTC
    )
    assert parse_report_date("01/31/2026") is None and parse_report_date("2026/31/01") is None
    fba = "return-date\torder-id\tsku\n02-03-2026\t113-0000000-0000001\tA\n"
    (record,) = parse_returns(fba).records
    assert record.request_date == datetime(2026, 3, 2, tzinfo=UTC)


def test_a_yes_no_cell_that_says_neither_quarantines_its_row() -> None:
    result = parse_returns(
        _mfn(
            "113-0000000-0000001\tA\t2026-11-05\tUSD\t1.00\tvielleicht",
            "113-0000000-0000002\tB\t2026-11-05\tUSD\t1.00\t",
        )
    )
    assert [(r.sku, r.in_policy) for r in result.records] == [("B", None)]
    assert [(q.line, q.reason) for q in result.quarantined] == [
        (2, "bad In policy value 'vielleicht' (neither yes nor no)")
    ]


def test_an_xml_returns_report_is_refused_whole() -> None:
    with pytest.raises(ReturnsReportError, match="XML document"):
        parse_returns(b'<?xml version="1.0"?><AmazonEnvelope/>')


def test_a_row_whose_cells_moved_is_quarantined_and_trailing_tabs_are_not_columns() -> None:
    report = (
        "Order ID\tItem Name\tOrder Amount\tCurrency code\t\n"  # a trailing tab on the header
        "113-0000000-0000001\tMug\t9.99\tUSD\n"  # none on the row: not cut short
        "113-0000000-0000002\tMug\t9.99\tUSD\t\t\n"  # empty trailing cells: still in place
        '113-0000000-0000003\t"Mug\tlarge"\t9.99\tUSD\n'  # a tab inside a quoted cell
    )
    result = parse_returns(report)
    assert [r.order_amount for r in result.records] == [Money.of("9.99", "USD")] * 2
    assert [(q.line, q.reason) for q in result.quarantined] == [
        (4, "5 cells for 4 columns: the cells have moved")
    ]
