"""Amazon's mail whose words name money without being a refund, claim or chargeback notice of
an order (account-health warnings, SAFE-T reimbursements, refunds asked for), order ids in
look-alike characters, and the money words of marketplaces beyond the five languages: read
so that no refund of ours follows a refund Amazon made, and no claim is invented."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from spconnector.domain.enums import MessageKind
from spconnector.domain.models import BuyerMessage
from spconnector.domain.notices import AmazonNoticeFacts
from spconnector.intake.email import parse_email
from spconnector.intake.order_ids import find_order_id
from spconnector.intake.phrases import kind_from_subject

PASS = (
    "amazonses.com; spf=pass smtp.mailfrom={d}; dkim=pass header.i=@{d}; dmarc=pass "
    "header.from={d};"
)


def _mail(
    sender: str, subject: str, body: str, notification_type: str | None = None
) -> BuyerMessage:
    msg = EmailMessage()
    domain = sender.rpartition("@")[2]
    msg["Authentication-Results"] = PASS.format(d=domain)
    msg["From"] = f"Amazon <{sender}>"
    msg["To"] = "support@seller.example"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 25 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = "<a1@email.amazonses.com>"
    if notification_type:
        msg["X-Space-Notification-Type"] = notification_type
    msg.set_content(body)
    return parse_email(msg.as_bytes())


ODR = (
    "Your Order Defect Rate is 1.9%. It counts orders with negative feedback, A-to-z Guarantee "
    "claims and chargebacks over the last 60 days."
)


def test_a_warning_that_names_claims_but_no_order_is_no_claim() -> None:
    got = _mail("seller-performance@amazon.com", "Your account health", ODR)
    assert got.kind is MessageKind.AMAZON_NOTICE and got.amazon_order_id is None


def test_the_same_opening_with_an_order_is_still_the_claim_it_names() -> None:
    got = _mail(
        "seller-performance@amazon.com", "Update",
        "We received an A-to-z Guarantee claim of $12.00 on the order 113-4827163-5093817.",
    )  # fmt: skip
    assert got.kind is MessageKind.A_TO_Z_CLAIM
    assert got.amazon_order_id == "113-4827163-5093817"


@pytest.mark.parametrize(
    ("subject", "notification_type"),
    [("SAFE-T claim decision", None), ("Claim decision", "SAFET_CLAIM_REFUND_DECISION")],
)
def test_a_safe_t_reimbursement_is_never_a_refund_notice(
    subject: str, notification_type: str | None
) -> None:
    got = _mail(
        "safe-t-review@amazon.com", subject,
        "Amazon issued a refund to the buyer of order 112-6610384-2297415. We have approved a "
        "reimbursement of $20.00 to your seller account.",
        notification_type,
    )  # fmt: skip
    assert got.kind is MessageKind.AMAZON_NOTICE
    assert isinstance(got.facts, AmazonNoticeFacts) and "refund" in got.facts.speaks_of


def test_a_refund_asked_for_in_japanese_is_no_refund_made() -> None:
    got = _mail(
        "donotreply@amazon.co.jp", "返金リクエストのお知らせ",
        "購入者から返金リクエストがありました。\n注文番号：249-5581930-7720416\n",
    )  # fmt: skip
    assert got.kind is MessageKind.AMAZON_NOTICE
    assert isinstance(got.facts, AmazonNoticeFacts) and got.facts.speaks_of == ("refund",)
    assert got.amazon_order_id == "249-5581930-7720416"
    assert kind_from_subject("返金処理が完了しました") is MessageKind.REFUND_NOTICE


@pytest.mark.parametrize(
    "body",
    [
        "تم استرداد المبلغ للعميل للطلب 408-1190274-3306618.",  # Arabic: the amount refunded
        "De restitutie voor bestelling 407-5518301-2290064 wordt bekeken.",  # Dutch/Belgian
        "406-8830417-5527149 numaralı sipariş için para iadesi hakkında.",  # Turkish
    ],
)
def test_refund_words_beyond_the_five_languages_keep_the_refund_guard(body: str) -> None:
    got = _mail("donotreply@amazon.sa", "Notice", body)
    if got.kind is MessageKind.REFUND_NOTICE:
        # "تم استرداد المبلغ" says the amount was refunded: a refund made, the stronger guard
        assert body.startswith("تم استرداد")
        return
    assert got.kind is MessageKind.AMAZON_NOTICE
    assert isinstance(got.facts, AmazonNoticeFacts) and "refund" in got.facts.speaks_of


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        # made: "a refund was issued"; not made: "will be" (سيتم), "is being" (يتم), "was not"
        ("تم إصدار استرداد للطلب 402-3317702-9924158.", MessageKind.REFUND_NOTICE),
        ("سيتم إصدار استرداد للطلب 402-3317702-9924158.", MessageKind.AMAZON_NOTICE),
        ("يتم إصدار استرداد للطلب 402-3317702-9924158.", MessageKind.AMAZON_NOTICE),
        ("لم يتم إصدار استرداد للطلب 402-3317702-9924158.", MessageKind.AMAZON_NOTICE),
        ("قد تم إصدار استرداد للطلب 402-3317702-9924158 إذا وافقت.", MessageKind.AMAZON_NOTICE),
    ],
)
def test_an_arabic_refund_is_made_only_when_its_clause_says_so(
    body: str, kind: MessageKind
) -> None:
    got = _mail("donotreply@amazon.ae", "إشعار", body)
    assert got.kind is kind
    if kind is MessageKind.AMAZON_NOTICE:
        assert isinstance(got.facts, AmazonNoticeFacts) and "refund" in got.facts.speaks_of


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Verzoek tot annulering van bestelling", MessageKind.CANCELLATION_REQUEST),
        ("Żądanie anulowania zamówienia", MessageKind.CANCELLATION_REQUEST),
        ("Begäran om annullering av beställning", MessageKind.CANCELLATION_REQUEST),
        ("Sipariş iptal isteği", MessageKind.CANCELLATION_REQUEST),
        ("購入者からの注文キャンセルのご依頼", MessageKind.CANCELLATION_REQUEST),
        ("طلب إلغاء من عميل أمازون", MessageKind.CANCELLATION_REQUEST),
        # an order Amazon cancelled is no request to cancel it
        ("Tu pedido ha sido cancelado", None),
        ("Uw bestelling is geannuleerd", None),
        ("Zamówienie zostało anulowane", None),
    ],
)
def test_cancellation_requests_by_their_request_and_cancel_words(
    subject: str, kind: MessageKind | None
) -> None:
    assert kind_from_subject(subject) is kind


@pytest.mark.parametrize(
    "text",
    [
        "Order 112\u20114827163\u20115093817",  # non-breaking hyphens (&#8209;)
        "Order 112\u20134827163\u20135093817",  # en dashes
        "注文番号：１１２\u2212４８２７１６３\u2212５０９３８１７",  # fullwidth, JIS minus
        "注文番号：１１２\uff0d４８２７１６３\uff0d５０９３８１７",  # fullwidth hyphen-minus
    ],
)
def test_order_ids_in_look_alike_characters_are_read(text: str) -> None:
    assert find_order_id(text) == "112-4827163-5093817"


def test_a_longer_number_holds_no_order_id() -> None:
    assert find_order_id("ref 1112\u20114827163\u201150938170") is None


@pytest.mark.parametrize(
    "subject",
    [
        "No refund has been issued for order 171-1234567-1234567",
        "Demande de remboursement pour la commande 171-1234567-1234567 effectuée par l'acheteur",
        "Antrag auf Erstattung für Bestellung 171-1234567-1234567 erfolgt",
    ],
)
def test_a_subject_that_denies_or_requests_a_refund_is_no_refund_notice(subject: str) -> None:
    """Read as a refund made before, such a notice was a silent note closing the case: the
    buyer's request reached nobody. Now a person reads it, and no refund of ours meanwhile."""
    got = _mail("donotreply@amazon.fr", subject, "Commande 171-1234567-1234567.")
    assert got.kind is MessageKind.AMAZON_NOTICE
    assert isinstance(got.facts, AmazonNoticeFacts) and got.facts.speaks_of == ("refund",)


