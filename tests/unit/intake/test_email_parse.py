from __future__ import annotations

from pathlib import Path

import pytest

from spconnector.domain.enums import Intent, MessageKind
from spconnector.intake.classifier import Classification
from spconnector.intake.email import EmailParseError, html_to_text, parse_email

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_plain_relay_mail_gives_buyer_words_and_relay_fields() -> None:
    msg = parse_email(load("relay_plain.eml"))
    assert msg.kind is MessageKind.BUYER_MESSAGE
    assert msg.amazon_order_id == "113-1234567-1234567"
    assert msg.buyer_address == "7xq4d2h9kzm1abc@marketplace.amazon.com"
    assert msg.buyer_name == "Jane Doe"
    assert msg.marketplace == "amazon.com"
    assert msg.body.startswith("Hi, the garlic press arrived broken")
    assert "For Your Information" not in msg.body and "Begin message" not in msg.body
    assert "Jane" not in msg.body.splitlines()[-1]  # closing and signature dropped
    assert msg.message_id == "<0100018c1@email.amazonses.com>"
    assert msg.received_at.isoformat() == "2026-11-17T09:12:33+00:00"


def test_quoted_printable_alternative_prefers_plain_and_drops_history() -> None:
    msg = parse_email(load("relay_qp_alternative.eml"))
    assert msg.intent is Intent.DEFECTIVE
    assert "—" in msg.body  # QP-encoded UTF-8 em dash decoded
    assert "wrote:" not in msg.body and "Thanks for your order" not in msg.body
    assert msg.received_at.isoformat() == "2026-11-18T19:02:00+00:00"


def test_base64_french_relay() -> None:
    msg = parse_email(load("relay_base64_fr.eml"))
    assert (msg.marketplace, msg.language, msg.intent) == ("amazon.fr", "fr", Intent.NOT_RECEIVED)
    assert msg.body.startswith("Bonjour, je n'ai toujours pas reçu")
    assert msg.amazon_order_id == "405-1111111-2222222"


def test_latin1_german_with_encoded_name_and_schrieb_history() -> None:
    msg = parse_email(load("relay_latin1_de.eml"))
    assert msg.buyer_name == "Jürgen Müller"
    assert "Größe 43" in msg.body
    assert "schrieb" not in msg.body and "Vielen Dank" not in msg.body
    assert "Grüßen" not in msg.body  # closing dropped
    assert (msg.language, msg.intent, msg.marketplace) == ("de", Intent.SIZE_FIT, "amazon.de")


def test_html_only_mail_becomes_text() -> None:
    msg = parse_email(load("relay_html_only_it.eml"))
    assert (
        msg.body
        == "Ciao, il prodotto è arrivato danneggiato, la scatola era schiacciata.\nAllego foto."
    )
    assert msg.intent is Intent.DAMAGED_IN_TRANSIT
    assert msg.language == "it"


def test_photo_attachment_is_listed() -> None:
    msg = parse_email(load("relay_photo_attachment.eml"))
    assert [(a.filename, a.content_type) for a in msg.attachments] == [
        ("IMG_2041.jpg", "image/jpeg")
    ]
    assert msg.attachments[0].size == 2800
    assert msg.marketplace == "amazon.co.uk"


def test_broken_charset_declaration_falls_back() -> None:
    msg = parse_email(load("relay_broken_charset.eml"))
    assert msg.body == "It’s the wrong colour — I ordered navy and got black."
    assert msg.intent is Intent.WRONG_ITEM


def test_iso_2022_jp_decodes() -> None:
    msg = parse_email(load("relay_iso2022jp.eml"))
    assert msg.body == "商品が届きません。"
    assert msg.language == "ja"  # no en/de/fr/es/it words: the marketplace's language


def test_mail_not_from_amazon_is_kind_other() -> None:
    msg = parse_email(load("not_amazon.eml"))
    assert msg.kind is MessageKind.OTHER
    assert msg.buyer_address is None and msg.marketplace is None


def test_return_request_notice_uses_customer_comment() -> None:
    msg = parse_email(load("return_request_notice.eml"))
    assert msg.kind is MessageKind.RETURN_REQUEST
    assert msg.body == "Left speaker crackles and then cuts out after a few minutes."
    assert msg.intent is Intent.DEFECTIVE
    assert msg.amazon_order_id == "113-5555555-6666666"


