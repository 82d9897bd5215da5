"""Kind and marketplace from Amazon's signals, in their order of trust."""

from __future__ import annotations

import pytest

from spconnector.domain.enums import MessageKind
from spconnector.intake import quoting
from spconnector.intake.email import parse_email
from spconnector.intake.signals import kind_from_type, mail_kind


@pytest.mark.parametrize(
    ("notification_type", "kind"),
    [
        ("RETURN_REQUEST", MessageKind.RETURN_REQUEST),
        ("REFUND_ISSUED", MessageKind.REFUND_NOTICE),
        ("A_Z_CLAIM_RESPONDENT_NOTIFY", MessageKind.A_TO_Z_CLAIM),
        ("A_Z_CLAIM_RESPONDENT_CLOSE", MessageKind.A_TO_Z_CLAIM),
        ("BRC_SELLER_NOTIFICATION", MessageKind.CANCELLATION_REQUEST),
        ("BUYER_OPTED_OUT_BSM_MESSAGES", MessageKind.BUYER_OPT_OUT),
        ("BBC_MESSAGE_SENT_TO_MERCHANT", MessageKind.BUYER_MESSAGE),
        # a new type in a known family still lands in it
        ("A_Z_CLAIM_SELLER_APPEAL_REMINDER", MessageKind.A_TO_Z_CLAIM),
        ("CHARGEBACK_DISPUTE_OPENED", MessageKind.CHARGEBACK),
        ("BSM_MESSAGE_UNDELIVERABLE", MessageKind.DELIVERY_FAILURE),
        ("SELLER_DISBURSEMENT_INITIATED", MessageKind.AMAZON_NOTICE),
        ("BUYER_REFUND_REQUEST_RECEIVED", MessageKind.AMAZON_NOTICE),  # asked, not made
        ("CUSTOMER_RETURN_REFUND_ISSUED", MessageKind.REFUND_NOTICE),
        ("BBC_MESSAGE_CONFIRMATION_TO_MERCHANT", MessageKind.AMAZON_NOTICE),
    ],
)
def test_notification_type_names_the_kind(notification_type: str, kind: MessageKind) -> None:
    assert kind_from_type(notification_type) is kind


def _kind(sender: str, subject: str = "", notification_type: str | None = None) -> MessageKind:
    return mail_kind(
        notification_type=notification_type, sender=sender, subject=subject, is_report=False,
        text="",
    )  # fmt: skip


def test_the_header_beats_the_sender_and_the_sender_beats_the_subject() -> None:
    assert _kind("donotreply@amazon.com", "A-to-z claim", "REFUND_ISSUED") is (
        MessageKind.REFUND_NOTICE
    )
    # The A-to-z mail's subject says "refund request received": the sender decides.
    assert _kind("atoz-guarantee-no-reply@amazon.it", "Richiesta di rimborso ricevuta") is (
        MessageKind.A_TO_Z_CLAIM
    )
    assert _kind("cb-seller-notification@amazon.com", "Order 113-1") is MessageKind.CHARGEBACK
    assert _kind("donotreply@amazon.com", "Rückbuchung für Bestellung") is MessageKind.CHARGEBACK
    assert _kind("donotreply@amazon.com", "Your payment is on its way") is (
        MessageKind.AMAZON_NOTICE
    )


def test_mail_not_from_amazon_is_other_whatever_it_claims() -> None:
    assert _kind("x@evil.example", "Refund issued", "REFUND_ISSUED") is MessageKind.OTHER
    assert _kind("x@marketplace.amazon.evil.com", "hi") is MessageKind.OTHER
    assert _kind("donotreply@amazon.fake", "Refund issued") is MessageKind.OTHER


def test_the_relays_own_no_reply_address_is_no_buyer() -> None:
    assert _kind("abc123@marketplace.amazon.de", "Frage") is MessageKind.BUYER_MESSAGE
    assert _kind("no-reply@marketplace.amazon.de", "Frage") is MessageKind.AMAZON_NOTICE
    assert _kind("no-reply@marketplace.amazon.de", "E-Mail nicht zugestellt") is (
        MessageKind.DELIVERY_FAILURE
    )


