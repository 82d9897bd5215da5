"""The rules layouts6 brought (tests/fixtures/intake/layouts6/README.md), each on wording and
shapes beyond that corpus's mails: refunds made in Chinese and Hindi and German "ausgezahlt"
(never a refund asked for, one that will or may be made, or one not made); Chinese and Hindi
deadlines and Arabic "خلال 3 أيام"; label and value in two table cells; an order named only
in Amazon's own link (never a gateway's rewritten one, never a buyer's); a postmaster's mail
that is no bounce; hidden preheaders."""

from __future__ import annotations

import pytest

from spconnector.domain.enums import MessageKind
from spconnector.intake import labels, notice_document, notices, phrases, signals
from spconnector.intake.email import parse_email
from spconnector.intake.language import subject_script_language
from spconnector.intake.mime import node_text, parse_html


@pytest.mark.parametrize(
    ("opening", "made"),
    [
        ("尊敬的卖家：我们已为订单 111-0000000-0000001 向买家全额退款。", True),
        ("订单 111-0000000-0000001 的退款已发放。", True),
        ("买家已申请退款，请在 2 天内处理。", False),  # a refund asked for
        ("我们已收到退货，将为买家退款。", False),  # will be refunded
        ("我们已确认，该订单未退款。", False),  # not refunded
        ("नीचे दिए गए ऑर्डर के लिए धनवापसी जारी कर दी गई है।", True),
        ("ख़रीदार को रिफ़ंड किया गया।", True),
        ("धनवापसी जारी की जाएगी।", False),  # will be issued
        ("धनवापसी का अनुरोध किया गया है।", False),  # a refund asked for
        ("Wir haben dem Käufer eine Erstattung ausgezahlt.", True),
        ("Die Erstattung wird nach Eingang der Rücksendung ausgezahlt.", False),
        ("Eine Rückerstattung wurde nicht durchgeführt.", False),
    ],
)
def test_a_refund_made_in_chinese_hindi_and_german_wording(opening: str, made: bool) -> None:
    assert phrases.refund_made(opening) is made


@pytest.mark.parametrize(
    ("line", "days"),
    [
        ("يُرجى الرد خلال 3 أيام.", 3),
        ("لديك 7 أيام للرد", 7),
        ("请在 3 天内回复。", 3),
        ("请于7天之内提供证明", 7),
        ("कृपया 3 दिनों के भीतर जवाब दें।", 3),
        ("3日以内にご対応ください。", 3),
        ("خلال فترة قصيرة", None),
        ("订单 3 件商品", None),
    ],
)
def test_a_deadline_in_arabic_chinese_and_hindi(line: str, days: int | None) -> None:
    found = labels.WITHIN.search(line) or labels.WITHIN_JA.search(line)
    assert (int(found.group(1)) if found else None) == days


def _doc(html: str) -> notice_document.Document:
    tree = parse_html(html)
    body = tree.body or tree.root
    assert body is not None
    return notice_document.read_document("", node_text(body), tree=tree)


def test_label_and_value_in_two_cells_are_a_pair_but_an_item_header_is_not() -> None:
    doc = _doc(
        "<table><tr><td>Refund reason</td><td>Item arrived broken</td></tr>"
        "<tr><td>Quantity</td><td>2</td></tr></table>"
        "<table><tr><th>Item</th><th>Quantity</th></tr><tr><td>Mug</td><td>1</td></tr></table>"
    )
    assert ("reason", "Item arrived broken") in doc.pairs
    assert ("quantity", "2") in doc.pairs
    assert ("title", "Quantity") not in doc.pairs  # the item table's header row
    assert ("title", "1") not in doc.pairs


def test_an_order_only_amazon_links_name_is_read_never_a_rewritten_link() -> None:
    order = "206-1234567-7654321"
    amazon = _doc(
        f'<p>A claim was filed.</p><a href="https://sellercentral.amazon.co.uk/claims?orderId={order}">'
        "View</a>"
    )
    assert notices.order_id_in("Claim filed", amazon) == order
    rewritten = _doc(
        '<p>A claim was filed.</p><a href="https://eur02.safelinks.protection.outlook.com/?url='
        f'https%3A%2F%2Fsellercentral.amazon.co.uk%2Fclaims%3ForderId%3D{order}">View</a>'
        f'<a href="https://amazon.co.uk.claims-review.example/{order}">Sign in</a>'
    )
    assert notices.order_id_in("Claim filed", rewritten) is None


def test_a_buyers_link_never_names_the_order() -> None:
    order = "113-1234567-7654321"
    raw = (
        "From: a1b2c3d4@marketplace.amazon.com\r\nTo: s@seller.example\r\n"
        "Subject: Message from Amazon customer\r\nX-Space-Notification-Type: "
        "BBC_MESSAGE_SENT_TO_MERCHANT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>Where is it? <a href='https://www.amazon.com/gp/your-account/order-details"
        f"?orderID={order}'>my order</a></p>"
    ).encode()
    message = parse_email(raw)
    assert message.kind is MessageKind.BUYER_MESSAGE
    assert message.amazon_order_id is None


@pytest.mark.parametrize(
    ("subject", "text", "kind"),
    [
        ("Held messages summary", "2 messages on hold.\nFrom: donotreply@amazon.com", "other"),
        ("Quarantine notification", "A message to you was quarantined.", "other"),
        ("Undeliverable: Re: Your order", "", "delivery_failure"),
        ("failure notice", "Sorry, we were not able to deliver your message.", "delivery_failure"),
        ("Notice", "Your message could not be delivered to the recipient.", "delivery_failure"),
    ],
)
def test_a_postmasters_mail_is_a_bounce_only_when_it_says_so(
    subject: str, text: str, kind: str
) -> None:
    found = signals.mail_kind(
        notification_type=None,
        sender="postmaster@seller.example",
        subject=subject,
        is_report=False,
        text=text,
    )
    assert found.value == kind


def test_a_hidden_preheader_is_not_the_notice() -> None:
    doc = _doc(
        '<span style="display:none">Refund reason: Preview only</span>'
        "<table><tr><td>Refund reason</td><td>Wrong size</td></tr>"
        "<tr><td>Order ID</td><td>111-0000000-0000002</td></tr></table>"
    )
    assert [v for m, v in doc.pairs if m == "reason"] == ["Wrong size"]


@pytest.mark.parametrize(
    ("subject", "text", "language"),
    [
        ("退款通知：订单 113-0000000-0000001", "Order ID: 113-0000000-0000001 Refund", "zh"),
        ("返金通知：注文 249-0000000-0000001", "ご注文の返金が完了しました。", "ja"),
        ("धनवापसी जारी की गई", "Order ID: 404-0000000-0000001", "hi"),
        ("Refund issued for order 113-0000000-0000001", "退款已处理", None),
    ],
)
def test_a_notices_subject_script_names_its_language(
    subject: str, text: str, language: str | None
) -> None:
    assert subject_script_language(subject, text) == language
