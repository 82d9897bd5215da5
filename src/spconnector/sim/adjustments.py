"""The order-adjustment feed (POST_PAYMENT_ADJUSTMENT_DATA): parse, check, apply, report.

A message is applied whole or not at all: every adjusted item is checked against what the
buyer was charged minus what earlier adjustments already refunded, and a
MerchantAdjustmentItemID may be used once per order. The processing report lists one Result
per message with an error.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # input is size-bounded; DOCTYPE/ENTITY are refused
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from spconnector.sim.scenario import COMPONENTS
from spconnector.sim.state import AcceptedAdjustment

if TYPE_CHECKING:
    from spconnector.sim.state import SimState

FEED_TYPE = "POST_PAYMENT_ADJUSTMENT_DATA"
REASONS = frozenset(
    {
        "NoInventory", "CustomerReturn", "GeneralAdjustment", "CouldNotShip", "DifferentItem",
        "Abandoned", "CustomerCancel", "PriceError", "ProductOutofStock",
        "CustomerAddressIncorrect", "Exchange", "Other", "CarrierCreditDecision",
        "RiskAssessmentInformationNotValid", "CarrierCoverageFailure", "TransactionRecord",
        "Undeliverable", "RefusedDelivery",
    }
)  # fmt: skip
MAX_FEED_BYTES = 10 * 1024 * 1024

# ResultMessageCode values the simulator uses (the processing report states the reason).
XML_FATAL = "5001"
MALFORMED_MESSAGE = "5000"
UNKNOWN_ORDER = "18028"
UNKNOWN_ITEM = "18029"
OVER_REFUND = "18030"
DUPLICATE_ADJUSTMENT = "18031"
CURRENCY_MISMATCH = "18032"
INVALID_REASON = "18033"
REJECTED_BY_FAULT = "18034"  # the `message_rejected` fault: refused, nothing applied


class FeedFormatError(ValueError):
    """The document is not an OrderAdjustment envelope at all: the feed ends FATAL."""


@dataclass
class AdjustedItem:
    order_item_code: str
    merchant_adjustment_item_id: str
    reason: str
    components: dict[str, tuple[str, str]]  # type → (amount text, currency)


@dataclass
class AdjustmentMessage:
    message_id: str
    order_id: str
    items: list[AdjustedItem] = field(default_factory=list)
    problem: str | None = None  # a structural problem inside this message


@dataclass
class MessageResult:
    message_id: str
    order_id: str
    code: str  # ResultMessageCode
    description: str
    result_code: str = "Error"


def _text(el: ET.Element | None, tag: str) -> str:
    found = el.find(tag) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def parse_feed(data: bytes) -> list[AdjustmentMessage]:
    if len(data) > MAX_FEED_BYTES:
        raise FeedFormatError("feed document is larger than 10 MB")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise FeedFormatError("DOCTYPE and ENTITY declarations are not allowed")
    try:
        root = ET.fromstring(data)  # noqa: S314 - see above
    except ET.ParseError as exc:
        raise FeedFormatError(f"XML Parsing Fatal Error: {exc}") from None
    if root.tag != "AmazonEnvelope":
        raise FeedFormatError(f"root element must be AmazonEnvelope, not {root.tag}")
    if _text(root, "MessageType") != "OrderAdjustment":
        raise FeedFormatError("MessageType must be OrderAdjustment")
    messages = root.findall("Message")
    if not messages:
        raise FeedFormatError("the envelope holds no Message")
    out = []
    for msg in messages:
        message_id = _text(msg, "MessageID")
        if not message_id.isdigit():
            raise FeedFormatError("every Message needs a numeric MessageID")
        adj = msg.find("OrderAdjustment")
        order_id = _text(adj, "AmazonOrderID")
        parsed = AdjustmentMessage(message_id, order_id)
        if adj is None or not order_id:
            parsed.problem = "Message has no OrderAdjustment with an AmazonOrderID"
            out.append(parsed)
            continue
        items = adj.findall("AdjustedItem")
        if not items:
            parsed.problem = "OrderAdjustment has no AdjustedItem"
        for item in items:
            components: dict[str, tuple[str, str]] = {}
            for comp in item.findall("ItemPriceAdjustments/Component"):
                amount_el = comp.find("Amount")
                ctype = _text(comp, "Type")
                if amount_el is None or not ctype or ctype in components:
                    parsed.problem = "each Component needs one Type and an Amount"
                    continue
                components[ctype] = ((amount_el.text or "").strip(), amount_el.get("currency", ""))
            parsed.items.append(
                AdjustedItem(
                    order_item_code=_text(item, "AmazonOrderItemCode"),
                    merchant_adjustment_item_id=_text(item, "MerchantAdjustmentItemID"),
                    reason=_text(item, "AdjustmentReason"),
                    components=components,
                )
            )
        out.append(parsed)
    return out


def apply_messages(
    state: SimState,
    feed_id: str,
    messages: list[AdjustmentMessage],
    reject: Callable[[], bool] | None = None,
) -> list[MessageResult]:
    """Check each message against the orders and earlier refunds; apply the good ones.
    `reject` (a fault) may refuse a good message: an error result, nothing applied."""
    results = []
    for message in messages:
        error = _check(state, message)
        if error is None and reject is not None and reject():
            error = (REJECTED_BY_FAULT, "The adjustment could not be processed for this order.")
        if error is not None:
            code, description = error
            results.append(MessageResult(message.message_id, message.order_id, code, description))
            continue
        for item in message.items:
            state.adjustments.setdefault(message.order_id, []).append(
                AcceptedAdjustment(
                    feed_id=feed_id,
                    message_id=message.message_id,
                    order_item_id=item.order_item_code,
                    merchant_adjustment_item_id=item.merchant_adjustment_item_id,
                    reason=item.reason,
                    components={k: Decimal(v[0]) for k, v in item.components.items()},
                    posted_at=state.clock.now(),
                )
            )
    return results


def _check(state: SimState, message: AdjustmentMessage) -> tuple[str, str] | None:
    if message.problem:
        return MALFORMED_MESSAGE, message.problem
    order = state.scenario.order(message.order_id)
    if order is None:
        return UNKNOWN_ORDER, f"The order ID {message.order_id} was not found for this seller."
    used = {a.merchant_adjustment_item_id for a in state.adjustments.get(order.order_id, [])}
    pending: dict[tuple[str, str], Decimal] = {}
    for item in message.items:
        if not item.merchant_adjustment_item_id:
            return MALFORMED_MESSAGE, "MerchantAdjustmentItemID is required"
        if item.merchant_adjustment_item_id in used:
            return DUPLICATE_ADJUSTMENT, (
                f"Duplicate adjustment: MerchantAdjustmentItemID "
                f"{item.merchant_adjustment_item_id} was already used for this order."
            )
        used.add(item.merchant_adjustment_item_id)
        if item.reason not in REASONS:
            return INVALID_REASON, f"Invalid AdjustmentReason {item.reason!r}."
        line = order.item(item.order_item_code)
        if line is None:
            return UNKNOWN_ITEM, (
                f"The AmazonOrderItemCode {item.order_item_code} does not belong to this order."
            )
        if not item.components:
            return MALFORMED_MESSAGE, "AdjustedItem has no ItemPriceAdjustments Component"
        for ctype, (text, currency) in item.components.items():
            if ctype not in COMPONENTS:
                return MALFORMED_MESSAGE, f"Unsupported component Type {ctype!r}"
            if currency != order.currency:
                return CURRENCY_MISMATCH, (
                    f"Currency {currency or '(none)'} does not match the order currency "
                    f"{order.currency}."
                )
            try:
                value = Decimal(text)
            except InvalidOperation:
                return MALFORMED_MESSAGE, f"Amount {text!r} is not a number"
            if value <= 0 or value != value.quantize(Decimal("0.01")):
                return MALFORMED_MESSAGE, f"Amount {text} must be positive with at most 2 decimals"
            key = (line.order_item_id, ctype)
            already = state.refunded_component(order.order_id, line.order_item_id, ctype)
            total = already + pending.get(key, Decimal(0)) + value
            if total > line.charged(ctype):
                return OVER_REFUND, (
                    f"The refund for {ctype} of item {line.order_item_id} ({format(total, 'f')}) "
                    f"exceeds the amount charged ({format(line.charged(ctype), 'f')})."
                )
            pending[key] = pending.get(key, Decimal(0)) + value
    return None


def processing_report(
    transaction_id: str,
    merchant_id: str,
    processed: int,
    results: list[MessageResult],
) -> bytes:
    env = ET.Element(
        "AmazonEnvelope",
        {
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd",
        },
    )
    header = ET.SubElement(env, "Header")
    ET.SubElement(header, "DocumentVersion").text = "1.02"
    ET.SubElement(header, "MerchantIdentifier").text = merchant_id
    ET.SubElement(env, "MessageType").text = "ProcessingReport"
    message = ET.SubElement(env, "Message")
    ET.SubElement(message, "MessageID").text = "1"
    report = ET.SubElement(message, "ProcessingReport")
    ET.SubElement(report, "DocumentTransactionID").text = transaction_id
    ET.SubElement(report, "StatusCode").text = "Complete"
    summary = ET.SubElement(report, "ProcessingSummary")
    errors = sum(1 for r in results if r.result_code == "Error")
    warnings = sum(1 for r in results if r.result_code == "Warning")
    ET.SubElement(summary, "MessagesProcessed").text = str(processed)
    ET.SubElement(summary, "MessagesSuccessful").text = str(processed - errors)
    ET.SubElement(summary, "MessagesWithError").text = str(errors)
    ET.SubElement(summary, "MessagesWithWarning").text = str(warnings)
    for r in results:
        result = ET.SubElement(report, "Result")
        ET.SubElement(result, "MessageID").text = r.message_id
        ET.SubElement(result, "ResultCode").text = r.result_code
        ET.SubElement(result, "ResultMessageCode").text = r.code
        ET.SubElement(result, "ResultDescription").text = r.description
        if r.order_id:
            info = ET.SubElement(result, "AdditionalInfo")
            ET.SubElement(info, "AmazonOrderID").text = r.order_id
    data: bytes = ET.tostring(env, encoding="utf-8", xml_declaration=True)
    return data