def _mail(headers: str, body: str = "Hallo") -> bytes:
    return (headers + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n").encode()


@pytest.mark.parametrize(
    ("headers", "marketplace", "language"),
    [
        # notices come from donotreply@amazon.com for every marketplace: the id decides
        ("From: donotreply@amazon.com\nX-Marketplace-ID: APJ6JRA9NG5V4\n", "amazon.it", "it"),
        ("From: donotreply@amazon.com\nX-Marketplace-ID: A33AVAJ2PDY3EV\n", "amazon.com.tr",
         "tr"),
        ("From: donotreply@amazon.com\nX-Marketplace-ID: A17E79C6D8DWNP\n", "amazon.sa", "ar"),
        ("From: atoz-guarantee-no-reply@amazon.fr\n", "amazon.fr", "fr"),
        ("From: x1@marketplace.amazon.co.jp\n", "amazon.co.jp", "ja"),
        ("From: x1@marketplace.amazon.com.mx\n", "amazon.com.mx", "es"),
        # amazon.com as a notice's sender says nothing; a German order prefix does
        ("From: donotreply@amazon.com\nSubject: Order 302-1234567-1234567\n", "amazon.de", "de"),
        ("From: donotreply@amazon.com\nSubject: Order 403-1234567-1234567\n", None, None),
        # an unknown id is ignored, the relay domain still counts
        ("From: x1@marketplace.amazon.es\nX-Marketplace-ID: NOPE\n", "amazon.es", "es"),
    ],
)  # fmt: skip
def test_marketplace_from_amazons_signals(
    headers: str, marketplace: str | None, language: str | None
) -> None:
    message = parse_email(_mail(headers, "..."))
    assert message.marketplace == marketplace
    if language:
        assert message.language == language


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Yes please.\n\n-----Original Message-----\nFrom: Shop\nSent: today\n\nOld", "Yes please."),  # noqa: E501
        ("Ja gerne.\n\nAm 22.11.2026 um 18:10 schrieb Shop <s@shop.example>:\n> Alt", "Ja gerne."),
        ("Oui.\n\nLe dim. 22 nov. 2026 à 18:10, Shop <s@shop.example> a écrit :\n> x", "Oui."),
        ("Sí.\n\nEl dom, 22 nov 2026 a las 18:10, Shop escribió:\n> x", "Sí."),
        ("Sì.\n\nIl giorno dom 22 nov 2026 alle ore 18:10 Shop <s@shop.example> ha scritto:\n> x",
         "Sì."),
        ("Yes.\n\nOn Sun, 22 Nov 2026 at 18:10, Shop <s@shop.example>\nwrote:\n> x", "Yes."),
        ("Yes.\n\nFrom: Shop <s@shop.example>\nSent: Sunday\nTo: me\n\nOld text", "Yes."),
        ("Yes.\n\nSent from my iPhone", "Yes."),
        ("Yes.\n-- \nJo Example\nExample Street 1", "Yes."),
        ("Great, thanks!\n> quoted\nMore words.", "Great, thanks!\nMore words."),
        ("The lid is cracked.\n\nKind regards,\nJo", "The lid is cracked."),
    ],
)  # fmt: skip
def test_the_new_text_of_a_reply_is_the_buyers_words(text: str, words: str) -> None:
    assert quoting.strip_reply(text) == words


def test_outlooks_original_message_is_history_not_amazons_banner() -> None:
    text = (
        "------------- Begin message -------------\n\nI'd like the 14/16 please.\n\n"
        "-----Original Message-----\nFrom: Shop\nSent: Sunday\nSubject: RE: cancel?\n\n"
        "Would you like to cancel the order?\n\n------------- End message -------------\n"
        "Order ID: 113-1234567-1234567\n"
    )
    assert quoting.buyer_words(text) == "I'd like the 14/16 please."


