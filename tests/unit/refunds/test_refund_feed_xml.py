"""The adjustment feed document and the processing report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from spconnector.domain.enums import Action, FulfillmentChannel, Intent
from spconnector.domain.money import Money
from spconnector.refunds.feed import (
    MessageResult,
    ReportError,
    ResultKind,
    adjustment_reason_for,
    build_adjustment_feed,
    build_processing_report,
    parse_processing_report,
)
from spconnector.refunds.model import (
    AdjustmentReason,
    BatchMember,
    Refund,
    RefundBatch,
    RefundItem,
    adjustment_id_for,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def refund(order: str, step: str, items: list[RefundItem]) -> Refund:
    return Refund(
        tenant="acme",
        marketplace_id="A1PA6795UKMFR9",
        amazon_order_id=order,
        adjustment_id=adjustment_id_for("acme", f"acme#order#{order}", step),
        case_id=f"acme#order#{order}",
        decision_step=step,
        fulfillment=FulfillmentChannel.MFN,
        items=tuple(items),
        reason=AdjustmentReason.CUSTOMER_RETURN,
        created_at=NOW,
        updated_at=NOW,
    )


def test_document_has_one_message_per_refund_with_amazons_element_order() -> None:
    a = refund(
        "302-1111111-2222222",
        "s1",
        [
            RefundItem(
                amazon_order_item_code="11111111111111",
                principal=Money.of("19.999", "EUR"),
                shipping=Money.of("4.5", "EUR"),
                tax=Money.of("0", "EUR"),
            ),
            RefundItem(amazon_order_item_code="99999999999999", principal=Money.of(0, "EUR")),
            RefundItem(amazon_order_item_code="22222222222222", principal=Money.of(3, "EUR")),
        ],
    )
    b = refund(
        "302-3333333-4444444",
        "s1",
        [RefundItem(amazon_order_item_code="3", principal=Money.of(1, "EUR"))],
    )
    batch = RefundBatch(
        tenant="acme",
        marketplace_id="A1PA6795UKMFR9",
        batch_id="b1",
        members=(
            BatchMember(
                amazon_order_id=a.amazon_order_id, adjustment_id=a.adjustment_id, message_id=1
            ),
            BatchMember(
                amazon_order_id=b.amazon_order_id, adjustment_id=b.adjustment_id, message_id=2
            ),
        ),
        marked_at=NOW,
        owner="w",
    )
    data = build_adjustment_feed(batch, [b, a], "A1SELLER & <Co>")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(data)
    assert root.findtext("Header/MerchantIdentifier") == "A1SELLER & <Co>"  # escaped, not markup
    assert root.findtext("MessageType") == "OrderAdjustment"
    messages = root.findall("Message")
    assert [m.findtext("MessageID") for m in messages] == ["1", "2"]
    first = messages[0].find("OrderAdjustment")
    assert first is not None and first.findtext("AmazonOrderID") == "302-1111111-2222222"
    items = first.findall("AdjustedItem")
    assert [child.tag for child in items[0]] == [
        "AmazonOrderItemCode",
        "MerchantAdjustmentItemID",
        "AdjustmentReason",
        "ItemPriceAdjustments",
    ]
    assert items[0].findtext("MerchantAdjustmentItemID") == f"{a.adjustment_id}-1"
    assert len(items) == 2  # the zero item is left out; ids keep each item's position
    assert items[1].findtext("MerchantAdjustmentItemID") == f"{a.adjustment_id}-3"
    components = items[0].findall("ItemPriceAdjustments/Component")
    assert [(c.findtext("Type"), c.findtext("Amount")) for c in components] == [
        ("Principal", "20.00"),
        ("Shipping", "4.50"),
    ]  # a zero tax is left out; amounts rounded half up to two decimals
    assert components[0].find("Amount").get("currency") == "EUR"  # type: ignore[union-attr]


def test_batch_member_missing_from_refunds_is_an_error() -> None:
    batch = RefundBatch(
        tenant="acme",
        marketplace_id="M",
        batch_id="b",
        members=(
            BatchMember(amazon_order_id="113-0000000-0000000", adjustment_id="x", message_id=1),
        ),
        marked_at=NOW,
        owner="w",
    )
    with pytest.raises(ValueError, match="missing"):
        build_adjustment_feed(batch, [], "S")


@pytest.mark.parametrize(
    ("action", "intent", "reason"),
    [
        (Action.REFUND_ON_RETURN, Intent.DEFECTIVE, AdjustmentReason.CUSTOMER_RETURN),
        (Action.REFUND_WITHOUT_RETURN, Intent.DEFECTIVE, AdjustmentReason.GENERAL_ADJUSTMENT),
        (Action.REFUND_WITHOUT_RETURN, Intent.WRONG_ITEM, AdjustmentReason.DIFFERENT_ITEM),
        (Action.REFUND_WITHOUT_RETURN, Intent.CANCEL_REQUEST, AdjustmentReason.CUSTOMER_CANCEL),
        (Action.REFUND_WITHOUT_RETURN, None, AdjustmentReason.GENERAL_ADJUSTMENT),
    ],
)
def test_adjustment_reason_mapping(
    action: Action, intent: Intent | None, reason: AdjustmentReason
) -> None:
    assert adjustment_reason_for(action, intent) is reason


def test_processing_report_round_trip_and_outcomes() -> None:
    data = build_processing_report(
        "555",
        4,
        [
            MessageResult(2, "Error", "18030", "Adjustment x has already been applied.", "o2"),
            MessageResult(3, "Error", "8001", "An internal error occurred. Please resubmit.", "o3"),
            MessageResult(4, "Error", "18031", "The refund exceeds the amount charged.", "o4"),
            MessageResult(1, "Warning", "99", "Rounded.", "o1"),
        ],
    )
    report = parse_processing_report(data)
    assert (report.processed, report.successful, report.with_error) == (4, 1, 3)
    assert report.outcome(1) == (ResultKind.APPLIED, "99: Rounded.")
    # by ResultMessageCode, never by wording: 18030 (over the charge) is a rejection whatever
    # its description says, and 18031 (the adjustment id exists) is unknown, never confirmed
    kind, reason = report.outcome(2)
    assert kind is ResultKind.REJECTED and reason and "already been applied" in reason
    assert report.outcome(3)[0] is ResultKind.RETRYABLE
    kind, reason = report.outcome(4)
    assert kind is ResultKind.UNKNOWN and reason and "already exists" in reason
    assert report.outcome(5) == (ResultKind.APPLIED, None)
    assert report.inconsistency([1, 2, 3, 4]) is None


@pytest.mark.parametrize(
    "description", ["Duplicate adjustment.", "This adjustment has already been processed."]
)
def test_duplicate_words_under_an_unknown_code_are_unknown_not_confirmed(description: str) -> None:
    report = parse_processing_report(
        build_processing_report("1", 1, [MessageResult(1, "Error", "99999", description, "o")])
    )
    assert report.outcome(1)[0] is ResultKind.UNKNOWN


def test_counters_that_do_not_add_up_are_named() -> None:
    good = build_processing_report("1", 2, [MessageResult(2, "Error", "18030", "x", "o")])
    report = parse_processing_report(good)
    assert report.inconsistency([1, 2]) is None
    assert "covers 2 messages" in (report.inconsistency([1, 2, 3]) or "")
    assert "never sent" in (report.inconsistency([1, 3]) or "")
    lying = good.replace(
        b"<MessagesWithError>1</MessagesWithError>", b"<MessagesWithError>0</MessagesWithError>"
    )
    assert "successful" in (parse_processing_report(lying).inconsistency([1, 2]) or "")
    silent = good.replace(
        b"<MessagesSuccessful>1</MessagesSuccessful><MessagesWithError>1</MessagesWithError>",
        b"<MessagesSuccessful>0</MessagesSuccessful><MessagesWithError>2</MessagesWithError>",
    )
    assert "lists errors for 1" in (parse_processing_report(silent).inconsistency([1, 2]) or "")


def test_xml_errors_are_never_retryable() -> None:
    data = build_processing_report(
        "1", 1, [MessageResult(1, "Error", "5001", "XML Parsing Fatal Error: internal error", "o")]
    )
    assert parse_processing_report(data).outcome(1)[0] is ResultKind.REJECTED


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b"<AmazonEnvelope><Message/></AmazonEnvelope>",
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><AmazonEnvelope/>',
        b"<AmazonEnvelope><Message><ProcessingReport><Result><MessageID>x</MessageID></Result>"
        b"</ProcessingReport></Message></AmazonEnvelope>",
    ],
)
def test_unreadable_reports_raise_report_error(data: bytes) -> None:
    with pytest.raises(ReportError):
        parse_processing_report(data)