@pytest.mark.parametrize(
    "subject",
    ["Refund initiated for order 171-1234567-1234567", "Remboursement effectué pour la commande"],
)
def test_a_subject_that_states_a_refund_made_is_a_refund_notice(subject: str) -> None:
    got = _mail("donotreply@amazon.fr", subject, "Commande 171-1234567-1234567.")
    assert got.kind is MessageKind.REFUND_NOTICE


@pytest.mark.parametrize(
    ("sender", "subject", "body"),
    [
        ("return@amazon.com", "Your Amazon.com refund",
         "Your refund of $23.99 has been processed for order 112-6610384-2297415."),
        ("return@amazon.com", "Your refund for Bamboo cutting board",
         "We've refunded $23.99 for order #112-6610384-2297415."),
        ("donotreply@amazon.co.uk", "Refund on order 203-6610384-2297415",
         "Amazon has refunded £12.00 to the customer on your behalf."),
        ("donotreply@amazon.com", "Your Amazon.com refund",
         "A refund of $12.00 was issued to the buyer for order 112-6610384-2297415."),
    ],
)  # fmt: skip
def test_a_refund_made_with_its_amount_between_the_words_is_a_refund_notice(
    sender: str, subject: str, body: str
) -> None:
    """Read as unknown notices before (a person's task, the refund guard held by speaks_of),
    they are the refund notices they are: the refund is recorded with its amount."""
    got = _mail(sender, subject, body)
    assert got.kind is MessageKind.REFUND_NOTICE
    assert got.facts is not None and getattr(got.facts, "amount", None) is not None