@pytest.mark.parametrize(
    ("opening", "kind", "speaks_of"),
    [
        # a refund made, in the opening of a notice whose subject says nothing known
        ("We have issued a refund of $12.00 for order 113-1111111-2222222.", "refund_notice", None),
        ("Abbiamo emesso un rimborso di 12,00 € per l'ordine.", "refund_notice", None),
        ("Hemos emitido un reembolso de 12,00 € para el pedido.", "refund_notice", None),
        ("Nous avons émis un remboursement de 12,00 € pour la commande.", "refund_notice", None),
        # possibilities, conditions and denials: no refund made, a person reads it
        ("A refund may be issued once the item has been checked.", "amazon_notice", ("refund",)),
        ("No refund has been issued for this order.", "amazon_notice", ("refund",)),
        ("Un rimborso parziale potrebbe essere emesso dopo la verifica.", "amazon_notice",
         ("refund",)),
        ("Eine Erstattung wird veranlasst, sobald der Artikel eingetroffen ist.",
         "amazon_notice", ("refund",)),
    ],
)  # fmt: skip
def test_a_refund_the_opening_only_promises_is_no_refund_made(
    opening: str, kind: str, speaks_of: tuple[str, ...] | None
) -> None:
    raw = (
        "From: donotreply@amazon.com\r\nSubject: Update on order 113-1111111-2222222\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\n\r\n{opening}\r\n"
    ).encode()
    message = parse_email(raw)
    assert message.kind.value == kind
    if speaks_of is not None:
        assert message.facts is not None and message.facts.speaks_of == speaks_of  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("sender", "subject", "text", "kind"),
    [
        ("donotreply@amazon.com", "Message delivery failure",
         "We were unable to deliver your message to the buyer.", MessageKind.DELIVERY_FAILURE),
        ("donotreply@amazon.de", "Zustellung fehlgeschlagen: Ihre Nachricht an den Käufer",
         "Ihre Nachricht konnte nicht zugestellt werden.", MessageKind.DELIVERY_FAILURE),
        ("donotreply@amazon.fr", "Échec de la remise : votre message à l'acheteur",
         "Votre message n'a pas pu être remis.", MessageKind.DELIVERY_FAILURE),
        ("donotreply@amazon.com", "Delivery Failure: Your message to the buyer",
         "It could not be delivered: the buyer has opted out of messages from sellers.",
         MessageKind.BUYER_OPT_OUT),
        # an Amazon notice of no known subject that says the buyer opted out is an opt-out …
        ("donotreply@amazon.com", "Update about your message",
         "The buyer has opted out of unsolicited messages from sellers.",
         MessageKind.BUYER_OPT_OUT),
        # … but a buyer who writes it through the relay is still a buyer
        ("k3v9q2m7x1wzt5a@marketplace.amazon.com", "Question",
         "I opted out of your marketing, please only answer this.", MessageKind.BUYER_MESSAGE),
        ("seller-notification@amazon.com", "New negative feedback received",
         "Rating: 1 out of 5", MessageKind.FEEDBACK_NOTICE),
    ],
)  # fmt: skip
def test_delivery_failures_opt_outs_and_feedback_in_more_wordings(
    sender: str, subject: str, text: str, kind: MessageKind
) -> None:
    found = mail_kind(
        notification_type=None, sender=sender, subject=subject, is_report=False, text=text
    )
    assert found is kind


def test_a_claim_the_buyer_withdrew_is_decided() -> None:
    raw = (
        b"From: atoz-guarantee-no-reply@amazon.com\r\n"
        b"Subject: Claim withdrawn for order 113-1111111-2222222\r\n"
        b"Content-Type: text/plain\r\n\r\nThe buyer has withdrawn the A-to-z Guarantee claim.\r\n"
    )
    message = parse_email(raw)
    assert message.kind is MessageKind.A_TO_Z_CLAIM
    assert message.facts is not None and message.facts.stage == "decided"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("sender", "lines", "amount"),
    [
        ("atoz-guarantee-no-reply@amazon.com",
         "Order total: $99.99\r\nWe received an A-to-z Guarantee claim of $54.30 on the order.",
         "54.30"),
        ("cb-seller-notification@amazon.com",
         "Order total: $99.99\r\nChargeback amount: $61.00", "61.00"),
        ("donotreply@amazon.com",
         "Order total: $99.99\r\nRefund initiated: $23.49", "23.49"),
        # no line names the matter: the first amount, as before
        ("atoz-guarantee-no-reply@amazon.com", "Amount: $12.00\r\nTotal: $99.99", "12.00"),
    ],
)  # fmt: skip
def test_a_notices_amount_is_the_one_of_its_claim_chargeback_or_refund(
    sender: str, lines: str, amount: str
) -> None:
    raw = (
        f"From: {sender}\r\nSubject: Order 113-1111111-2222222\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\n{lines}\r\n"
    ).encode()
    message = parse_email(raw)
    assert message.kind in (
        MessageKind.A_TO_Z_CLAIM, MessageKind.CHARGEBACK, MessageKind.REFUND_NOTICE
    )  # fmt: skip
    facts = message.facts
    assert facts is not None and str(facts.amount.amount) == amount  # type: ignore[union-attr]


def test_a_plain_text_notice_names_its_marketplace_by_the_links_it_spells_out() -> None:
    """donotreply@amazon.com sends for every marketplace and 403- is a shared EU prefix: the
    Seller Central link in the text says amazon.it (in an HTML notice, its links do)."""
    raw = (
        "From: donotreply@amazon.com\r\nSubject: Rimborso avviato per l'ordine "
        "403-1111111-2222222\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Importo: 19,90 €\r\nDettagli: https://sellercentral.amazon.it/orders-v3/order/"
        "403-1111111-2222222\r\n"
    ).encode()
    message = parse_email(raw)
    assert (message.kind, message.marketplace) == (MessageKind.REFUND_NOTICE, "amazon.it")
    # a buyer's relay text is never read for links: the relay's own domain says it
    relay = (
        b"From: k3v9q2m7x1wzt5a@marketplace.amazon.de\r\nSubject: Frage\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nSiehe https://sellercentral.amazon.it/x\r\n"
    )
    assert parse_email(relay).marketplace == "amazon.de"
