"""Properties of intake on Amazon's notices: no crash on any bytes or damaged notice, a notice
never yields a refund decision whatever the policy thinks of it, and hostile shapes (the
audit's `-----` + spaces, deep nesting, endless quoting) are read in linear time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spconnector.domain import FulfillmentChannel, Intent, Money, Order, OrderItem
from spconnector.intake.email import EmailParseError, parse_email
from spconnector.policy import CaseInput, CaseMessage, decide, default_policy

CORPUS = Path(__file__).parents[2] / "fixtures" / "intake" / "notices"
NOTICES = {p.name: p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))}
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _parse_or_refuse(raw: bytes) -> None:
    try:
        msg = parse_email(raw)
    except EmailParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    msg.model_dump(mode="json")
    if msg.kind.is_notice:
        assert msg.buyer_address is None  # a notice never names a buyer to pay or answer


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash(raw: bytes) -> None:
    _parse_or_refuse(raw)


@SETTINGS
@given(
    st.sampled_from(sorted(NOTICES)),
    st.lists(st.tuples(st.integers(0, 20_000), st.binary(min_size=0, max_size=12)), max_size=8),
    st.integers(0, 20_000),
)
def test_damaged_notices_never_crash(name: str, edits: list[tuple[int, bytes]], cut: int) -> None:
    raw = bytearray(NOTICES[name][: max(cut, 60)])
    for at, junk in edits:
        at = at % (len(raw) + 1)
        raw[at : at + len(junk)] = junk
    _parse_or_refuse(bytes(raw))


def _order(order_id: str, price: Decimal, days_since_delivery: int) -> Order:
    return Order(
        amazon_order_id=order_id,
        marketplace_id="ATVPDKIKX0DER",
        purchase_date=NOW - timedelta(days=days_since_delivery + 3),
        delivered_at=NOW - timedelta(days=days_since_delivery),
        fulfillment_channel=FulfillmentChannel.MFN,
        items=(OrderItem(sku="SKU-1", quantity=1, unit_price=Money(amount=price, currency="USD")),),
    )


PARSED = {n: parse_email(raw) for n, raw in NOTICES.items()}
NOTICE_NAMES = sorted(n for n, m in PARSED.items() if m.kind.is_notice)


@SETTINGS
@given(
    st.sampled_from(NOTICE_NAMES),
    st.sampled_from(list(Intent)),  # whatever the classifier had made of it
    st.decimals(min_value=Decimal("0.50"), max_value=Decimal("900"), places=2),
    st.integers(0, 60),
    st.booleans(),
)
def test_a_notice_never_yields_a_refund_decision(
    name: str, intent: Intent, price: Decimal, days: int, refunded: bool
) -> None:
    message = PARSED[name]
    case = CaseInput(
        tenant="t1",
        now=NOW,
        order=_order(message.amazon_order_id or "113-0000000-0000001", price, days),
        message=CaseMessage(
            subject=message.subject,
            body=message.body,
            received_at=NOW - timedelta(hours=1),
            intent=intent,
            kind=message.kind,
        ),
        already_refunded=refunded,
    )
    decision = decide(default_policy(), case)
    assert not decision.action.moves_money and decision.refund is None


# The case's money stops a notice sets: Amazon refunded the order (a refund notice), or a
# notice intake could not read as a refund, claim or chargeback speaks of one (a person reads
# it before any refund of ours).
@pytest.mark.parametrize("stop", ["already_refunded", "unread_money_notice"])
@SETTINGS
@given(
    st.sampled_from(list(Intent)),
    st.decimals(min_value=Decimal("0.50"), max_value=Decimal("900"), places=2),
)
def test_after_a_money_notice_no_buyer_message_is_refunded(
    stop: str, intent: Intent, price: Decimal
) -> None:
    case = CaseInput(
        tenant="t1",
        now=NOW,
        order=_order("113-0000000-0000002", price, 3),
        message=CaseMessage(
            subject="", body="it broke", received_at=NOW - timedelta(hours=1), intent=intent
        ),
        **{stop: True},
    )
    decision = decide(default_policy(), case)
    assert not decision.action.moves_money and decision.refund is None


RELAY_HEAD = (
    b'From: "Jo - Amazon Marketplace" <abc@marketplace.amazon.com>\r\n'
    b"Subject: Inquiry from Amazon customer Jo (Order: 113-1234567-1234567)\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
)
HOSTILE = {
    "audit-4 banner": RELAY_HEAD + b"-----" + b" " * 12_000 + b"\r\n",
    "banner spaces many lines": RELAY_HEAD + (b"-----" + b" " * 3_000 + b"x\r\n") * 60,
    "attribution-like lines": RELAY_HEAD + (b"On " + b"a " * 190 + b"\r\n") * 2_000,
    "dashes": RELAY_HEAD + b"-" * 200_000,
    "quoted lines": RELAY_HEAD + b"> " * 100_000,
    "closing-like tail": RELAY_HEAD + b"hello\r\n" + b"Thanks,\r\n" * 20_000,
    "nested html": (
        b"From: donotreply@amazon.com\r\nContent-Type: text/html\r\n\r\n"
        + b"<table><tr><td>" * 5_000
        + b"Order ID: 403-1111111-2222222"
    ),
    "huge header": (
        b"From: donotreply@amazon.com\r\nSubject: " + b"=?utf-8?q?a?= " * 20_000 + b"\r\n\r\nx"
    ),
    "on-behalf opening, label-like lines": (
        b"From: cs-reply@amazon.com\r\n\r\nWe've been contacted by a customer.\r\n"
        + b"Details:" + b" x" * 100_000 + b"\r\n" + b"Reason: a\r\n" * 20_000
    ),
    "news-like words": (
        b"From: donotreply@amazon.com\r\nSubject: A-to-z\r\n\r\n"
        + b"starting starting as of as of changes to " * 10_000
    ),
    "deadline-like words": (
        b"From: atoz-guarantee-no-reply@amazon.com\r\nSubject: Claim received\r\n\r\n"
        + (b"you have seven you have 3 calendar calendar sie haben drei " * 15 + b"\r\n") * 400
    ),
    "refund-like gaps": (
        b"From: donotreply@amazon.de\r\nSubject: " + b"Erstattung " + b"a" * 58 + b"\r\n\r\n"
        + (b"Erstattung " + b"a " * 29 + b"rimborso conferma di ") * 4_000
    ),
    "plain stub, huge html": (
        b"From: donotreply@amazon.com\r\nContent-Type: multipart/alternative; boundary=b\r\n"
        b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nUse an HTML client.\r\n--b\r\n"
        b"Content-Type: text/html\r\n\r\n" + b"<p>refund of $1.00 within 3 days</p>" * 20_000
        + b"\r\n--b--\r\n"
    ),
    "cancel-request-like words": (
        "From: donotreply@amazon.nl\r\nSubject: Verzoek {}\r\n\r\n".format("tot " * 200).encode()
        + ("verzoek tot om van żądanie anulo " * 20 + "iptal iptal キャンセルの\r\n").encode()
        * 2_000
    ),
    "refund-request-like words": (
        "From: donotreply@amazon.fr\r\nSubject: Demande {}remboursement\r\n\r\n".format(
            "de " * 300
        ).encode()
        + ("demande de la remboursement demandé refund request " * 30 + "\r\n").encode() * 1_000
    ),
    "refund-of gaps": (
        b"From: return@amazon.com\r\nSubject: refund of " + b"was " * 200 + b"\r\n\r\n"
        + (b"refund of " + b"is " * 25 + b"has been refunded refund for \r\n") * 4_000
    ),
    "verb-form request and refund words": (
        "From: donotreply@amazon.de\r\nSubject: beantragt {}\r\n\r\n".format("die " * 300).encode()
        + ("wir haben wurde " + "x " * 25 + "stornierung die der beantragt demandé l'a ").encode()
        * 8_000
    ),
    "reimbursement and forward-like lines": (
        b"From: a1b2c3@marketplace.amazon.com\r\nSubject: Hi\r\n\r\n"
        + b"------------- Begin message -------------\r\n"
        + b"Begin forwarded message: safe-t reimburs From: x\r\n" * 20_000
    ),
    "decision-like gaps": (
        b"From: atoz-guarantee-no-reply@amazon.de\r\nSubject: Antrag 302-1234567-1234567\r\n\r\n"
        + ("zugunsten des " + "a " * 30 + "decided the x x x in the ab's tranché " * 3
           + "wenn\r\n").encode() * 3_000
    ),
    "several-order lines": (
        b"From: donotreply@amazon.com\r\nSubject: Refund issued\r\n\r\n"
        + b"Order ID: 112-1234567-1234567 " + b"1" * 300 + b"\r\n"
        + b"Order ID: " + b"112-1234567-" * 30 + b"\r\n" * 20_000
    ),
    "flowed lines": (
        b"From: a1b2c3@marketplace.amazon.com\r\nSubject: Hi\r\n"
        b"Content-Type: text/plain; format=flowed; delsp=yes\r\n\r\n"
        + b"> a \r\n" * 100_000 + b"-- \r\n" * 10_000
    ),
    "money-like": (
        b"From: donotreply@amazon.com\r\nSubject: refund issued\r\n\r\n" + b"1.000," * 40_000
    ),
    # a forward's markers and From lines, none with an address or a header block after it
    "forward-header lines": (
        b"From: va@agency.example\r\nSubject: Fwd\r\n\r\n"
        + (b"---------- Forwarded message ---------\r\nFrom: " + b"a" * 1_500 + b"\r\n"
           + b"Subject: " + b"@" * 600 + b"\r\n") * 3_000
        + (b"From: " + b"x@" * 600 + b"\r\n") * 3_000
    ),
    "closed-return-like clauses": (
        b"From: return@amazon.com\r\nSubject: " + b"return request " * 60 + b"\r\n\r\n"
        + (b"return request " * 40 + b"closedx requested cancel\r\n") * 3_000
    ),
    "reversal-like clauses": (
        b"From: donotreply@amazon.com\r\nSubject: refund issued " + b"revers" * 150 + b"\r\n\r\n"
        + (b"refund issued " + b"x " * 140 + b"reversa ") * 4_000
    ),
    "arabic refund-like words": (
        "From: donotreply@amazon.ae\r\nSubject: {}\r\n\r\n".format("تم " * 300).encode()
        + ("تم إصدار " * 30 + "يتم استرداد لم قد " * 10 + "\r\n").encode() * 1_500
    ),
    "script-mixed text": (
        b"From: a1b2c3@marketplace.amazon.com\r\nSubject: Hi\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + ("注文 تم abc カ " * 20_000).encode()
    ),
    # Chinese "已 … 退款" gaps that never close, Hindi verb forms without their noun
    "chinese and hindi refund-like words": (
        "From: donotreply@amazon.com\r\nSubject: {}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n".format("已" * 400).encode()
        + ("已" * 30 + "退" + "款已" * 10 + "की गई जारी कर दी " * 5 + "\r\n").encode() * 3_000
    ),
    # a table template's label/value rows by the thousand, and links by the thousand
    "label-value cells and links": (
        b"From: donotreply@amazon.com\r\nSubject: Notice\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<table>"
        + b"<tr><td>Refund reason</td><td>Item defective</td></tr>" * 10_000
        + b"</table>"
        + b'<a href="https://sellercentral.amazon.com/orders-v3/order/111-111">x</a>' * 10_000
    ),
    "postmaster mail that says nothing": (
        b"From: postmaster@seller.example\r\nSubject: Held messages\r\n\r\n"
        + b"From: donotreply@amazon.com\r\nSubject: held\r\n" * 20_000
    ),
}  # fmt: skip


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_shapes_are_read_in_linear_time(name: str) -> None:
    """The audit's input took 29 s before; a generous bound here only catches a regression
    to super-linear work (bench/intake_parse.py measures the real figures)."""
    started = time.perf_counter()
    _parse_or_refuse(HOSTILE[name])
    assert time.perf_counter() - started < 5.0