def test_a_buyer_requested_cancellation_is_a_cancellation_request() -> None:
    got = _mail(
        "donotreply@amazon.com", "Action Required: Buyer requested cancellation",
        "Order ID: 112-6610384-2297415\nReason: Ordered by mistake\n",
    )  # fmt: skip
    assert got.kind is MessageKind.CANCELLATION_REQUEST
    assert got.amazon_order_id == "112-6610384-2297415"


@pytest.mark.parametrize(
    "subject",
    [
        "Der Käufer hat die Stornierung der Bestellung beantragt",
        "L'acheteur a demandé l'annulation de la commande",
        "El comprador ha solicitado la cancelación del pedido",
        "L'acquirente ha richiesto l'annullamento dell'ordine",
        "Annulation demandée par l'acheteur",
    ],
)
def test_a_cancellation_asked_for_in_verb_form_is_a_cancellation_request(subject: str) -> None:
    assert kind_from_subject(subject) is MessageKind.CANCELLATION_REQUEST


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("Wir haben dem Käufer 12,00 € erstattet", MessageKind.REFUND_NOTICE),
        ("Der Betrag wurde erstattet", MessageKind.REFUND_NOTICE),
        ("Ihre Bestellung wurde storniert", None),  # cancelled, not a request
    ],
)
def test_german_refunds_in_verb_form(subject: str, kind: MessageKind | None) -> None:
    assert kind_from_subject(subject) is kind


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("We hebben € 12,00 terugbetaald voor bestelling", MessageKind.REFUND_NOTICE),
        ("Vi har återbetalat 349 kr för beställningen", MessageKind.REFUND_NOTICE),
        ("Zwróciliśmy 49,00 zł za zamówienie", MessageKind.REFUND_NOTICE),
        ("Sipariş için 120 TL iade edildi", MessageKind.REFUND_NOTICE),
    ],
)
def test_refunds_made_in_verb_form_beyond_the_five_languages(
    subject: str, kind: MessageKind
) -> None:
    assert kind_from_subject(subject) is kind


@pytest.mark.parametrize(
    "body",
    [
        "Het bedrag voor bestelling 407-5518301-2290064 wordt terugbetaald zodra het binnen is.",
        "Kwota za zamówienie 405-2278014-6613390 nie została jeszcze zwrócona.",
        "406-8830417-5527149 siparişi için ücret iade edilecek.",
    ],
)
def test_a_refund_to_come_beyond_the_five_languages_keeps_the_refund_guard(body: str) -> None:
    """'terugbetaald' and 'zwrócona' named no refund before: such a notice was a low-priority
    note, and nothing stopped a refund of ours for the order."""
    got = _mail("donotreply@amazon.nl", "Bericht over uw bestelling", body)
    assert got.kind is MessageKind.AMAZON_NOTICE
    assert isinstance(got.facts, AmazonNoticeFacts) and "refund" in got.facts.speaks_of


def test_a_turkish_item_returned_is_no_refund_made() -> None:
    assert kind_from_subject("İade talebi: ürün iade edildi") is MessageKind.RETURN_REQUEST
