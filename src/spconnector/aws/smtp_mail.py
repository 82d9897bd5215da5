"""SmtpMailer: replies through the seller's own mailbox (SMTP submission), not SES.

Agencies often run a seller's mail through the seller's own mailbox: IMAP intake reads it,
and this sends from it. Amazon's relay accepts replies only from the seller's registered
address, which that mailbox is. The MIME is the same as SES sends (`SesMailer.build`:
threading headers, CR/LF refused in addresses).

Guarantees:
- TLS always: implicit TLS (port 465, `security: "ssl"`) or STARTTLS (`security:
  "starttls"`, refused if the server does not offer it); the certificate is verified (a
  private CA can be given as `cafile`). Credentials come from the tenant's Secrets Manager
  secret (`tenant.smtp_mailbox`) and are never logged.
- At most once per call, like SES's SendEmail: a try is repeated (tenacity) only while the
  server cannot have accepted the mail — a failure to connect, log in, or a 4xx answer to
  MAIL FROM / RCPT TO / DATA's final dot (the server says it did not take it). Once the
  message's final dot is written, a dropped connection or timeout is not retried: the mail
  may have been accepted, so the error is raised and the outbox's "sending" marker sends
  the case to a person (`Outbox.claim`), never a second copy to the buyer.
- The return value is the message's own Message-ID (SMTP has no standard provider id).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tenacity import (
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from spconnector.aws.mail import OutgoingMail, SesMailer
from spconnector.mailbox_fields import FieldWrong, port_in, require_text

Security = Literal["ssl", "starttls"]


class SmtpSettingsError(ValueError):
    """The tenant's SMTP secret is missing a field or has a wrong one (says which)."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    username: str
    password: str  # from the tenant's secret; never logged
    port: int = 465
    security: Security = "ssl"
    cafile: str | None = None  # a private CA or self-signed server certificate to trust
    timeout: float = 20.0  # per socket operation; Act's Lambda has 60 s

    def __repr__(self) -> str:  # the password never reaches a log line or traceback
        return f"SmtpSettings(host={self.host!r}, port={self.port}, security={self.security!r})"

    @classmethod
    def from_secret(cls, data: Mapping[str, Any]) -> SmtpSettings:
        """The secret's JSON: host, username, password, optional port, security, cafile."""
        security = data.get("security", "ssl")
        if security not in ("ssl", "starttls"):
            # the value is not echoed: this message reaches a person's task
            raise SmtpSettingsError("SMTP secret: security must be 'ssl' or 'starttls'")
        try:
            require_text(data, ("host", "username", "password"), ("cafile",))
            port = port_in(data, 465 if security == "ssl" else 587)
        except FieldWrong as e:
            raise SmtpSettingsError(f"SMTP secret: {e}") from None
        return cls(
            host=str(data["host"]),
            username=str(data["username"]),
            password=str(data["password"]),
            port=port,
            security=security,
            cafile=data.get("cafile"),
        )


class _NotAccepted(Exception):
    """A failure after which the server cannot hold the mail: safe to try again."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _transient(exc: smtplib.SMTPException) -> bool:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= c < 500 for c in codes)
    return isinstance(code, int) and 400 <= code < 500


def _hang_up(smtp: smtplib.SMTP) -> None:
    """QUIT politely (a bare close leaves some servers waiting on the session)."""
    try:
        smtp.quit()
    except OSError:  # smtplib's errors are OSErrors too
        smtp.close()


class SmtpMailer:
    def __init__(self, settings: SmtpSettings, *, attempts: int = 3, backoff: float = 1.0):
        self._settings = settings
        self._attempts = attempts
        self._backoff = backoff

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        context = ssl.create_default_context(cafile=s.cafile)
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            self._secure_and_log_in(smtp, context)
        except BaseException:
            _hang_up(smtp)  # a session left open keeps the server (and a socket) waiting
            raise
        return smtp

    def _secure_and_log_in(self, smtp: smtplib.SMTP, context: ssl.SSLContext) -> None:
        s = self._settings
        if s.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("server does not offer STARTTLS")
            smtp.starttls(context=context)
        smtp.ehlo()
        # One mechanism, not smtplib.login's every-mechanism loop: a wrong password costs the
        # mailbox one failed login per send (providers lock accounts on repeated failures)
        offered = (smtp.esmtp_features.get("auth") or "").upper().split()
        mechanism = next((m for m in ("PLAIN", "LOGIN") if m in offered), None)
        if mechanism is None:
            raise smtplib.SMTPNotSupportedError("server offers neither AUTH PLAIN nor LOGIN")
        smtp.user, smtp.password = s.username, s.password
        authenticator = smtp.auth_plain if mechanism == "PLAIN" else smtp.auth_login
        # raises SMTPAuthenticationError unless the server says 235 (or 503: already in)
        smtp.auth(mechanism, authenticator, initial_response_ok=True)

    def _try_once(self, sender: str, to: str, raw: bytes) -> None:
        try:
            smtp = self._connect()
        except smtplib.SMTPAuthenticationError:
            raise  # a wrong password does not heal in a second
        except smtplib.SMTPNotSupportedError:
            raise
        except (OSError, smtplib.SMTPException) as exc:  # connect/TLS/greeting: nothing sent
            raise _NotAccepted(exc) from exc
        try:
            try:
                code, reply = smtp.mail(sender)
                if code != 250:
                    raise smtplib.SMTPSenderRefused(code, reply, sender)
                code, reply = smtp.rcpt(to)
                if code not in (250, 251):
                    raise smtplib.SMTPRecipientsRefused({to: (code, reply)})
            # SMTPException is an OSError: it is told apart first
            except smtplib.SMTPException as exc:
                if isinstance(exc, smtplib.SMTPServerDisconnected) or _transient(exc):
                    raise _NotAccepted(exc) from exc  # before DATA: the server holds nothing
                raise
            except OSError as exc:
                raise _NotAccepted(exc) from exc
            # Once the final dot is written the mail may be accepted: only an explicit 4xx
            # answer says it was not. smtplib raises for a refused DATA command but returns
            # the answer to the dot, so that one is checked here.
            try:
                code, reply = smtp.data(raw)
            except smtplib.SMTPDataError as exc:
                if _transient(exc):
                    raise _NotAccepted(exc) from exc
                raise
            if code != 250:
                refused = smtplib.SMTPDataError(code, reply)
                if _transient(refused):
                    raise _NotAccepted(refused) from refused
                raise refused
        finally:
            _hang_up(smtp)

    def send(self, mail: OutgoingMail) -> str:
        """Send; returns the mail's Message-ID."""
        message = SesMailer.build(mail)
        # SMTP wants CRLF line ends; smtplib does not fix bytes' bare LFs
        raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        message_id = str(message["Message-ID"])

        @retry(
            retry=retry_if_exception(lambda e: isinstance(e, _NotAccepted)),
            stop=stop_after_attempt(self._attempts),
            wait=wait_exponential(multiplier=self._backoff, max=10 * self._backoff),
            reraise=True,
        )
        def attempt() -> None:
            self._try_once(mail.sender, mail.to, raw)

        try:
            attempt()
        except _NotAccepted as exc:
            raise exc.cause from None
        return message_id
