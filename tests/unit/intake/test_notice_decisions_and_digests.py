"""The rules the fifth corpus (tests/fixtures/intake/layouts4) showed, on mail written here:
a claim's or chargeback's decision stated in its text (never a conditional one), deadlines
in French and Portuguese wording, a notice's own language, a refund notice naming several
orders, a return already refunded, the Italian return authorisation, and format=flowed text
— each also where it must NOT apply (buyer text, conditions, one order named twice)."""

from __future__ import annotations

import time
from email.message import EmailMessage

import pytest

from spconnector.domain.enums import MessageKind
from spconnector.domain.models import BuyerMessage
from spconnector.domain.notices import (
    AmazonNoticeFacts,
    AToZFacts,
    ChargebackFacts,
    RefundFacts,
)
from spconnector.intake.email import parse_email
from spconnector.intake.labels import stated_decision
from spconnector.intake.mime import unflow

PASS = "amazonses.com; spf=pass smtp.mailfrom={d}; dkim=pass header.i=@{d}; dmarc=pass header.from={d};"  # noqa: E501
O1, O2 = "112-1234567-7654321", "113-7654321-1234567"


def _mail(sender: str, subject: str, body: str, **headers: str) -> BuyerMessage:
    msg = EmailMessage()
    domain = sender.rpartition("@")[2]
    msg["Authentication-Results"] = PASS.format(d=domain)
    msg["From"] = f"Amazon <{sender}>"
    msg["To"] = "support@seller.example"
    msg["Subject"] = subject
    msg["Date"] = "Thu, 26 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = "<d1@email.amazonses.com>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return parse_email(msg.as_bytes())


@pytest.mark.parametrize(
    ("sender", "line"),
    [
        ("atoz-guarantee-no-reply@amazon.com", "We decided the claim in your favor."),
        ("atoz-guarantee-no-reply@amazon.com", "After your appeal we upheld our decision."),
        ("atoz-guarantee-no-reply@amazon.com", "Amazon has reimbursed the buyer."),
        ("atoz-guarantee-no-reply@amazon.com", "The buyer has withdrawn the claim."),
        (
            "cb-seller-notification@amazon.de",
            "Die Bank hat zugunsten des Karteninhabers entschieden.",
        ),
        ("cb-seller-notification@amazon.fr", "La banque a tranché le litige en votre faveur."),
        ("cb-seller-notification@amazon.es", "El banco ha resuelto la disputa a su favor."),
        ("cb-seller-notification@amazon.it", "La banca ha deciso la contestazione a suo favore."),
        ("atoz-guarantee-no-reply@amazon.com.br", "A reivindicação foi decidida a seu favor."),
    ],
)
def test_a_decision_stated_in_the_text_makes_the_claim_decided(sender: str, line: str) -> None:
    msg = _mail(sender, f"Order {O1}: an update", f"Hello,\n\n{line}\n\nOrder ID: {O1}\n")
    assert isinstance(msg.facts, (AToZFacts, ChargebackFacts))
    assert msg.facts.stage == "decided"


@pytest.mark.parametrize(
    "line",
    [
        "If you do not respond, we decided the claim in the buyer's favor.",
        "If the buyer has withdrawn the claim, no action is needed.",
        "Once the claim has been closed, you will get an email.",
        "Wenn Sie nicht antworten, wird zugunsten des Käufers entschieden.",
        "Si vous ne répondez pas, le litige sera tranché en sa faveur.",
        "Amazon may decide the claim in the buyer's favour.",  # no decision phrase at all
    ],
)
def test_a_decision_under_a_condition_leaves_the_claim_opened(line: str) -> None:
    msg = _mail(
        "atoz-guarantee-no-reply@amazon.com",
        f"A-to-z Guarantee claim for order {O1}",
        f"Hello,\n\nA buyer filed a claim.\n{line}\n\nOrder ID: {O1}\n",
    )
    assert isinstance(msg.facts, AToZFacts)
    assert msg.facts.stage == "opened"


