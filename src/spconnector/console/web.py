"""What every console page shares: its configuration, the security headers, the packaged
static files and the sandboxed, autoescaping Jinja2 environment (buyer text is data)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from spconnector.console.audit import AuditLog
from spconnector.console.cognito import CognitoSignIn
from spconnector.console.directory import LocalDirectory
from spconnector.console.sessions import COOKIE, SIGN_IN_COOKIE, Session, SessionSigner

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

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
    # jinja2 is imported at the first page, not in the Lambda's init (cold start)
    from jinja2 import PackageLoader, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

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


def cookie_from(event: Any, name: str) -> str | None:
    """A cookie of the request: HTTP API v2 passes them apart, a plain header otherwise."""
    for raw in event.cookies or []:
        key, _, value = raw.strip().partition("=")
        if key == name:
            return str(value)
    header = (event.headers or {}).get("cookie", "")
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return str(value)
    return None


def static_file(name: str) -> Response[str]:
    """One of the packaged static files; the caller has checked `name` is in STATIC."""
    data = resources.files("spconnector.console").joinpath("static", name).read_text()
    kind = mimetypes.guess_type(name)[0] or "text/plain"
    headers = {**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"}
    return Response(200, f"{kind}; charset=utf-8", data, headers)


def signed_cookie(config: ConsoleConfig, token: str, max_age: int) -> Cookie:
    """The console's session cookie: HttpOnly, SameSite=Strict, Secure outside 127.0.0.1."""
    return Cookie(
        COOKIE,
        token,
        path="/",
        secure=config.secure_cookies,
        http_only=True,
        same_site=SameSite.STRICT_MODE,
        max_age=max(max_age, 60),
    )


def sign_in_attempt_cookie(config: ConsoleConfig, value: str, max_age: int) -> Cookie:
    # Lax, not Strict: Cognito's redirect back is a cross-site navigation, and a Strict
    # cookie would not come with it. Only the callback path ever sees it.
    return Cookie(
        SIGN_IN_COOKIE,
        value,
        path="/auth/callback",
        secure=config.secure_cookies,
        http_only=True,
        same_site=SameSite.LAX_MODE,
        max_age=max_age,
    )


def render_page(
    config: ConsoleConfig,
    name: str,
    session: Session | None,
    now: datetime,
    status: int = 200,
    /,
    **values: Any,
) -> Response[str]:
    """A template rendered for the person (their CSRF token in every form), with the
    security headers."""
    html = (
        templates()
        .get_template(name)
        .render(
            staff=session.staff if session else None,
            csrf=config.signer.csrf_token(session.session_id) if session else "",
            server_now=now.isoformat(),
            **values,
        )
    )
    return Response(status, "text/html; charset=utf-8", html, dict(SECURITY_HEADERS))
