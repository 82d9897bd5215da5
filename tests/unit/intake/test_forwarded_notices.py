"""An Amazon notice someone forwarded (Gmail, Outlook, Apple Mail) is read as the notice it
quotes, as a guard only: the mail stays `other` (no facts, no buyer, no words), its
`forwarded` notice is unauthenticated, and a case it joins stops its automatic refunds
(unread money notice) — never records a refund as made, never asks for money or a reply.
Mail that is not Amazon's names no marketplace unless it forwards Amazon's notice."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from spconnector.domain.case import Case
from spconnector.domain.enums import MessageKind
from spconnector.domain.models import BuyerMessage
from spconnector.intake.email import parse_email
from spconnector.intake.forwards import forwarded_mail
from spconnector.intake.language import script_language

PASS = "amazonses.com; spf=pass; dkim=pass header.d={d}; dmarc=pass header.from={d}"
ORDER = "112-4456019-7730218"
REFUND = (
    f"Subject: Refund issued for order {ORDER}\n\n"
    f"We have issued a refund for the order below.\nOrder ID: {ORDER}\nRefund amount: $30.00\n"
)
HEADS = {
    "gmail": "---------- Forwarded message ---------\nFrom: Amazon <donotreply@amazon.com>\n"
    "Date: Wed, 25 Nov 2026 at 08:41\n",
    "gmail_fr": "---------- Message transféré ---------\nDe : Amazon <donotreply@amazon.com>\n"
    "Date: mer. 25 nov. 2026 à 08:41\n",
    "outlook": "-----Original Message-----\nFrom: Amazon.com <donotreply@amazon.com>\n"
    "Sent: Wednesday, November 25, 2026 8:41 AM\n",
    "outlook_mobile": "________________________________\nFrom: donotreply@amazon.com\n"
    "Sent: Wednesday, November 25, 2026 8:41:02 AM\n",
    "apple": "Begin forwarded message:\n\nFrom: Amazon <donotreply@amazon.com>\n"
    "Date: 25 November 2026 at 08:41:02 GMT\n",
    "bare_outlook_de": "Von: Amazon <donotreply@amazon.com>\nGesendet: Mittwoch, 25. November\n",
}


def _mail(sender: str, subject: str, body: str, **headers: str) -> BuyerMessage:
    msg = EmailMessage()
    msg["Authentication-Results"] = PASS.format(d=sender.rpartition("@")[2])
    msg["From"] = sender
    msg["To"] = "support@seller.example"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 25 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = "<fwd-1@mail.example>"
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content(body)
    return parse_email(msg.as_bytes())


@pytest.mark.parametrize("client", sorted(HEADS))
def test_a_forwarded_refund_notice_is_read_as_a_guard_only(client: str) -> None:
    got = _mail("va@agency.example", "Fwd: refund", "FYI.\n\n" + HEADS[client] + REFUND)
    assert got.kind is MessageKind.OTHER  # never a notice that is acted on, never a buyer's
    assert got.facts is None and got.body == "" and got.buyer_address is None
    assert got.forwarded is not None and got.forwarded.authenticated is False
    assert got.forwarded.kind is MessageKind.REFUND_NOTICE
    assert got.forwarded.order_id == ORDER and got.amazon_order_id == ORDER
    assert got.forwarded.stops_money


def test_a_forged_forward_can_only_stop_refunds() -> None:
    """Anyone can type a forward: joined to the order's case, it records no refund as made
    (no external refund, nothing a buyer or the policy could be paid on) and only holds the
    order's automatic refunds for a person."""
    forged = _mail("stranger@mail.example", "Fwd", HEADS["gmail"] + REFUND)
    case = Case.open_for_message("t1", forged)
    assert case.amazon_order_id == ORDER
    assert case.unread_money_notices == (forged.message_id,)
    assert case.external_refunds == () and case.buyer_opted_out is False
    # the same forward naming another order holds nothing of this one
    other_case = Case.open_for_message("t1", _mail("a@b.example", "Fwd", "hi")).attach_message(
        forged
    )
    assert other_case.unread_money_notices == ()