def test_a_buyer_who_says_a_claim_was_decided_is_still_a_buyer() -> None:
    msg = _mail(
        "a1b2c3d4e5f6g7h@marketplace.amazon.com",
        "Message from Amazon customer Sam",
        "------------- Begin message -------------\n\nAmazon decided the claim in my favour "
        "and has reimbursed the buyer, me. Refund issued for order "
        f"{O1} and for order {O2}.\n\n------------- End message -------------\n\n"
        f"Order ID: {O1}\n",
        X_Space_Notification_Type="BBC_MESSAGE_SENT_TO_MERCHANT",
    )
    assert msg.kind is MessageKind.BUYER_MESSAGE
    assert msg.facts is None


@pytest.mark.parametrize(
    ("sender", "line", "days"),
    [
        ("cb-seller-query@amazon.ca", "Veuillez répondre dans les 7 jours civils.", 7),
        ("atoz-guarantee-no-reply@amazon.com.br", "Responda em até 3 dias corridos.", 3),
        ("atoz-guarantee-no-reply@amazon.com.br", "Você tem 5 dias para responder.", 5),
    ],
)
def test_french_and_portuguese_deadlines(sender: str, line: str, days: int) -> None:
    msg = _mail(sender, f"Chargeback / reivindicação {O1}", f"Olá,\n\n{line}\n\nPedido: {O1}\n")
    assert isinstance(msg.facts, (AToZFacts, ChargebackFacts))
    assert msg.facts.respond_within_days == days


def test_a_notice_in_french_on_amazon_ca_is_french_and_a_terse_one_keeps_the_prior() -> None:
    french = _mail(
        "cb-seller-query@amazon.ca",
        f"Demande de rétrofacturation pour la commande {O1}",
        "Bonjour,\n\nL'émetteur de la carte de l'acheteur nous a transmis une demande de "
        f"rétrofacturation pour la commande ci-dessous.\n\nNuméro de commande : {O1}\n",
    )
    assert (french.marketplace, french.language) == ("amazon.ca", "fr")
    terse = _mail("cb-seller-query@amazon.de", f"Chargeback {O1}", f"Order: {O1}\n")
    assert (terse.marketplace, terse.language) == ("amazon.de", "de")


def test_a_refund_notice_naming_several_orders_is_for_a_person() -> None:
    msg = _mail(
        "donotreply@amazon.com",
        "Refunds initiated",
        "Hello,\n\nWe have issued a refund for these orders:\n\n"
        f"Order ID: {O1}  Refund amount: $5.00\nOrder ID: {O2}  Refund amount: $7.00\n",
    )
    assert msg.kind is MessageKind.AMAZON_NOTICE
    assert isinstance(msg.facts, AmazonNoticeFacts)
    assert msg.facts.speaks_of == ("refund",)


def test_one_order_named_twice_is_still_its_refund_notice() -> None:
    msg = _mail(
        "donotreply@amazon.com",
        f"Refund initiated for order {O1}",
        f"Hello,\n\nWe have issued a refund.\n\nOrder ID: {O1}\nOrder number: {O1}\n"
        "Refund amount: $5.00\n",
    )
    assert msg.kind is MessageKind.REFUND_NOTICE
    assert isinstance(msg.facts, RefundFacts) and msg.facts.order_id == O1


def test_a_return_already_refunded_is_a_refund_notice() -> None:
    msg = _mail(
        "return@amazon.com",
        f"Return request for order {O1}",
        "Dear Seller,\n\nNo return label was sent: the customer keeps the item and has been "
        f"refunded.\n\nOrder ID: {O1}\nRefund amount: $9.99\n",
    )
    assert msg.kind is MessageKind.REFUND_NOTICE
    assert isinstance(msg.facts, RefundFacts)
    assert str(msg.facts.amount.amount if msg.facts.amount else None) == "9.99"


