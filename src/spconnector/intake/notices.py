"""Structured facts from Amazon's notices, read from their structure in any language.

Amazon's notices are HTML (one quoted-printable part) with labelled lines
(`<li><b>Order ID:</b> 403-…</li>`) and item tables whose header row names the columns; older
and plain-text notices use "Label: value" lines. Both are read here with a real HTML parser
(selectolax) and matched by what the labels mean in EN, DE, FR, ES, IT (and a few more),
never by position or by line regexes over markup. What a notice does not state is None.

Guarantees: bounded work (capped input, bounded patterns); money is parsed with the
marketplace's conventions ("119,00 €" and "EUR 169.01" alike) within bounds; the buyer's
comment in a return request is kept as data, with Amazon's restated reason taken off.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from spconnector.domain.enums import MessageKind
from spconnector.domain.money import Money
from spconnector.domain.notices import (
    AmazonNoticeFacts,
    AToZFacts,
    CancellationFacts,
    ChargebackFacts,
    CustomerServiceContactFacts,
    DeliveryFailureFacts,
    FeedbackFacts,
    NoticeFacts,
    NoticeItem,
    OptOutFacts,
    RefundFacts,
    ReturnRequestFacts,
    SellerNewsFacts,
)
from spconnector.intake import labels, service_mail
from spconnector.intake.amounts import money_in, parse_date
from spconnector.intake.labels import label_meaning
from spconnector.intake.notice_document import Document
from spconnector.intake.order_ids import find_order_id
from spconnector.intake.phrases import money_matters, names_matter
from spconnector.intake.signals import decided_type


def buyer_comment(doc: Document) -> str | None:
    """The buyer's comment a notice quotes on a labelled line, if any."""
    return _pair(doc, "comment")


def _pair(doc: Document, meaning: str) -> str | None:
    return next((v for m, v in doc.pairs if m == meaning), None)


def items_from(doc: Document, currency: str | None) -> list[NoticeItem]:
    for rows in doc.tables:
        header = [label_meaning(cell) for cell in rows[0]]
        if not {"asin", "sku", "title"} & set(h for h in header if h):
            continue
        items: list[NoticeItem] = []
        for row in rows[1:]:
            cells = {h: v.strip() for h, v in zip(header, row, strict=False) if h and v.strip()}
            if not cells:
                continue
            items.append(_item(cells, currency))
        return items
    return [_item(cells, currency) for cells in _item_blocks(doc.pairs)]


_ITEM_FIELDS = frozenset(
    {"title", "asin", "sku", "quantity", "reason", "comment", "refund", "shipping_refund"}
)


