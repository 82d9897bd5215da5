"""The order-adjustment feed checks, against the simulator's state directly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from spconnector.sim import adjustments
from spconnector.sim.clock import SimClock
from spconnector.sim.scenario import ScenarioOrder, generate
from spconnector.sim.state import SimState

ANCHOR = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture
def state() -> SimState:
    return SimState(generate(7, anchor=ANCHOR), SimClock(1.0))


def _order(state: SimState) -> ScenarioOrder:
    return next(o for o in state.scenario.orders if o.status == "Shipped" and len(o.items) == 1)


def message(
    message_id: int,
    order_id: str,
    item_code: str,
    adjustment_id: str,
    amounts: dict[str, str],
    *,
    currency: str = "USD",
    reason: str = "CustomerReturn",
) -> str:
    components = "".join(
        f'<Component><Type>{t}</Type><Amount currency="{currency}">{a}</Amount></Component>'
        for t, a in amounts.items()
    )
    return (
        f"<Message><MessageID>{message_id}</MessageID><OrderAdjustment>"
        f"<AmazonOrderID>{order_id}</AmazonOrderID><AdjustedItem>"
        f"<AmazonOrderItemCode>{item_code}</AmazonOrderItemCode>"
        f"<MerchantAdjustmentItemID>{adjustment_id}</MerchantAdjustmentItemID>"
        f"<AdjustmentReason>{reason}</AdjustmentReason>"
        f"<ItemPriceAdjustments>{components}</ItemPriceAdjustments>"
        f"</AdjustedItem></OrderAdjustment></Message>"
    )


def envelope(*messages: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><AmazonEnvelope>'
        "<Header><DocumentVersion>1.01</DocumentVersion>"
        "<MerchantIdentifier>A1</MerchantIdentifier></Header>"
        "<MessageType>OrderAdjustment</MessageType>" + "".join(messages) + "</AmazonEnvelope>"
    ).encode()


def run(state: SimState, data: bytes, feed_id: str = "f1") -> list[adjustments.MessageResult]:
    return adjustments.apply_messages(state, feed_id, adjustments.parse_feed(data))


def test_valid_refund_is_applied_once(state: SimState) -> None:
    order = _order(state)
    item = order.items[0]
    results = run(state, envelope(message(1, order.order_id, item.order_item_id, "a1",
                                          {"Principal": "5.00", "Tax": "0.36"})))  # fmt: skip
    assert results == []
    assert state.refund_count(order.order_id) == 1
    assert state.refunded(order.order_id) == Decimal("5.36")


def test_unknown_order(state: SimState) -> None:
    results = run(state, envelope(message(1, "999-0000000-0000000", "1", "a1", {"Principal": "1"})))
    assert [(r.message_id, r.code) for r in results] == [("1", adjustments.UNKNOWN_ORDER)]
    assert state.adjustments == {}


def test_unknown_item(state: SimState) -> None:
    order = _order(state)
    results = run(state, envelope(message(1, order.order_id, "42", "a1", {"Principal": "1"})))
    assert results[0].code == adjustments.UNKNOWN_ITEM


def test_refund_above_charge_counts_earlier_adjustments(state: SimState) -> None:
    order = _order(state)
    item = order.items[0]
    half = (item.principal / 2).quantize(Decimal("0.01"))
    first = message(1, order.order_id, item.order_item_id, "a1", {"Principal": str(half)})
    assert run(state, envelope(first)) == []
    rest = item.principal - half
    too_much = message(1, order.order_id, item.order_item_id, "a2",
                       {"Principal": str(rest + Decimal("0.01"))})  # fmt: skip
    results = run(state, envelope(too_much), "f2")
    assert [r.code for r in results] == [adjustments.OVER_REFUND]
    exact = message(2, order.order_id, item.order_item_id, "a3", {"Principal": str(rest)})
    assert run(state, envelope(exact), "f3") == []
    assert state.refunded_component(order.order_id, item.order_item_id, "Principal") == (
        item.principal
    )


def test_over_refund_within_one_feed(state: SimState) -> None:
    order = _order(state)
    item = order.items[0]
    amount = str(item.principal)
    results = run(
        state,
        envelope(
            message(1, order.order_id, item.order_item_id, "a1", {"Principal": amount}),
            message(2, order.order_id, item.order_item_id, "a2", {"Principal": amount}),
        ),
    )
    assert [(r.message_id, r.code) for r in results] == [("2", adjustments.OVER_REFUND)]
    assert state.refund_count(order.order_id) == 1


def test_duplicate_adjustment_id(state: SimState) -> None:
    order = _order(state)
    item = order.items[0]
    msg = message(1, order.order_id, item.order_item_id, "same", {"Principal": "1.00"})
    assert run(state, envelope(msg)) == []
    results = run(state, envelope(msg), "f2")
    assert [r.code for r in results] == [adjustments.DUPLICATE_ADJUSTMENT]
    assert state.refund_count(order.order_id) == 1


def test_shipping_cannot_be_refunded_when_none_was_charged(state: SimState) -> None:
    order = next(
        o for o in state.scenario.orders if o.items[0].shipping_price == 0 and o.status == "Shipped"
    )
    item = order.items[0]
    results = run(state, envelope(message(1, order.order_id, item.order_item_id, "a",
                                          {"Shipping": "1.00"})))  # fmt: skip
    assert [r.code for r in results] == [adjustments.OVER_REFUND]


@pytest.mark.parametrize(
    ("kwargs", "amounts", "code"),
    [
        ({"currency": "EUR"}, {"Principal": "1.00"}, adjustments.CURRENCY_MISMATCH),
        ({"reason": "BecauseISaidSo"}, {"Principal": "1.00"}, adjustments.INVALID_REASON),
        ({}, {"Principal": "-1.00"}, adjustments.MALFORMED_MESSAGE),
        ({}, {"Principal": "1.001"}, adjustments.MALFORMED_MESSAGE),
        ({}, {"Principal": "abc"}, adjustments.MALFORMED_MESSAGE),
        ({}, {"Fee": "1.00"}, adjustments.MALFORMED_MESSAGE),
    ],
)
def test_bad_messages_are_errors(
    state: SimState, kwargs: dict[str, str], amounts: dict[str, str], code: str
) -> None:
    order = _order(state)
    item = order.items[0]
    results = run(
        state, envelope(message(1, order.order_id, item.order_item_id, "a", amounts, **kwargs))
    )
    assert [r.code for r in results] == [code]
    assert state.refund_count(order.order_id) == 0


@pytest.mark.parametrize(
    "data",
    [
        b"not xml at all",
        b"<Other/>",
        b"<AmazonEnvelope><MessageType>OrderFulfillment</MessageType></AmazonEnvelope>",
        b"<AmazonEnvelope><MessageType>OrderAdjustment</MessageType></AmazonEnvelope>",
        b'<!DOCTYPE x [<!ENTITY a "b">]><AmazonEnvelope/>',
        b"<AmazonEnvelope><MessageType>OrderAdjustment</MessageType>"
        b"<Message><MessageID>x</MessageID></Message></AmazonEnvelope>",
    ],
)
def test_broken_documents_are_fatal(data: bytes) -> None:
    with pytest.raises(adjustments.FeedFormatError):
        adjustments.parse_feed(data)


def test_processing_report_lists_each_error() -> None:
    results = [
        adjustments.MessageResult("2", "111-1111111-1111111", adjustments.UNKNOWN_ORDER, "nope"),
        adjustments.MessageResult(
            "3", "111-1111111-1111112", adjustments.OVER_REFUND, "<too> & much"
        ),
    ]
    root = ET.fromstring(adjustments.processing_report("123", "A1", 3, results))
    assert root.findtext("MessageType") == "ProcessingReport"
    report = root.find("Message/ProcessingReport")
    assert report is not None
    assert report.findtext("DocumentTransactionID") == "123"
    assert report.findtext("StatusCode") == "Complete"
    assert report.findtext("ProcessingSummary/MessagesProcessed") == "3"
    assert report.findtext("ProcessingSummary/MessagesSuccessful") == "1"
    assert report.findtext("ProcessingSummary/MessagesWithError") == "2"
    found = [
        (
            r.findtext("MessageID"),
            r.findtext("ResultCode"),
            r.findtext("AdditionalInfo/AmazonOrderID"),
        )
        for r in report.findall("Result")
    ]
    assert found == [("2", "Error", "111-1111111-1111111"), ("3", "Error", "111-1111111-1111112")]
    assert report.findall("Result")[1].findtext("ResultDescription") == "<too> & much"
