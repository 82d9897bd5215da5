"""Amazon's customer-service contacts and seller news (intake/service_mail.py): read by their
structure, never by one sentence; the signals that are not there leave a mail its kind."""

from __future__ import annotations

import pytest

from spconnector.domain.enums import MessageKind
from spconnector.intake.service_mail import details, is_customer_service_contact, return_requested
from spconnector.intake.signals import mail_kind

TEMPLATE = (
    "Hello,\n\nWe've been contacted by a customer regarding the order identified below.\n\n"
    "--------------------\nOrder#: 113-1234567-7654321\nItem: Kettle\nReason: Not received\n\n"
    "Details:\nThe customer has not received the kettle.\nThey would like an update.\n"
    "--------------------\n\nTo respond to this customer, please reply to this e-mail or visit "
    "your seller account at the following link:\nhttps://sellercentral.amazon.com/x\n"
)


def _kind(sender: str, text: str, subject: str = "", **signals: object) -> MessageKind:
    return mail_kind(
        notification_type=signals.pop("notification_type", None),  # type: ignore[arg-type]
        sender=sender, subject=subject, is_report=False, text=text, **signals,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    "opening",
    [
        "We have been contacted by one of our customers about this order.",
        "Dear Amazon Seller, this is Amazon’s Customer Service team, writing on behalf of a buyer.",
        "Ein Kunde hat sich bezüglich dieser Bestellung an uns gewandt.",
        "Nous vous contactons au nom d'un client au sujet de cette commande.",
        "Le escribimos en nombre de un cliente sobre este pedido.",
        "Le scriviamo per conto di un cliente in merito a questo ordine.",
        "Wij nemen namens een klant contact met u op.",
        "wir wurden von einem Kunden bezüglich der unten genannten Bestellung kontaktiert.",
        "Hemos sido contactados por un cliente en relación con el pedido.",
        # no on-behalf opening, but the template's closing to the seller
        "Hello,\n\nOrder#: 113-1234567-7654321\n\nTo respond to this customer, please reply "
        "to this e-mail.",
    ],
)
def test_an_on_behalf_opening_with_the_templates_reason_line_is_a_contact(opening: str) -> None:
    text = f"{opening}\n\nOrder number: 113-1234567-7654321\nReason for contact: Late delivery\n"
    assert is_customer_service_contact(text)
    assert _kind("cs-reply@amazon.com", text) is MessageKind.CUSTOMER_SERVICE_CONTACT
    # the same through the buyer's relay alias, under the relay's own type header
    relay = _kind("a1b2c3@marketplace.amazon.com", text, notification_type="BUYER_MESSAGE")
    assert relay is MessageKind.CUSTOMER_SERVICE_CONTACT


def test_neither_signal_alone_makes_a_contact() -> None:
    buyer = "Amazon customer service told me to write to you. Reason: the lid is broken."
    assert not is_customer_service_contact(buyer)  # no on-behalf opening
    opening_only = "We've been contacted by a customer. Please check your messages."
    assert not is_customer_service_contact(opening_only)  # no part of the template
    # the closing with only a time to respond: a buyer's "within 2 days" is no template line
    closing = "Can you ship it within 2 days?\n\nTo respond to this customer, reply here."
    assert not is_customer_service_contact(closing)
    assert _kind("k9@marketplace.amazon.com", buyer) is MessageKind.BUYER_MESSAGE


def test_a_claim_header_is_not_overruled_by_an_on_behalf_phrase() -> None:
    kind = _kind("donotreply@amazon.com", TEMPLATE, notification_type="A_Z_CLAIM_RESPONDENT_NOTIFY")
    assert kind is MessageKind.A_TO_Z_CLAIM


def test_details_run_from_the_label_to_the_rule_line() -> None:
    lines = [line.strip() for line in TEMPLATE.splitlines() if line.strip()]
    assert details(lines) == "The customer has not received the kettle.\nThey would like an update."
    assert details(["Details: all on one line", "Thank you"]) == "all on one line"
    assert details(["Reason: late"]) is None
    assert return_requested(["Return requested: Yes"]) is True
    assert return_requested(["Retour demandé : Non"]) is False
    assert return_requested(["Return requested: maybe later"]) is None


NEWS = "Starting March 1, 2027, we are changing how A-to-z Guarantee claims are decided."
CLAIM = "A buyer has filed an A-to-z Guarantee claim. Please respond within 3 days."


def test_news_about_claims_that_names_no_order_is_news() -> None:
    kind = _kind("donotreply@amazon.com", NEWS, "A-to-z Guarantee update", names_order=False)
    assert kind is MessageKind.SELLER_NEWS
    bulk = _kind("donotreply@amazon.com", CLAIM, "A-to-z claims", names_order=False, bulk=True)
    assert bulk is MessageKind.SELLER_NEWS
    sender = _kind("seller-news@amazon.de", CLAIM, "A-bis-z-Garantie", names_order=False)
    assert sender is MessageKind.SELLER_NEWS


