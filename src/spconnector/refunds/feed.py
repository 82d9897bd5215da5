"""The POST_PAYMENT_ADJUSTMENT_DATA document and its processing report.

Built with xml.etree (values are escaped by the serializer, never pasted into markup);
element order follows Amazon's OrderAdjustment XSD: AmazonOrderItemCode,
MerchantAdjustmentItemID, AdjustmentReason, ItemPriceAdjustments. No BOM before the XML
declaration (Amazon answers a BOM with error 50001, selling-partner-api-models#5153).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from spconnector.domain.enums import Action, Intent
from spconnector.domain.money import Money
from spconnector.refunds.model import (
    AdjustmentReason,
    Refund,
    RefundBatch,
    merchant_adjustment_item_id,
)

FEED_TYPE = "POST_PAYMENT_ADJUSTMENT_DATA"
CONTENT_TYPE = "text/xml; charset=UTF-8"
DOCUMENT_VERSION = "1.01"


def adjustment_reason_for(action: Action, intent: Intent | None = None) -> AdjustmentReason:
    """What Amazon is told about why the money moves.

    A refund after the item comes back is a CustomerReturn; a returnless refund is not a
    return, so it is a GeneralAdjustment unless the intent names a more exact reason.
    """
    if action is Action.REFUND_ON_RETURN:
        return AdjustmentReason.CUSTOMER_RETURN
    if intent is Intent.WRONG_ITEM:
        return AdjustmentReason.DIFFERENT_ITEM
    if intent is Intent.CANCEL_REQUEST:
        return AdjustmentReason.CUSTOMER_CANCEL
    return AdjustmentReason.GENERAL_ADJUSTMENT


def _amount(parent: ET.Element, kind: str, money: Money) -> None:
    component = ET.SubElement(parent, "Component")
    ET.SubElement(component, "Type").text = kind
    amount = ET.SubElement(component, "Amount", currency=money.currency)
    amount.text = f"{money.rounded().amount:.2f}"


def build_adjustment_feed(
    batch: RefundBatch, refunds: Sequence[Refund], merchant_identifier: str
) -> bytes:
    """The feed document for `batch`; `refunds` must be exactly the batch's members."""
    by_key = {(r.amazon_order_id, r.adjustment_id): r for r in refunds}
    root = ET.Element(
        "AmazonEnvelope",
        {
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "amzn-envelope.xsd",
        },
    )
    header = ET.SubElement(root, "Header")
    ET.SubElement(header, "DocumentVersion").text = DOCUMENT_VERSION
    ET.SubElement(header, "MerchantIdentifier").text = merchant_identifier
    ET.SubElement(root, "MessageType").text = "OrderAdjustment"
    for member in batch.members:
        refund = by_key.get((member.amazon_order_id, member.adjustment_id))
        if refund is None:
            raise ValueError(f"batch {batch.batch_id}: member {member.adjustment_id} missing")
        message = ET.SubElement(root, "Message")
        ET.SubElement(message, "MessageID").text = str(member.message_id)
        adjustment = ET.SubElement(message, "OrderAdjustment")
        ET.SubElement(adjustment, "AmazonOrderID").text = refund.amazon_order_id
        for index, item in enumerate(refund.items, start=1):
            if item.total.is_zero():
                continue  # nothing to refund on this item; the index keeps the ids stable
            adjusted = ET.SubElement(adjustment, "AdjustedItem")
            ET.SubElement(adjusted, "AmazonOrderItemCode").text = item.amazon_order_item_code
            ET.SubElement(adjusted, "MerchantAdjustmentItemID").text = merchant_adjustment_item_id(
                refund.adjustment_id, index
            )
            ET.SubElement(adjusted, "AdjustmentReason").text = refund.reason.value
            prices = ET.SubElement(adjusted, "ItemPriceAdjustments")
            if not item.principal.is_zero():
                _amount(prices, "Principal", item.principal)
            if item.shipping is not None and not item.shipping.is_zero():
                _amount(prices, "Shipping", item.shipping)
            if item.tax is not None and not item.tax.is_zero():
                _amount(prices, "Tax", item.tax)
    return _document(root)