@pytest.mark.parametrize(
    "opening",
    [
        "A refund will be issued once the item is back.",
        "The customer has not been refunded yet.",
        "Please refund the customer when the item arrives.",
    ],
)
def test_a_return_whose_refund_is_to_come_stays_a_return_request(opening: str) -> None:
    msg = _mail(
        "return@amazon.com",
        f"Return request for order {O1}",
        f"Dear Seller,\n\n{opening}\n\nOrder ID: {O1}\nReturn reason: Too small\n",
    )
    assert msg.kind is MessageKind.RETURN_REQUEST


def test_the_italian_return_authorisation_is_a_return_request() -> None:
    msg = _mail(
        "order-update@amazon.it",
        f"Autorizzazione al reso per l'ordine n. {O1}",
        f"Buongiorno,\n\nNumero ordine: {O1}\nArticolo: Tazza\nQuantità: 1\n"
        "Motivo del reso: Articolo difettoso\n",
    )
    assert msg.kind is MessageKind.RETURN_REQUEST


@pytest.mark.parametrize(
    ("flowed", "delsp", "typed"),
    [
        ("one \r\ntwo\r\nthree", False, "one two\nthree"),
        ("one\r\ntwo", False, "one\ntwo"),
        ("spl\r\nit", True, "spl\nit"),
        ("spl \r\nit", True, "split"),
        ("> quoted \r\n> text\r\nnew", False, "> quoted text\nnew"),
        ("> deep \r\n>> deeper", False, "> deep \n>> deeper"),  # depth changes: no join
        (" From me", False, "From me"),  # space-stuffing taken off
        ("-- \r\nSig", False, "-- \nSig"),  # the signature line never flows
    ],
)
def test_format_flowed_reads_as_typed(flowed: str, delsp: bool, typed: str) -> None:
    assert unflow(flowed, delsp=delsp) == typed


def test_unflowing_is_linear() -> None:
    started = time.perf_counter()
    assert len(unflow("a \n" * 200_000)) >= 200_000
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    "line",
    [
        "zugunsten des " + "a " * 5_000 + "entschieden",
        "decided the " + "x " * 5_000 + "in your favor",
        ("tranché " + "a " * 20) * 500,
    ],
)
def test_decision_patterns_are_bounded_and_miss_stretched_words(line: str) -> None:
    started = time.perf_counter()
    assert not stated_decision(line)
    assert time.perf_counter() - started < 1.0


def test_a_flowed_relay_message_gives_the_buyers_words_as_typed() -> None:
    raw = (
        "From: Pat - Amazon Marketplace <a1b2c3d4e5f6g7h@marketplace.amazon.com>\r\n"
        "To: support@seller.example\r\nSubject: Message from Amazon customer Pat\r\n"
        "X-Space-Notification-Type: BBC_MESSAGE_SENT_TO_MERCHANT\r\nMIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="utf-8"; format=flowed; delsp=yes\r\n\r\n'
        "------------- Begin message -------------\r\n\r\n"
        "Where is my par\r\ncel? It was due on Mon \r\nday.\r\n\r\n"
        f"------------- End message -------------\r\n\r\nOrder ID: {O1}\r\n"
    ).encode()
    msg = parse_email(raw)
    assert msg.kind is MessageKind.BUYER_MESSAGE
    assert msg.body == "Where is my par\ncel? It was due on Monday."


def test_a_time_in_a_conditional_refund_sentence_does_not_end_its_clause() -> None:
    msg = _mail(
        "donotreply@amazon.com",
        f"Update on order {O1}",
        "Hello,\n\nIf by 10:00 tomorrow the refund has been issued, reply to this email.\n\n"
        f"Order ID: {O1}\n",
    )
    assert msg.kind is MessageKind.AMAZON_NOTICE
    assert isinstance(msg.facts, AmazonNoticeFacts) and msg.facts.speaks_of == ("refund",)
