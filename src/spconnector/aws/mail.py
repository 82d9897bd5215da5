"""SesMailer: replies to the buyer's relay alias as raw MIME through SES v2.

The reply goes from the tenant's approved sender (Messaging Permissions in Seller Central)
and threads onto the buyer's mail with In-Reply-To / References, so the relay attaches it to
the right conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from spconnector.aws import clients


def _angle(message_id: str) -> str:
    message_id = message_id.strip()
    return message_id if message_id.startswith("<") else f"<{message_id}>"


@dataclass(frozen=True)
class OutgoingMail:
    sender: str
    to: str
    subject: str
    text: str
    html: str | None = None
    in_reply_to: str | None = None  # the buyer mail's Message-ID
    references: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)


class SesMailer:
    def __init__(self, *, client: Any | None = None, configuration_set: str | None = None) -> None:
        self._client = client
        self._configuration_set = configuration_set

    @property
    def _ses(self) -> Any:
        if self._client is None:
            self._client = clients.client("sesv2")
        return self._client

    @staticmethod
    def build(mail: OutgoingMail) -> EmailMessage:
        for name, header in (("sender", mail.sender), ("recipient", mail.to)):
            if "\n" in header or "\r" in header:
                raise ValueError(f"{name} address contains a line break")
        message = EmailMessage()
        message["From"] = mail.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject  # EmailMessage folds/encodes and refuses CR/LF
        message["Date"] = formatdate(usegmt=True)
        domain = mail.sender.rpartition("@")[2].strip(">") or None
        message["Message-ID"] = make_msgid(domain=domain)
        if mail.in_reply_to:
            parent = _angle(mail.in_reply_to)
            message["In-Reply-To"] = parent
            chain = [_angle(r) for r in mail.references]
            if parent not in chain:
                chain.append(parent)
            message["References"] = " ".join(chain)
        for name, header in mail.headers.items():
            message[name] = header
        # quoted-printable keeps the MIME 7-bit clean for SES, whatever the language
        message.set_content(mail.text, cte="quoted-printable")
        if mail.html is not None:
            message.add_alternative(mail.html, subtype="html", cte="quoted-printable")
        return message

    def send(self, mail: OutgoingMail) -> str:
        """Send; returns the SES MessageId."""
        raw = self.build(mail).as_bytes()
        kwargs: dict[str, Any] = {
            "FromEmailAddress": mail.sender,
            "Destination": {"ToAddresses": [mail.to]},
            "Content": {"Raw": {"Data": raw}},
        }
        if self._configuration_set:
            kwargs["ConfigurationSetName"] = self._configuration_set
        response = self._ses.send_email(**kwargs)
        message_id: str = response["MessageId"]
        return message_id