def _document(root: ET.Element) -> bytes:
    # UTF-8, double-quoted declaration, no BOM: the form Amazon's examples use.
    return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


# ---- processing report -------------------------------------------------------------------


class ResultKind(StrEnum):
    APPLIED = "applied"  # no error for the message (a warning still means it was applied)
    RETRYABLE = "retryable"  # rejected, not applied, and sending it again may succeed
    REJECTED = "rejected"  # rejected, not applied; sending it again would fail the same way
    # Amazon's answer does not say whether money moved: a duplicate (the adjustment id exists,
    # so it may have been applied before, or by another tool), or a code we do not know.
    UNKNOWN = "unknown"


# Classification is by ResultCode ("Error" means the message was not processed; "Warning"
# means it was) and ResultMessageCode, never by the wording of the description. Amazon
# documents no closed list of OrderAdjustment result codes, so the tables are deliberately
# small: a code in none of them is UNKNOWN and goes to a person.
XML_ERROR_CODES = frozenset({"5000", "5001"})  # the message (or document) is malformed
NOT_APPLIED_CODES = XML_ERROR_CODES | frozenset(
    {
        "18028",  # order not found for this merchant
        "18029",  # item not part of the order
        "18030",  # refund exceeds the amount charged
        "18032",  # currency does not match the order
        "18033",  # invalid adjustment reason
        "18034",  # the adjustment could not be processed
    }
)
RETRYABLE_CODES = frozenset({"8001"})  # internal error, resubmit
DUPLICATE_CODES = frozenset({"18031"})  # MerchantAdjustmentItemID already used for the order


@dataclass(frozen=True, slots=True)
class MessageResult:
    message_id: int
    code: str  # Error | Warning
    message_code: str
    description: str
    amazon_order_id: str | None = None


@dataclass(frozen=True, slots=True)
class ProcessingReport:
    status_code: str
    processed: int
    successful: int
    with_error: int
    with_warning: int
    results: dict[int, list[MessageResult]] = field(default_factory=dict)

    def inconsistency(self, message_ids: Sequence[int]) -> str | None:
        """Why the counters and the results disagree (for a batch of `message_ids`), or None.

        A report whose numbers do not add up cannot be trusted message by message."""
        if self.processed != len(message_ids):
            return (
                f"the processing report covers {self.processed} messages, the batch has "
                f"{len(message_ids)}; the feed may not be ours"
            )
        if self.successful + self.with_error != self.processed:
            return (
                f"the processing report counts {self.successful} successful and "
                f"{self.with_error} with error of {self.processed} processed"
            )
        errors = {m for m, entries in self.results.items() if any(_is_error(e) for e in entries)}
        if len(errors) != self.with_error:
            return (
                f"the processing report counts {self.with_error} messages with error but "
                f"lists errors for {len(errors)}"
            )
        strangers = set(self.results) - set(message_ids)
        if strangers:
            return (
                f"the processing report has results for messages {sorted(strangers)} we never sent"
            )
        return None

    def outcome(self, message_id: int) -> tuple[ResultKind, str | None]:
        """What happened to one message, and Amazon's reason when it was not plain success."""
        entries = self.results.get(message_id, [])
        unknown = [e for e in entries if e.code.strip().lower() not in ("error", "warning")]
        errors = [e for e in entries if _is_error(e)]
        if not errors and not unknown:
            warnings = "; ".join(f"{e.message_code}: {e.description}" for e in entries)
            return ResultKind.APPLIED, warnings or None
        reason = "; ".join(f"{e.message_code}: {e.description}" for e in errors + unknown)
        codes = {e.message_code for e in errors}
        if codes & DUPLICATE_CODES:
            why = "Amazon says the adjustment already exists: it may have been applied before"
            return ResultKind.UNKNOWN, f"{why} ({reason})"
        if unknown or not codes <= NOT_APPLIED_CODES | RETRYABLE_CODES:
            return ResultKind.UNKNOWN, f"Amazon answered with a code we do not know ({reason})"
        if codes <= RETRYABLE_CODES:
            return ResultKind.RETRYABLE, reason
        return ResultKind.REJECTED, reason


