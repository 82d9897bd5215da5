"""SmtpMailer against a real SMTP server on 127.0.0.1 (aiosmtpd): TLS, login, threading
headers, retries only while the server cannot hold the mail, never a second copy after it may."""

from __future__ import annotations

import email
import smtplib
import ssl
from email import policy
from pathlib import Path

import pytest

from spconnector.aws.mail import OutgoingMail
from spconnector.aws.smtp_mail import SmtpMailer, SmtpSettings, SmtpSettingsError
from tests.integration.mail.smtp_server import PASSWORD, USER, smtp_server

BUYER = "zq7x9k2m4p1abc@marketplace.amazon.com"
BUYER_MAIL_ID = "<0100018cabc@email.amazonses.com>"
MAIL = OutgoingMail(
    sender=f"Shop Support <{USER}>",
    to=BUYER,
    subject="Re: Anfrage von Amazon-Kunde (Bestellung: 302-1234567-1234567)",
    text="Hallo, es tut uns leid — wir erstatten Ihnen den Betrag sofort.\n.\nEnde",
    in_reply_to=BUYER_MAIL_ID,
    references=(BUYER_MAIL_ID,),
)


def _mailer(port: int, cert: Path, **kw: object) -> SmtpMailer:
    settings = SmtpSettings(
        host="127.0.0.1",
        username=USER,
        password=str(kw.pop("password", PASSWORD)),
        port=port,
        security=kw.pop("security", "ssl"),  # type: ignore[arg-type]
        cafile=str(kw.pop("cafile", cert)) or None,
        timeout=5,
    )
    return SmtpMailer(settings, backoff=0.01)


def test_implicit_tls_delivers_one_threaded_reply(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (box, port, cert):
        message_id = _mailer(port, cert).send(MAIL)
    assert box.logins == 1
    [(mail_from, rcpts, raw)] = box.delivered
    assert (mail_from, rcpts) == (USER, [BUYER])
    got = email.message_from_bytes(raw, policy=policy.default)
    assert got["Message-ID"] == message_id
    assert got["In-Reply-To"] == BUYER_MAIL_ID and got["References"] == BUYER_MAIL_ID
    assert got["Subject"] == MAIL.subject
    # the lone "." line survived SMTP's dot-stuffing
    assert got.get_content().replace("\r\n", "\n") == MAIL.text + "\n"


def test_starttls_delivers_and_a_server_without_it_gets_no_password(tmp_path: Path) -> None:
    with smtp_server(tmp_path, implicit_tls=False) as (box, port, cert):
        _mailer(port, cert, security="starttls").send(MAIL)
    assert len(box.delivered) == 1
    with (
        smtp_server(tmp_path, implicit_tls=False, offer_starttls=False) as (box, port, cert),
        pytest.raises(smtplib.SMTPNotSupportedError, match="STARTTLS"),
    ):
        _mailer(port, cert, security="starttls").send(MAIL)
    assert box.logins == 0 and box.delivered == []


def test_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (box, port, cert), pytest.raises(ssl.SSLCertVerificationError):
        _mailer(port, cert, cafile="").send(MAIL)
    assert box.logins == 0 and box.delivered == []


def test_a_wrong_password_is_not_retried(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (box, port, cert), pytest.raises(smtplib.SMTPAuthenticationError):
        _mailer(port, cert, password="wrong").send(MAIL)
    assert box.logins == 1 and box.delivered == []


def test_deferred_recipient_and_deferred_data_are_retried_to_one_copy(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (box, port, cert):
        box.on_rcpt = lambda n: "451 4.7.1 greylisted, try again" if n == 1 else None
        box.on_data = lambda n: "452 4.3.1 insufficient storage" if n == 1 else None
        _mailer(port, cert).send(MAIL)
    assert (box.rcpts, box.datas, len(box.delivered)) == (3, 2, 1)


def test_a_permanent_refusal_is_raised_at_once(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as (box, port, cert):
        box.on_rcpt = lambda n: "550 5.1.1 no such user"
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            _mailer(port, cert).send(MAIL)
    assert box.rcpts == 1 and box.delivered == []


def test_a_connection_lost_after_the_mail_was_taken_is_not_sent_again(tmp_path: Path) -> None:
    # the server holds the mail but the "250" never arrives: trying again would be a second
    # copy to the buyer, so the error goes up (the outbox's "sending" marker asks a person)
    with smtp_server(tmp_path) as (box, port, cert):
        box.drop_after_data = True
        with pytest.raises((smtplib.SMTPServerDisconnected, OSError)):
            _mailer(port, cert).send(MAIL)
    assert box.datas == 1 and len(box.delivered) == 1


def test_nothing_listening_is_retried_then_raised(tmp_path: Path) -> None:
    from tests.integration.mail.smtp_server import free_port

    with pytest.raises(OSError):
        _mailer(free_port(), tmp_path / "none.pem", cafile="").send(MAIL)


def test_settings_from_the_secret_say_what_is_wrong_and_never_show_the_password() -> None:
    with pytest.raises(SmtpSettingsError, match="password must be text"):
        SmtpSettings.from_secret({"host": "smtp.example", "username": USER})
    with pytest.raises(SmtpSettingsError, match="security must be"):
        SmtpSettings.from_secret(
            {"host": "h", "username": USER, "password": PASSWORD, "security": "none"}
        )
    starttls = SmtpSettings.from_secret(
        {"host": "h", "username": USER, "password": PASSWORD, "security": "starttls"}
    )
    assert starttls.port == 587 and PASSWORD not in repr(starttls)


def test_a_tenant_with_an_smtp_secret_replies_through_its_mailbox(tmp_path: Path) -> None:
    import json

    from spconnector.domain import Tenant
    from spconnector.memory import MemorySecrets, in_memory_services

    services = in_memory_services()
    base = {
        "tenant_id": "shop",
        "seller_id": "A1",
        "region": "eu",
        "marketplace_ids": ("A1PA6795UKMFR9",),
        "credentials_secret": "spconnector/shop/lwa",
    }
    assert services.mailer_for(Tenant(**base)) is services.mailer  # SES (here its fake)
    with smtp_server(tmp_path) as (box, port, cert):
        secret = {"host": "127.0.0.1", "port": port, "username": USER, "password": PASSWORD}
        services.use(
            secrets=MemorySecrets(
                {"spconnector/shop/smtp": json.dumps(secret | {"cafile": str(cert)})}
            )
        )
        tenant = Tenant(**base, smtp_mailbox="spconnector/shop/smtp")
        services.mailer_for(tenant).send(MAIL)
    assert len(box.delivered) == 1
