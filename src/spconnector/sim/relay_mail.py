"""Buyer-message relay mail as Amazon forwards it from Seller Central (MIME bytes).

multipart/alternative (text/plain + text/html, quoted-printable or base64), inside
multipart/mixed when the buyer attached a photo. The buyer's words sit between the
"Begin message" and "End message" markers; the order and item follow the FYI paragraph.
"""

from __future__ import annotations

import html
import random
import struct
from datetime import datetime, timedelta
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

from spconnector.sim.mail_templates import TEMPLATES

if TYPE_CHECKING:
    from spconnector.sim.scenario import Scenario, ScenarioOrder

SELLER_ADDRESS = "seller-support@example.com"
_POLICY = policy.SMTP.clone(max_line_length=200)  # CRLF like SES; long headers unfolded
BEGIN = "------------- Begin message -------------"
END = "------------- End message -------------"
FYI = (
    "For Your Information: To help arbitrate disputes and preserve trust and safety, we retain "
    "all messages buyers and sellers send through Buyer-Seller Messaging for two years. This "
    "includes your responses to the message below. Amazon uses filtering technology to protect "
    "buyers and sellers from possible fraud. Messages that fail this filtering will not be "
    "transmitted."
)
FOOTER = (
    "Was this email helpful? Copyright 2026 Amazon, Inc. or its affiliates. All rights "
    "reserved. Amazon.com, 410 Terry Avenue N., Seattle, WA 98109-5210"
)


def tiny_jpeg(comment: str) -> bytes:
    """A valid 1x1 grey baseline JPEG carrying `comment` (so each photo differs)."""

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", marker, len(payload) + 2) + payload

    one_symbol = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1 → symbol 0
    return b"".join(
        [
            b"\xff\xd8",
            segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            segment(0xFFFE, comment.encode()),
            segment(0xFFDB, b"\x00" + b"\x01" * 64),
            segment(0xFFC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00"),
            segment(0xFFC4, b"\x00" + one_symbol),
            segment(0xFFC4, b"\x10" + one_symbol),
            segment(0xFFDA, b"\x01\x01\x00\x00\x3f\x00"),
            b"\x3f",  # DC diff 0 ("0") and end-of-block ("0"), padded with ones
            b"\xff\xd9",
        ]
    )


def _subject(kind: str, name: str, order_id: str | None, marketplace: str) -> str:
    if order_id is None:
        if marketplace == "DE":
            return f"Anfrage von Amazon-Kunde {name}"
        return f"Inquiry from Amazon customer {name}"
    if kind == "return_request":
        if marketplace == "DE":
            return f"Rücksendeanfrage für Bestellung {order_id}"
        return f"Return authorization request for order {order_id}"
    if kind == "refund_notice":
        return f"Refund initiated for order #{order_id}"
    if kind == "a_to_z_claim":
        return f"A-to-z Guarantee claim submitted for order {order_id}"
    if kind == "feedback_notice":
        return f"New feedback received for order {order_id}"
    if marketplace == "DE":
        return f"Anfrage von Amazon-Kunde {name} (Bestellung: {order_id})"
    return f"Inquiry from Amazon customer {name} (Order: {order_id})"


def build_relay_email(
    *,
    buyer_name: str,
    buyer_alias: str,
    subject: str,
    words: str,
    details: list[str],
    sent_at: datetime,
    message_id: str,
    transfer_encoding: str = "quoted-printable",
    photo: bytes | None = None,
) -> bytes:
    """One relay mail; `details` are the lines after the FYI paragraph (Order ID, Item…)."""
    text = "\n".join([BEGIN, "", words, "", END, "", FYI, "", *details, "", FOOTER, ""])
    escaped = html.escape(words).replace("\n", "<br>")
    detail_html = "".join(f"<p>{html.escape(line)}</p>" for line in details)
    body_html = (
        "<html><body>"
        f"<p>{BEGIN}</p><div>{escaped}</div><p>{END}</p>"
        f"<p>{html.escape(FYI)}</p>{detail_html}<p>{html.escape(FOOTER)}</p>"
        "</body></html>"
    )
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = f'"{buyer_name} - Amazon Marketplace" <{buyer_alias}>'
    msg["To"] = SELLER_ADDRESS
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(sent_at)
    msg.set_content(text, subtype="plain", charset="utf-8", cte=transfer_encoding)
    msg.add_alternative(body_html, subtype="html", charset="utf-8", cte=transfer_encoding)
    if photo is not None:
        msg.make_mixed()
        msg.add_attachment(photo, maintype="image", subtype="jpeg", filename="IMG_2041.jpg")
    # Fixed boundaries keep the bytes identical for the same seed.
    token = message_id.strip("<>").split("@")[0]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"----=_Part_{i}_{token}")
    return ses_stored(msg.as_bytes(), buyer_alias.rpartition("@")[2], sent_at)