def _is_error(entry: MessageResult) -> bool:
    return entry.code.strip().lower() == "error"


class ReportError(ValueError):
    """The processing report cannot be read."""


_FORBIDDEN_MARKUP = (b"<!DOCTYPE", b"<!ENTITY")


def parse_processing_report(data: bytes) -> ProcessingReport:
    # The report comes from Amazon, but it is still outside input: refuse entity declarations
    # (billion-laughs) before handing it to the parser.
    upper = data.upper()
    if any(marker in upper for marker in _FORBIDDEN_MARKUP):
        raise ReportError("processing report declares a DTD or entities")
    try:
        root = ET.fromstring(data)  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        raise ReportError(f"processing report is not XML: {exc}") from None
    report = root.find("./Message/ProcessingReport")
    if report is None:
        report = root.find(".//ProcessingReport")
    if report is None:
        raise ReportError("no ProcessingReport element")
    summary = report.find("ProcessingSummary")

    def count(name: str) -> int:
        text = summary.findtext(name) if summary is not None else None
        try:
            return int(text or 0)
        except ValueError:
            raise ReportError(f"ProcessingSummary/{name} is not a number: {text!r}") from None

    results: dict[int, list[MessageResult]] = {}
    for element in report.findall("Result"):
        raw_id = element.findtext("MessageID")
        try:
            message_id = int(raw_id or "")
        except ValueError:
            raise ReportError(f"Result with MessageID {raw_id!r}") from None
        results.setdefault(message_id, []).append(
            MessageResult(
                message_id=message_id,
                code=(element.findtext("ResultCode") or "").strip(),
                message_code=(element.findtext("ResultMessageCode") or "").strip(),
                description=(element.findtext("ResultDescription") or "").strip(),
                amazon_order_id=element.findtext("AdditionalInfo/AmazonOrderID"),
            )
        )
    return ProcessingReport(
        status_code=(report.findtext("StatusCode") or "").strip(),
        processed=count("MessagesProcessed"),
        successful=count("MessagesSuccessful"),
        with_error=count("MessagesWithError"),
        with_warning=count("MessagesWithWarning"),
        results=results,
    )


def build_processing_report(
    transaction_id: str, processed: int, results: Sequence[MessageResult]
) -> bytes:
    """A processing report as Amazon writes it (for the fake Amazon in tests and benches)."""
    root = ET.Element("AmazonEnvelope")
    header = ET.SubElement(root, "Header")
    ET.SubElement(header, "DocumentVersion").text = "1.02"
    ET.SubElement(header, "MerchantIdentifier").text = "SIMULATED"
    ET.SubElement(root, "MessageType").text = "ProcessingReport"
    message = ET.SubElement(root, "Message")
    ET.SubElement(message, "MessageID").text = "1"
    report = ET.SubElement(message, "ProcessingReport")
    ET.SubElement(report, "DocumentTransactionID").text = transaction_id
    ET.SubElement(report, "StatusCode").text = "Complete"
    summary = ET.SubElement(report, "ProcessingSummary")
    errors = {r.message_id for r in results if r.code == "Error"}
    warnings = {r.message_id for r in results if r.code == "Warning"} - errors
    ET.SubElement(summary, "MessagesProcessed").text = str(processed)
    ET.SubElement(summary, "MessagesSuccessful").text = str(processed - len(errors))
    ET.SubElement(summary, "MessagesWithError").text = str(len(errors))
    ET.SubElement(summary, "MessagesWithWarning").text = str(len(warnings))
    for result in results:
        element = ET.SubElement(report, "Result")
        ET.SubElement(element, "MessageID").text = str(result.message_id)
        ET.SubElement(element, "ResultCode").text = result.code
        ET.SubElement(element, "ResultMessageCode").text = result.message_code
        ET.SubElement(element, "ResultDescription").text = result.description
        if result.amazon_order_id:
            info = ET.SubElement(element, "AdditionalInfo")
            ET.SubElement(info, "AmazonOrderID").text = result.amazon_order_id
    return _document(root)
