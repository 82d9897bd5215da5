from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.models import ReturnRequest
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