def ses_stored(raw: bytes, from_domain: str, received: datetime, to: str = SELLER_ADDRESS) -> bytes:
    """The mail as SES inbound stores it: SES's own Received header (naming the envelope
    recipient) and its verdicts on top — what ingest trusts, unlike To/Cc."""
    when = format_datetime(received)
    top = (
        "Received: from a48-112.smtp-out.amazonses.com (a48-112.smtp-out.amazonses.com "
        f"[54.240.48.112]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id sim for {to};"
        f" {when}\r\n"
        "X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\n"
        f"Authentication-Results: amazonses.com; spf=pass (spfCheck: domain of {from_domain} "
        "designates 54.240.48.112 as permitted sender) client-ip=54.240.48.112; "
        f"envelope-from=bounce@{from_domain}; dkim=pass header.i=@{from_domain}; "
        f"dmarc=pass header.from={from_domain};\r\n"
    )
    return top.encode() + raw


# Amazon's own notices: who sends them and the X-Space-Notification-Type they carry.
NOTICE_SENDERS = {
    "refund_notice": ("donotreply@amazon.com", "REFUND_ISSUED"),
    "a_to_z_claim": ("atoz-guarantee-no-reply@{domain}", "A_Z_CLAIM_RESPONDENT_NOTIFY"),
    "feedback_notice": ("donotreply@amazon.com", "SELLER_FEEDBACK_RECEIVED"),
}