@pytest.mark.parametrize(
    ("quoted", "kind", "stops"),
    [
        (f"Subject: A-to-z Guarantee claim for order {ORDER}\n\nOrder ID: {ORDER}\n",
         MessageKind.A_TO_Z_CLAIM, True),
        (f"Subject: Chargeback for order {ORDER}\n\nOrder ID: {ORDER}\n",
         MessageKind.CHARGEBACK, True),
        (f"Subject: Order cancellation request\n\nOrder ID: {ORDER}\n",
         MessageKind.CANCELLATION_REQUEST, True),
        # a return request could lead to a refund: forwarded, it stops and triggers nothing
        (f"Subject: Return request for order {ORDER}\n\nOrder ID: {ORDER}\n",
         MessageKind.RETURN_REQUEST, False),
        (f"Subject: New feedback for order {ORDER}\n\nOrder ID: {ORDER}\n",
         MessageKind.FEEDBACK_NOTICE, False),
    ],
)  # fmt: skip
def test_only_notices_that_could_stop_money_stop_it(
    quoted: str, kind: MessageKind, stops: bool
) -> None:
    got = _mail("va@agency.example", "Fwd", HEADS["outlook"] + quoted)
    assert got.kind is MessageKind.OTHER
    assert got.forwarded is not None and got.forwarded.kind is kind
    assert got.forwarded.stops_money is stops
    case = Case.open_for_message("t1", got)
    assert bool(case.unread_money_notices) is stops


@pytest.mark.parametrize(
    "head",
    [
        # a buyer's relay message forwarded: the buyer's words, never a notice
        "---------- Forwarded message ---------\nFrom: Jo <a1b2c3@marketplace.amazon.com>\n",
        # not Amazon's, however it reads
        "---------- Forwarded message ---------\nFrom: Amazon <donotreply@amazon.com.evil.net>\n",
        "---------- Forwarded message ---------\nFrom: donotreply.amazon.com@mailer.example\n",
        "---------- Forwarded message ---------\nFrom: Amazon Seller Central\n",  # no address
    ],
)
def test_a_forward_of_anything_but_amazons_notice_guards_nothing(head: str) -> None:
    got = _mail("va@agency.example", "Fwd", head + REFUND)
    assert got.kind is MessageKind.OTHER and got.forwarded is None
    assert Case.open_for_message("t1", got).unread_money_notices == ()


def test_a_from_line_in_prose_is_no_forward() -> None:
    """A "From:" line with no Sent/Date/Subject line after it starts no header block."""
    got = _mail(
        "va@agency.example", "Note",
        "From: the warehouse team, donotreply@amazon.com told us\nthat the refund was issued "
        f"for order {ORDER}.\nOrder ID: {ORDER}\n",
    )  # fmt: skip
    assert got.kind is MessageKind.OTHER and got.forwarded is None
    assert Case.open_for_message("t1", got).unread_money_notices == ()


def test_amazons_own_notice_and_a_buyers_message_carry_no_forward() -> None:
    notice = _mail("donotreply@amazon.com", "Refund", "FYI\n\n" + HEADS["gmail"] + REFUND)
    assert notice.kind is not MessageKind.OTHER and notice.forwarded is None
    buyer = _mail(
        "Jo <a1b2c3@marketplace.amazon.com>", "Question", HEADS["gmail"] + REFUND,
        X_Space_Notification_Type="BBC_MESSAGE_SENT_TO_MERCHANT",
    )  # fmt: skip
    assert buyer.kind is MessageKind.BUYER_MESSAGE and buyer.forwarded is None


