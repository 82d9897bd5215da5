"""A real SMTP server (aiosmtpd) on 127.0.0.1 for tests: TLS with its own certificate, login
required, and hooks to answer MAIL/RCPT/DATA the way a test needs (refuse, defer, drop)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "support@shop.example", "app-password-123"


def self_signed(root: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (and localhost) and its key, as PEM files under root."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = root / "cert.pem", root / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Mailbox:
    """What the server saw: delivered messages, login attempts, and scripted answers."""

    delivered: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: int = 0
    # each call returns a reply to send instead of accepting ("451 ..."), or None to accept
    on_rcpt: Callable[[int], str | None] = lambda n: None
    on_data: Callable[[int], str | None] = lambda n: None
    drop_after_data: bool = False  # take the mail, then drop the connection before "250"
    rcpts: int = 0
    datas: int = 0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.rcpts += 1
        if (answer := self.on_rcpt(self.rcpts)) is not None:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.datas += 1
        if (answer := self.on_data(self.datas)) is not None:
            return answer
        self.delivered.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        if self.drop_after_data:
            server.transport.close()
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        self.logins += 1
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USER
            and auth_data.password.decode() == PASSWORD
        )
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server(
    root: Path, *, implicit_tls: bool = True, offer_starttls: bool = True
) -> Iterator[tuple[Mailbox, int, Path]]:
    """Yields (mailbox, port, the certificate to trust). Implicit TLS (as on 465), or
    plain with STARTTLS (as on 587; `offer_starttls=False`: a server that never offers it)."""
    cert, key = self_signed(root)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox()
    port = free_port()
    kwargs: dict[str, Any] = {
        "authenticator": mailbox.authenticate,
        # aiosmtpd counts only STARTTLS as TLS; on implicit TLS the whole session is TLS
        "auth_require_tls": offer_starttls and not implicit_tls,
    }
    if implicit_tls:
        controller = Controller(
            mailbox, hostname="127.0.0.1", port=port, ssl_context=context, server_kwargs=kwargs
        )
    else:
        if offer_starttls:
            kwargs |= {"tls_context": context, "require_starttls": True}
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, server_kwargs=kwargs)
    controller.start()
    try:
        yield mailbox, port, cert
    finally:
        controller.stop()
