"""What every console page shares: its configuration, the security headers, the packaged
static files and the sandboxed, autoescaping Jinja2 environment (buyer text is data)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from jinja2 import PackageLoader, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from spconnector.console.audit import AuditLog
from spconnector.console.cognito import CognitoSignIn
from spconnector.console.directory import LocalDirectory
from spconnector.console.sessions import SessionSigner

STATIC = frozenset({"htmx.min.js", "htmx.LICENSE", "console.css", "console.js"})
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class NotLoggedIn(PermissionError):
    pass


class CsrfRejected(PermissionError):
    pass


@dataclass
class ConsoleConfig:
    signer: SessionSigner
    audit: AuditLog
    directory: LocalDirectory | None = None  # the local login; None in AWS (Cognito)
    secure_cookies: bool = True  # off only for plain http on 127.0.0.1
    logout_url: str = "/login"
    cognito: CognitoSignIn | None = None  # AWS: sign in through the hosted UI (cognito.py)


@cache
def templates() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=PackageLoader("spconnector.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["left"] = _left
    env.filters["when"] = lambda d: d.strftime("%Y-%m-%d %H:%M UTC") if d else "-"
    env.filters["caseurl"] = lambda case_id: "/case?id=" + quote(case_id, safe="")
    return env


def _left(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    s = abs(int(seconds))
    hours, rest = divmod(s, 3600)
    return f"{sign}{hours}h {rest // 60:02d}m"