def test_mail_not_from_amazon_names_no_marketplace_but_through_the_notice_it_forwards() -> None:
    # a lookalike copying Amazon's marketplace header, and a bounce: no marketplace
    lookalike = _mail(
        "notices@amazon-seller-support.example", f"Refund issued for order {ORDER}",
        f"Order ID: {ORDER}\nhttps://sellercentral.amazon.de/orders\n",
        X_Marketplace_ID="A1PA6795UKMFR9",
    )  # fmt: skip
    assert lookalike.kind is MessageKind.OTHER and lookalike.marketplace is None
    forwarded = _mail(
        "va@agency.example", "Fwd",
        "---------- Forwarded message ---------\nFrom: Amazon <donotreply@amazon.fr>\n\n"
        "Numéro de commande : 171-2209418-6637720\nRemboursement effectué : 12,00 €\n",
    )  # fmt: skip
    assert forwarded.marketplace == "amazon.fr"
    assert forwarded.forwarded is not None and forwarded.forwarded.kind is MessageKind.REFUND_NOTICE


def test_forwarded_mail_reads_the_header_block_and_the_text_after_it() -> None:
    found = forwarded_mail(
        "See below\n\nBegin forwarded message:\n\nFrom: Amazon <DoNotReply@Amazon.de>\n"
        "Subject: Erstattung für Bestellung 304-5527190-8816043\nTo: shop@seller.example\n\n"
        "Bestellnummer: 304-5527190-8816043\n"
    )
    assert found is not None
    assert found.sender == "donotreply@amazon.de"
    assert found.subject == "Erstattung für Bestellung 304-5527190-8816043"
    assert found.text == "Bestellnummer: 304-5527190-8816043"
    assert forwarded_mail("Hello,\nFrom: me\nThanks") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("注文した傘がまだ届いていません。配送状況を教えていただけますか。", "ja"),
        ("تم إصدار استرداد للطلب الموضح أدناه.", "ar"),
        # Han characters with no kana are Chinese, never Japanese (Japanese text has kana)
        ("我的订单还没有到。", "zh"),
        ("मेरा ऑर्डर अभी तक नहीं आया है।", "hi"),
        ("Hello, my order 订单 has not arrived yet, can you check the tracking?", None),
        ("Hello, my order 注文 has not arrived yet, can you check the tracking?", None),
        ("Hi, I ordered from amazon.ae — شكرا", None),
        ("12345 !!!", None),
    ],
)
def test_script_language_names_only_scripts_one_language_uses(
    text: str, language: str | None
) -> None:
    assert script_language(text) == language


def test_a_buyer_writing_of_a_closed_return_or_a_reversed_refund_stays_a_buyer() -> None:
    for words in (
        "My return request was closed by mistake, can you open it again?",
        "Your refund issued last week was reversed by my bank, why?",
    ):
        got = _mail(
            "Jo <a1b2c3@marketplace.amazon.com>", "Return request closed", words,
            X_Space_Notification_Type="BBC_MESSAGE_SENT_TO_MERCHANT",
        )  # fmt: skip
        assert got.kind is MessageKind.BUYER_MESSAGE and got.body == words


def test_a_reversed_refund_and_a_closed_return_move_no_money_as_notices() -> None:
    reversal = _mail(
        "donotreply@amazon.com", f"Refund reversal for order {ORDER}",
        f"The refund issued on the order below has been reversed.\nOrder ID: {ORDER}\n",
    )  # fmt: skip
    assert reversal.kind is MessageKind.AMAZON_NOTICE
    assert reversal.facts is not None and "refund" in reversal.facts.speaks_of  # type: ignore[union-attr]
    for subject in (
        f"Return request closed for order {ORDER}",
        f"Rücksendeanfrage geschlossen: Bestellung {ORDER}",
        f"Demande de retour clôturée pour la commande {ORDER}",
        f"Solicitud de devolución cerrada: pedido {ORDER}",
    ):
        closed = _mail("return@amazon.com", subject, f"Order ID: {ORDER}\n")
        assert closed.kind is MessageKind.AMAZON_NOTICE, subject
    still_open = _mail(
        "return@amazon.com", f"Return request for order {ORDER}",
        f"Order ID: {ORDER}\nComment: the box was closed with tape\n",
    )  # fmt: skip
    assert still_open.kind is MessageKind.RETURN_REQUEST