def test_a_to_z_claim() -> None:
    msg = parse_email(load("a_to_z_claim.eml"))
    assert msg.kind is MessageKind.A_TO_Z_CLAIM
    assert msg.intent is Intent.NOT_RECEIVED
    assert msg.amazon_order_id == "111-7777777-8888888"


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        # from a buyer's alias a refund subject is a buyer asking, not Amazon informing
        ("Refund initiated for order #113-1234567-1234567", MessageKind.BUYER_MESSAGE),
        ("New feedback received for order 113-1234567-1234567", MessageKind.FEEDBACK_NOTICE),
        (
            "Rücksendegenehmigung angefordert: Bestellung 302-1234567-1234567",
            MessageKind.RETURN_REQUEST,
        ),
        (
            "Anfrage von Amazon-Kunde Max (Bestellung: 302-1234567-1234567)",
            MessageKind.BUYER_MESSAGE,
        ),
    ],
)
def test_kind_from_subject(subject: str, kind: MessageKind) -> None:
    raw = (
        f'From: "Max - Amazon Marketplace" <abc@marketplace.amazon.de>\nSubject: {subject}\n'
        "Content-Type: text/plain; charset=utf-8\n\nHallo\n"
    ).encode()
    msg = parse_email(raw)
    assert msg.kind is kind
    assert msg.amazon_order_id is not None


def test_missing_date_and_message_id_fall_back() -> None:
    raw = (
        b'From: "A - Amazon Marketplace" <x@marketplace.amazon.com>\n'
        b"Subject: hi\n\nwhere is my order?"
    )
    first, second = parse_email(raw), parse_email(raw)
    assert first.message_id == second.message_id  # stable synthetic id
    assert first.received_at.tzinfo is not None
    assert first.amazon_order_id is None


def test_custom_classifier_is_used() -> None:
    class Always:
        def classify(self, subject: str, body: str) -> Classification:
            return Classification(Intent.FEEDBACK, 0.9, ("model",), "en")

    msg = parse_email(load("relay_plain.eml"), classifier=Always())
    assert (msg.intent, msg.intent_evidence) == (Intent.FEEDBACK, ("model",))


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\x00\x01\x02garbage", b"just some words"])
def test_unreadable_input_raises_one_line_reason(raw: bytes) -> None:
    with pytest.raises(EmailParseError) as info:
        parse_email(raw)
    assert "\n" not in str(info.value) and str(info.value)


def test_html_to_text_skips_scripts_and_unescapes() -> None:
    text = html_to_text("<p>a &amp; b</p><script>x()</script><div>c</div>")
    assert [line for line in text.splitlines() if line] == ["a & b", "c"]


def test_a_refund_subject_from_amazon_is_a_refund_notice() -> None:
    raw = (
        b"From: donotreply@amazon.de\nSubject: Refund initiated for order #302-1234567-1234567\n"
        b"Content-Type: text/plain; charset=utf-8\n\nWe refunded EUR 12,99.\n"
    )
    msg = parse_email(raw)
    assert msg.kind is MessageKind.REFUND_NOTICE and msg.buyer_address is None
    assert msg.facts is not None and str(getattr(msg.facts, "amount", None)) == "12.99 EUR"


def test_relay_mail_under_an_unknown_type_header_names_no_buyer() -> None:
    """Found by the damaged-notices property test: a relay alias's mail whose type header is
    no type we know is an Amazon notice, and a notice never names a buyer to pay or answer."""
    raw = (FIXTURES / "notices" / "relay_reply_es.eml").read_bytes()
    raw = raw.replace(
        b"X-Space-Notification-Type: BBC_MESSAGE_SENT_TO_MERCHANT", b"X-Space-Notification-Type: B"
    )
    message = parse_email(raw)
    assert message.kind.is_notice
    assert (message.buyer_address, message.buyer_name) == (None, None)


def test_a_buyers_return_request_through_the_relay_names_the_buyer() -> None:
    """A return the buyer asks for through the relay is the buyer's own request: the alias is
    the party to answer, while Amazon's own notices on the relay name no one."""
    raw = (FIXTURES / "notices" / "relay_reply_es.eml").read_bytes()
    message = parse_email(raw)
    assert message.kind is MessageKind.BUYER_MESSAGE and message.buyer_address
    assert MessageKind.RETURN_REQUEST.buyer_raised and not MessageKind.REFUND_NOTICE.buyer_raised
