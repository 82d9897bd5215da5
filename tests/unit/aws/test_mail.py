"""SesMailer: raw MIME with threading headers, read back from moto's SES."""

from __future__ import annotations

import email
from email import policy

import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from spconnector.aws import clients
from spconnector.aws.mail import OutgoingMail, SesMailer
from tests.unit.aws.conftest import BUYER_ALIAS

pytestmark = pytest.mark.usefixtures("aws")
SENDER = "support@shop.example"
BUYER_MAIL_ID = "<0100018cabc@email.amazonses.com>"


def _sent() -> list[email.message.EmailMessage]:
    backend = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    return [
        email.message_from_string(m.raw_data, policy=policy.default) for m in backend.sent_messages
    ]


@pytest.fixture
def mailer() -> SesMailer:
    clients.client("sesv2").create_email_identity(EmailIdentity=SENDER)
    return SesMailer()


def test_reply_threads_onto_the_buyers_mail(mailer: SesMailer) -> None:
    message_id = mailer.send(
        OutgoingMail(
            sender=f"Shop Support <{SENDER}>",
            to=BUYER_ALIAS,
            subject="Re: Anfrage von Amazon-Kunde (Bestellung: 302-1234567-1234567)",
            text="Hallo, es tut uns leid — wir erstatten Ihnen den Betrag sofort.",
            html="<p>Hallo, es tut uns leid — wir erstatten Ihnen den Betrag sofort.</p>",
            in_reply_to=BUYER_MAIL_ID,
            references=("<older@email.amazonses.com>",),
        )
    )
    assert message_id
    (sent,) = _sent()
    assert sent["To"] == BUYER_ALIAS
    assert SENDER in sent["From"]
    assert sent["In-Reply-To"] == BUYER_MAIL_ID
    assert sent["References"] == f"<older@email.amazonses.com> {BUYER_MAIL_ID}"
    assert sent["Subject"].startswith("Re: Anfrage")
    plain = sent.get_body(preferencelist=("plain",))
    html = sent.get_body(preferencelist=("html",))
    assert plain is not None and "erstatten Ihnen" in plain.get_content()
    assert html is not None and "<p>Hallo" in html.get_content()
    assert sent.as_bytes().isascii()  # 7-bit clean on the wire


def test_message_ids_without_angle_brackets_are_normalised(mailer: SesMailer) -> None:
    mailer.send(
        OutgoingMail(sender=SENDER, to=BUYER_ALIAS, subject="Re: x", text="t", in_reply_to="a@b")
    )
    (sent,) = _sent()
    assert sent["In-Reply-To"] == "<a@b>" and sent["References"] == "<a@b>"


def test_header_injection_is_refused() -> None:
    with pytest.raises(ValueError):
        SesMailer.build(OutgoingMail(sender=SENDER, to="x@y\r\nBcc: evil@z", subject="s", text="t"))
    with pytest.raises(ValueError):
        SesMailer.build(OutgoingMail(sender=SENDER, to=BUYER_ALIAS, subject="a\nBcc: e", text="t"))


def test_unverified_sender_is_rejected_by_ses() -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        SesMailer().send(
            OutgoingMail(sender="nobody@else.example", to=BUYER_ALIAS, subject="s", text="t")
        )