def _item_blocks(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Items from labelled lines: plain-text notices give one block per item ("Item: …",
    "Quantity: …", "Return reason: …", then the next "Item: …"). A field seen again starts
    the next item; the first value of a field in a block wins."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for meaning, value in pairs:
        if meaning not in _ITEM_FIELDS:
            continue
        if meaning in current and meaning in ("title", "asin"):
            blocks.append(current)
            current = {}
        current.setdefault(meaning, value)
    blocks.append(current)
    return [b for b in blocks if {"asin", "sku", "title", "comment"} & b.keys()][:100]


def _item(cells: dict[str, str], currency: str | None) -> NoticeItem:
    reason = cells.get("reason")
    comment = cells.get("comment")
    if comment and reason and comment.lower().startswith(reason.lower()):
        # Amazon restates the chosen reason before the buyer's own words
        comment = comment[len(reason) :].lstrip(" .:;-–") or None
    quantity = cells.get("quantity", "")
    return NoticeItem(
        title=cells.get("title"),
        asin=cells.get("asin"),
        sku=cells.get("sku"),
        quantity=int(quantity) if quantity.isdigit() and len(quantity) < 6 else None,
        reason=reason,
        comment=comment,
        refund=money_in(cells.get("refund", ""), currency, bare=True),
        shipping_refund=money_in(cells.get("shipping_refund", ""), currency, bare=True),
    )


def order_id_in(
    subject: str,
    doc: Document,
    *,
    skip_lines: frozenset[str] = frozenset(),
    skip_words: tuple[str, ...] = (),
) -> str | None:
    """From the subject, then a labelled order line, then any of Amazon's lines — never a
    line of the buyer's (`skip_lines`, exact) or one holding the buyer's `skip_words`."""
    if found := find_order_id(subject[:500]):
        return found
    lines = [
        line
        for line in doc.lines
        if line not in skip_lines and not any(w and w in line for w in skip_words[:20])
    ]
    for line in lines:
        label, sep, value = line[:400].replace("\uff1a", ":").partition(":")
        if sep and label_meaning(label) == "order" and (found := find_order_id(value)):
            return found
    for line in lines:
        if found := find_order_id(line[:2_000]):
            return found
    # last: the order Amazon's own links name ("…/orders-v3/order/…", "?orderId=…")
    for link in doc.links:
        if found := find_order_id(link):
            return found
    return None


def _respond_within(doc: Document) -> timedelta | None:
    """The time to respond the notice states, in days or in hours (digits or number words:
    "within seven calendar days", "Sie haben 3 Kalendertage Zeit")."""
    for line in doc.lines:
        found = labels.WITHIN.search(line[:1_000]) or labels.WITHIN_JA.search(line[:1_000])
        if found and (days := labels.number(found.group(1))) is not None:
            return timedelta(days=days)
        found = labels.WITHIN_HOURS.search(line[:1_000]) or labels.WITHIN_HOURS_JA.search(
            line[:1_000]
        )
        if found and (hours := labels.number(found.group(1))) is not None:
            return timedelta(hours=hours)
    return None


def notice_facts(
    kind: MessageKind,
    *,
    subject: str,
    doc: Document,
    received_at: datetime,
    currency: str | None,
    notification_type: str | None,
    reports: list[str],
    in_reply_to: str | None,
) -> NoticeFacts | None:
    """The facts of one notice; None for mail that is not a notice."""
    if not kind.is_notice:
        return None
    comments = tuple(i.comment for i in items_from(doc, currency) if i.comment)
    order_id = order_id_in(subject, doc, skip_words=comments)
    if kind is MessageKind.RETURN_REQUEST:
        policy = _pair(doc, "policy")
        return ReturnRequestFacts(
            order_id=order_id,
            rma_id=_pair(doc, "rma"),
            items=tuple(items_from(doc, currency)),
            request_date=parse_date(_pair(doc, "date") or ""),
            in_policy=None if policy is None else not _negated(policy),
            authorization=_pair(doc, "authorization"),
            return_carrier=_pair(doc, "carrier"),
            return_tracking=_pair(doc, "tracking"),
        )
    if kind is MessageKind.REFUND_NOTICE:
        items = items_from(doc, currency)
        amount = money_in(subject, currency) or _first_money(doc, currency, about=kind)
        reason = next((i.reason for i in items if i.reason), None) or _pair(doc, "reason")
        return RefundFacts(order_id=order_id, amount=amount, items=tuple(items), reason=reason)
    if kind in (MessageKind.A_TO_Z_CLAIM, MessageKind.CHARGEBACK):
        within = _respond_within(doc)
        decided = (
            decided_type(notification_type)
            or bool(labels.DECIDED.search(subject[:500]))
            or any(labels.GRANTED_BODY.search(line[:1_000]) for line in doc.lines)
            or any(labels.stated_decision(line) for line in doc.lines[:200])
        )
        common = {
            "order_id": order_id,
            "stage": "decided" if decided else "opened",
            "amount": money_in(subject, currency) or _first_money(doc, currency, about=kind),
            # whole days, rounded down: "72 hours" is 3, "36 hours" is 1 (never later)
            "respond_within_days": within.days if within is not None else None,
            "respond_by": received_at + within if within is not None else None,
        }
        if kind is MessageKind.CHARGEBACK:
            return ChargebackFacts.model_validate(common)
        return AToZFacts.model_validate(common | {"claim_reason": _pair(doc, "reason")})
    if kind is MessageKind.CUSTOMER_SERVICE_CONTACT:
        within = _respond_within(doc)
        return CustomerServiceContactFacts(
            order_id=order_id,
            reason=_pair(doc, "reason") or service_mail.table_value(doc.tables, "reason"),
            details=service_mail.details(doc.lines)
            or service_mail.table_value(doc.tables, "details"),
            return_requested=service_mail.return_requested(doc.lines),
            respond_within_hours=int(within.total_seconds() // 3600) if within else None,
            respond_by=received_at + within if within is not None else None,
        )
    if kind is MessageKind.SELLER_NEWS:
        return SellerNewsFacts(order_id=order_id, topic=subject.strip()[:300] or None)
    if kind is MessageKind.CANCELLATION_REQUEST:
        return CancellationFacts(order_id=order_id, reason=_pair(doc, "reason"))
    if kind is MessageKind.BUYER_OPT_OUT:
        return OptOutFacts(order_id=order_id)
    if kind is MessageKind.DELIVERY_FAILURE:
        original = _reported_message_id(reports) or in_reply_to
        if order_id is None:  # the returned mail's own subject names it
            order_id = next((oid for r in reports if (oid := find_order_id(r))), None)
        cause = "bounced" if reports else "not_delivered"
        return DeliveryFailureFacts(order_id=order_id, cause=cause, original_message_id=original)
    if kind is MessageKind.FEEDBACK_NOTICE:
        rating = _pair(doc, "rating") or ""
        found = labels.RATING.search(rating) or next(
            (m for line in doc.lines if (m := labels.RATING.search(line[:400]))), None
        )
        return FeedbackFacts(
            order_id=order_id,
            rating=int(found.group(1)) if found else None,
            comment=_pair(doc, "comment"),
        )
    # Not read as a refund, claim or chargeback: say which of them its words still name.
    return AmazonNoticeFacts(
        order_id=order_id, speaks_of=money_matters(subject, "\n".join(doc.lines[:200]))
    )


def _negated(value: str) -> bool:
    low = f"{value.lower()} "
    return any(low.startswith(n) or f" {n}" in low for n in labels.NEGATIONS)


def _first_money(
    doc: Document, currency: str | None, *, about: MessageKind | None = None
) -> Money | None:
    """The notice's amount: the first on a line that names what the notice is about (the
    claim, the chargeback, the refund: "claim of $54.30", not an "Order total: $99.99" line
    above it), else the first amount at all."""
    first: Money | None = None
    for line in doc.lines[:200]:
        found = money_in(line, currency)
        if found is None:
            continue
        if about is None or names_matter(about, line[:2_000]):
            return found
        first = first or found
    return first


def _reported_message_id(reports: list[str]) -> str | None:
    for report in reports:
        for line in report.splitlines()[:200]:
            name, sep, value = line.partition(":")
            if sep and name.strip().lower() == "message-id" and value.strip().startswith("<"):
                return value.strip().split()[0][:998]
    return None