def build_notice_email(
    *,
    kind: str,
    order_id: str,
    marketplace_id: str,
    amount: str,
    words: str,
    sent_at: datetime,
    message_id: str,
) -> bytes:
    """One of Amazon's notices as Seller Central sends it: HTML only, quoted-printable,
    labelled lines, X-Space-Notification-Type and X-Marketplace-ID."""
    from spconnector.domain.marketplaces import by_id

    sender, notification_type = NOTICE_SENDERS[kind]
    sender = sender.format(domain=by_id(marketplace_id).domain)  # the A-to-z team's country
    if kind == "refund_notice":
        subject = f"refund {amount} USD initiated - order {order_id}"
        lines = [
            f"we have initiated a refund of USD {amount} for the following items:",
            f"<b>Order ID:</b> {order_id}",
            f"<b>Refund reason:</b> {html.escape(words)}",
        ]
    elif kind == "a_to_z_claim":
        subject = f"Refund request received for order {order_id}"
        lines = [
            f"we have received an A-to-z Guarantee claim of ${amount} for order "
            f"{order_id}. You must respond within 3 calendar days.",
            "<b>Claim reason:</b> Item not received",
            f"<b>Buyer comments:</b> {html.escape(words)}",
        ]
    else:
        subject = f"New feedback received for order {order_id}"
        lines = [
            f"<b>Order ID:</b> {order_id}",
            *(f"{html.escape(part.strip())}." for part in words.split(".") if part.strip()),
        ]
    body_html = (
        "<html><body><table><tr><td><p>Dear Seller,</p><ul>"
        + "".join(f"<li>{line}</li>" for line in lines)
        + "</ul><p>Amazon Services</p></td></tr></table></body></html>"
    )  # fmt: skip
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = f'"Amazon Seller Central" <{sender}>'
    msg["To"] = SELLER_ADDRESS
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(sent_at)
    msg["X-Marketplace-ID"] = marketplace_id
    msg["X-Space-Notification-Type"] = notification_type
    msg.set_content(body_html, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.make_alternative()
    token = message_id.strip("<>").split("@")[0]
    msg.set_boundary(f"----=_Part_0_{token}")
    return ses_stored(msg.as_bytes(), sender.rpartition("@")[2], sent_at)


def _fits(order: ScenarioOrder, need: str, catalog_flags: dict[str, tuple[str, ...]]) -> bool:
    item = order.items[0]
    flags = catalog_flags.get(item.sku, ())
    delivered = order.delivered_at is not None
    match need:
        case "delivered":
            return delivered and item.category != "apparel" and not flags
        case "apparel":
            return delivered and item.category == "apparel"
        case "custom":
            return delivered and "custom" in flags
        case "final_sale":
            return delivered and "final_sale" in flags
        case "lifetime":
            return delivered and "lifetime_guarantee" in flags
        case "fragile":
            return delivered and "fragile" in flags
        case "high_value":
            return delivered and item.unit_price >= 80
        case "unshipped":
            return order.status == "Unshipped"
        case "in_transit":
            return order.status == "Shipped" and not delivered
    return False


# A refund notice is sent when Amazon refunds; an A-to-z claim is granted when the seller's
# three days to respond have passed (the simulator's Amazon grants every claim).
_CLAIM_DECIDED_AFTER = timedelta(days=3)


def _money_back(
    kind: str, order_id: str, price: Decimal, sent: datetime
) -> tuple[str, str, Decimal, datetime] | None:
    if kind == "refund_notice":
        return ("RefundEventList", order_id, price, sent)
    if kind == "a_to_z_claim":
        return ("GuaranteeClaimEventList", order_id, price, sent + _CLAIM_DECIDED_AFTER)
    return None  # feedback moves no money


def generate_emails(rng: random.Random, scenario: Scenario, marketplace: str) -> list[bytes]:
    flags = {c.sku: c.flags for c in scenario.catalog}
    mails: list[tuple[datetime, bytes]] = []
    for n, template in enumerate(TEMPLATES):
        order = None
        if template.need != "none":
            candidates = [o for o in scenario.orders if _fits(o, template.need, flags)]
            # a buyer writing German is more likely to have a German-speaking locale
            same_lang = [o for o in candidates if o.buyer_locale.startswith(template.lang)]
            candidates = same_lang or candidates
            if not candidates:  # fall back to any delivered order rather than drop the mail
                candidates = [o for o in scenario.orders if o.status != "Canceled"]
            order = rng.choice(candidates)
        first = order.delivered_at or order.shipped_at or order.purchase_date if order else None
        base = first or scenario.anchor - timedelta(days=rng.randrange(1, 20))
        sent = base + timedelta(hours=rng.randrange(2, 72), minutes=rng.randrange(60))
        sent = min(sent, scenario.anchor - timedelta(minutes=rng.randrange(5, 600)))
        if order is not None:
            name, alias = order.buyer_name, order.buyer_alias
            item = order.items[0]
            details = [
                f"Order ID: {order.order_id}",
                f"Item: {item.title}  ASIN: {item.asin}  Quantity: {item.quantity}",
            ]
        else:
            from spconnector.domain.marketplaces import by_id

            domain = by_id(scenario.marketplace_id).domain
            name = "Morgan Ellery"
            alias = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(15))
            alias += f"@marketplace.{domain}"
            product = next(c for c in scenario.catalog if c.sku == "KG-MANDOLINE")
            details = [f"Item: {product.title}  ASIN: {product.asin}"]
        message_id = (
            f"<0100018c{rng.getrandbits(32):08x}-{rng.getrandbits(32):08x}-"
            f"{rng.getrandbits(16):04x}-{n:04d}-000000@email.amazonses.com>"
        )
        photo = tiny_jpeg(f"sim photo {scenario.seed}-{n}") if template.photo else None
        if order is not None and template.kind in NOTICE_SENDERS:
            rng.random()  # the draw a relay mail makes: the other mails stay as seeded
            price = sum(i.unit_price * i.quantity for i in order.items)
            moved = _money_back(template.kind, order.order_id, Decimal(price), sent)
            if moved is not None:
                scenario.money_backs.append(moved)
            notice = build_notice_email(
                kind=template.kind,
                order_id=order.order_id,
                marketplace_id=scenario.marketplace_id,
                amount=f"{price:.2f}",
                words=template.words,
                sent_at=sent,
                message_id=message_id,
            )
            mails.append((sent, notice))
            continue
        raw = build_relay_email(
            buyer_name=name,
            buyer_alias=alias,
            subject=_subject(template.kind, name, order.order_id if order else None, marketplace),
            words=template.words,
            details=details,
            sent_at=sent,
            message_id=message_id,
            transfer_encoding="base64" if rng.random() < 0.3 else "quoted-printable",
            photo=photo,
        )
        mails.append((sent, raw))
    mails.sort(key=lambda pair: pair[0])
    return [raw for _, raw in mails]