def test_without_news_signals_or_with_an_order_a_claim_stays_a_claim() -> None:
    # an orderless claim with no sign of news: still urgent for a person, never demoted
    assert _kind("donotreply@amazon.com", CLAIM, "A-to-z claim", names_order=False) is (
        MessageKind.A_TO_Z_CLAIM
    )
    assert _kind("donotreply@amazon.com", NEWS, "A-to-z claim", names_order=True) is (
        MessageKind.A_TO_Z_CLAIM
    )
    # Amazon's type header wins over any wording
    typed = _kind(
        "donotreply@amazon.com", NEWS, "A-to-z", names_order=False,
        notification_type="A_Z_CLAIM_RESPONDENT_NOTIFY",
    )  # fmt: skip
    assert typed is MessageKind.A_TO_Z_CLAIM
    # a relay buyer is never news, whatever they write
    relay = _kind("q1@marketplace.amazon.com", NEWS, "refund", names_order=False)
    assert relay is MessageKind.BUYER_MESSAGE


def test_a_claim_named_by_its_sender_or_subject_stays_a_claim() -> None:
    # "A buyer contacted Amazon to file a claim … respond within 3 days": on-behalf words and
    # a deadline, but the claim's own sender (or subject) says what it is
    text = "A buyer contacted Amazon to file an A-to-z Guarantee claim. Respond within 3 days."
    assert is_customer_service_contact(text)
    assert _kind("atoz-guarantee-no-reply@amazon.com", text) is MessageKind.A_TO_Z_CLAIM
    assert _kind("donotreply@amazon.com", text, "A-to-z Guarantee claim") is (
        MessageKind.A_TO_Z_CLAIM
    )


def test_a_contact_whose_details_speak_of_a_refund_is_no_refund_notice() -> None:
    text = TEMPLATE.replace(
        "The customer has not received the kettle.", "A refund was issued but never arrived."
    )
    assert _kind("cs-reply@amazon.com", text, "Your Amazon.com inquiry") is (
        MessageKind.CUSTOMER_SERVICE_CONTACT
    )


@pytest.mark.parametrize(
    ("subject", "text"),
    [
        ("Important information about refunds", "From February 1 refunds will now be issued."),
        ("A-to-z Guarantee", "Going forward, claims on late deliveries are decided by Amazon."),
        ("A-bis-z-Garantie", "Ab Februar entscheidet Amazon künftig über verspätete Anträge."),
        ("Garantie A à Z", "Désormais, Amazon décide des réclamations pour retard."),
        ("Garantía de la A a la Z", "Próximamente Amazon resolverá las reclamaciones."),
        ("A-tot-z-garantie", "Vanaf 1 maart beslist Amazon over claims."),
        ("マーケットプレイス保証", "マーケットプレイス保証の申請に関するお知らせ"),
    ],
)
def test_news_is_read_in_the_marketplaces_languages(subject: str, text: str) -> None:
    kind = _kind("donotreply@amazon.com", text, subject, names_order=False)
    assert kind is MessageKind.SELLER_NEWS


def test_amazons_customer_service_sender_with_a_template_line_is_a_contact() -> None:
    text = "Hello,\n\nOrder#: 113-1234567-7654321\nReason: Where is my order\n"
    assert _kind("cs-reply@amazon.co.uk", text) is MessageKind.CUSTOMER_SERVICE_CONTACT
    # the sender alone is not enough, nor is the same text from another Amazon address
    assert _kind("cs-reply@amazon.co.uk", "Hello, thank you.") is MessageKind.AMAZON_NOTICE
    assert _kind("donotreply@amazon.co.uk", text) is MessageKind.AMAZON_NOTICE


def test_the_relays_own_frame_is_no_contact_whatever_the_buyer_writes() -> None:
    relay = (
        "You have received a message from a customer.\n\nOrder ID: 113-1234567-7654321\n"
        "Item: Kettle\n\nMessage:\nCan you ship it within 2 days? Reason: it is a gift.\n\n"
        "View Message\n"
    )
    assert not is_customer_service_contact(relay)
    kind = _kind("r2d2@marketplace.amazon.com", relay, notification_type="BUYER_MESSAGE")
    assert kind is MessageKind.BUYER_MESSAGE


@pytest.mark.parametrize(
    "label", ["Reason for contact", "Raison du contact", "Motivo del contacto", "Kontaktgrund"]
)
def test_the_templates_contact_reason_label_alone_says_who_writes(label: str) -> None:
    text = f"Dear Amazon Seller,\n\nOrder number: 113-1234567-7654321\n{label}: Late delivery\n"
    assert _kind("seller-notification@amazon.com", text) is MessageKind.CUSTOMER_SERVICE_CONTACT
    # a plain "Reason:" without any sign of who writes is not enough
    plain = "Dear Amazon Seller,\n\nOrder number: 113-1234567-7654321\nReason: Late delivery\n"
    assert _kind("seller-notification@amazon.com", plain) is MessageKind.AMAZON_NOTICE
