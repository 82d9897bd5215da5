"""Rules found by the second returns corpus (fixtures/intake/returns_real2), each on its own.

Quoted cells of a re-saved report, one FBA return per license plate, a repeated return that
never hides Amazon's refund, UTF-16 behind its byte order mark, FBA's on-screen date column.
"""

from __future__ import annotations

import pytest

from spconnector.domain.enums import FulfillmentChannel
from spconnector.intake.returns import ReturnsReportError, parse_returns

MFN_HEADER = "Order ID\tAmazon RMA ID\tMerchant SKU\tCurrency code\tRefunded Amount\tResolution"
FBA_HEADER = "return-date\torder-id\tsku\tquantity\tlicense-plate-number"


def _mfn(*rows: str) -> str:
    return "\n".join((MFN_HEADER, *rows)) + "\n"


def test_a_cell_wrapped_in_quotes_is_its_text() -> None:
    report = _mfn('"111-0000001-0000001"\t"R1"\t"SKU ""A"""\t"USD"\t"12.50"\t""')
    (record,) = parse_returns(report).records
    assert (record.amazon_order_id, record.rma_id, record.sku) == (
        "111-0000001-0000001",
        "R1",
        'SKU "A"',
    )
    assert record.refunded_amount is not None and str(record.refunded_amount.amount) == "12.50"
    assert record.resolution is None


@pytest.mark.parametrize("cell", ['24" screen', '"open', 'close"', '"a"b"', '"'])
def test_a_quote_that_does_not_wrap_the_cell_is_text(cell: str) -> None:
    (record,) = parse_returns(_mfn(f"111-0000001-0000001\tR1\t{cell}\tUSD\t\t")).records
    assert record.sku == cell


def test_a_tab_inside_a_quoted_cell_still_quarantines_the_row() -> None:
    result = parse_returns(_mfn('111-0000001-0000001\tR1\t"SKU\tA"\tUSD\t\t'))
    assert result.records == [] and [q.line for q in result.quarantined] == [2]


def test_each_fba_license_plate_is_its_own_return_and_a_repeat_is_a_duplicate() -> None:
    row = "2026-11-06T09:00:00+00:00\t111-0000001-0000001\tSHIRT-L\t1\t"
    report = "\n".join((FBA_HEADER, row + "LPN1", row + "LPN2", row + "LPN2")) + "\n"
    result = parse_returns(report, fulfillment=FulfillmentChannel.FBA)
    assert [r.license_plate for r in result.records] == ["LPN1", "LPN2"]
    assert [r.dedup_key for r in result.records] == ["lpn#LPN1", "lpn#LPN2"]
    assert result.duplicates == 1


def test_without_a_license_plate_fba_rows_keep_the_order_sku_date_key() -> None:
    row = "2026-11-06T09:00:00+00:00\t111-0000001-0000001\tSHIRT-L\t1\t"
    result = parse_returns("\n".join((FBA_HEADER, row, row)) + "\n")
    assert [r.dedup_key for r in result.records] == ["ret#111-0000001-0000001#SHIRT-L#2026-11-06"]
    assert result.duplicates == 1


@pytest.mark.parametrize(
    ("rows", "kept_refund"),
    [
        # requested, then closed with Amazon's refund: the refund is what is kept
        (
            ("111-0000001-0000001\tR1\tS\tUSD\t\t", "111-0000001-0000001\tR1\tS\tUSD\t9.99\t"),
            "9.99",
        ),
        # the refund first, an older unrefunded listing after: the refund stays
        (
            ("111-0000001-0000001\tR1\tS\tUSD\t9.99\t", "111-0000001-0000001\tR1\tS\tUSD\t\t"),
            "9.99",
        ),
        # both say Amazon paid: the first is kept
        (
            ("111-0000001-0000001\tR1\tS\tUSD\t9.99\t", "111-0000001-0000001\tR1\tS\tUSD\t5.00\t"),
            "9.99",
        ),
    ],
)
def test_a_repeat_of_a_return_never_hides_amazons_refund(
    rows: tuple[str, str], kept_refund: str
) -> None:
    result = parse_returns(_mfn(*rows))
    (record,) = result.records
    assert result.duplicates == 1
    assert record.refunded_amount is not None and str(record.refunded_amount.amount) == kept_refund
    assert record.settled_by_amazon


def test_a_repeat_with_a_returnless_resolution_replaces_a_standard_one() -> None:
    result = parse_returns(_mfn("111-0000001-0000001\tR1\tS\tUSD\t\tStandardRefund",
                                "111-0000001-0000001\tR1\tS\tUSD\t\tReturnlessRefund"))  # fmt: skip
    (record,) = result.records
    assert record.resolution == "ReturnlessRefund" and record.settled_by_amazon


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_behind_its_byte_order_mark_is_read(codec: str) -> None:
    text = _mfn("111-0000001-0000001\tR1\tSartén\tEUR\t\t").replace("\n", "\r\n")
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    (record,) = parse_returns(bom + text.encode(codec)).records
    assert record.sku == "Sartén"


def test_a_cut_utf16_report_loses_only_its_damaged_row() -> None:
    text = _mfn("111-0000001-0000001\tR1\tA\tEUR\t\t", "111-0000002-0000002\tR2\tB\tEUR\t\t")
    raw = b"\xff\xfe" + text.rstrip("\n").encode("utf-16-le")
    result = parse_returns(raw[:-1])  # cut in the middle of the last character
    assert [r.sku for r in result.records] == ["A"]
    assert [q.line for q in result.quarantined] == [3]


def test_utf16_that_decodes_to_nul_characters_is_binary() -> None:
    with pytest.raises(ReturnsReportError, match="binary"):
        parse_returns(b"\xff\xfe" + b"\x00\x00" * 20)


def test_fba_on_screen_returned_date_is_the_request_date() -> None:
    header = "Returned Date\tOrder ID\tMerchant SKU\tFNSKU\tQuantity"
    report = f"{header}\n05-Nov-2026\t111-0000001-0000001\tS\tX0\t1\n"
    (record,) = parse_returns(report).records
    assert record.fulfillment is FulfillmentChannel.FBA
    assert (
        record.request_date is not None and record.request_date.date().isoformat() == "2026-11-05"
    )
