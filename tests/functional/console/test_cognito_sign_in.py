"""Cognito hosted-UI sign-in against a fake OIDC provider on 127.0.0.1 (no network).

The provider is real HTTP: a token endpoint that checks the PKCE verifier against the
challenge the authorize step was given, and a JWKS endpoint with an RSA key made with
`cryptography`. The console's side is the real app: /login, /auth/callback, /logout.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from spconnector.console.app import build_app
from spconnector.console.audit import MemoryAuditLog
from spconnector.console.cognito import CognitoSettings, CognitoSignIn
from spconnector.console.local_server import event_from_environ
from spconnector.console.sessions import COOKIE, SIGN_IN_COOKIE, SessionSigner
from spconnector.console.web import ConsoleConfig
from spconnector.jobs.services import Services, Settings

CLIENT_ID = "console-client-1"
KEY = b"s" * 32


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeCognito:
    """The hosted UI's authorize step (called by the test as a browser would be sent), the
    token endpoint and the pool's JWKS, on 127.0.0.1."""

    def __init__(self) -> None:
        self.key = _new_key()
        self.kid = "kid-1"
        self.codes: dict[str, dict[str, Any]] = {}
        self.jwks_fetches = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/pool/.well-known/jwks.json":
                    provider.jwks_fetches += 1
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._send(200, {"keys": [{**jwk, "kid": provider.kid, "use": "sig"}]})
                else:
                    self._send(404, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                grant = provider.codes.pop(form.get("code", ""), None)
                if (
                    self.path != "/oauth2/token"
                    or grant is None
                    or form.get("grant_type") != "authorization_code"
                    or form.get("client_id") != CLIENT_ID
                    or form.get("redirect_uri") != grant["redirect_uri"]
                    or _s256(form.get("code_verifier", "")) != grant["challenge"]
                ):
                    self._send(400, {"error": "invalid_grant"})
                    return
                self._send(200, {"id_token": grant["id_token"], "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.base + "/pool"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def settings(self) -> CognitoSettings:
        return CognitoSettings(
            domain=self.base,
            client_id=CLIENT_ID,
            issuer=self.issuer,
            redirect_uri="https://console.example/auth/callback",
            logout_uri="https://console.example/login",
            timeout_seconds=2,
        )

    def id_token(self, nonce: str, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": "0b7f-dana",
            "email": "dana@agency.example",
            "cognito:groups": ["agent:acme-us"],
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "token_use": "id",
            "iat": now,
            "exp": now + 3600,
            "nonce": nonce,
        }
        signing_key = overrides.pop("signing_key", self.key)
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, signing_key, algorithm="RS256", headers={"kid": self.kid})

    def authorize(self, url: str, **token_overrides: Any) -> dict[str, str]:
        """What the hosted UI does after the person signs in: a code for this request."""
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == self.base
        assert parts.path == "/oauth2/authorize"
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID
        assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) == 43
        assert "openid" in q["scope"].split()
        nonce = token_overrides.pop("nonce", q["nonce"])
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": q["code_challenge"],
            "redirect_uri": q["redirect_uri"],
            "id_token": self.id_token(nonce, **token_overrides),
        }
        return {"code": code, "state": q["state"]}


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def cognito() -> Iterator[FakeCognito]:
    provider = FakeCognito()
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def _config(provider: FakeCognito) -> ConsoleConfig:
    return ConsoleConfig(
        signer=SessionSigner(KEY),
        audit=MemoryAuditLog(),
        secure_cookies=True,
        cognito=CognitoSignIn(provider.settings()),
    )


def _request(
    app: Any,
    method: str,
    path: str,
    query: str = "",
    cookies: dict[str, str] | None = None,
    body: bytes = b"",
) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
        "HTTP_HOST": "console.example",
        "wsgi.input": io.BytesIO(body),
    }
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    result: dict[str, Any] = app.resolve(event_from_environ(environ), None)
    return result


def _set_cookies(result: dict[str, Any]) -> dict[str, str]:
    """name → the whole Set-Cookie line."""
    return {line.split("=", 1)[0]: line for line in result.get("cookies") or []}


def _value(line: str) -> str:
    return line.split(";", 1)[0].split("=", 1)[1]


def _sign_in(app: Any, provider: FakeCognito, **token_overrides: Any) -> dict[str, Any]:
    """/login → hosted UI → /auth/callback; the callback's response."""
    start = _request(app, "GET", "/login")
    assert start["statusCode"] == 303
    pending = _set_cookies(start)[SIGN_IN_COOKIE]
    back = provider.authorize(start["headers"]["Location"], **token_overrides)
    return _request(
        app, "GET", "/auth/callback", urlencode(back), cookies={SIGN_IN_COOKIE: _value(pending)}
    )


def _light_app(provider: FakeCognito) -> tuple[Any, ConsoleConfig]:
    config = _config(provider)
    services = Services(settings=Settings(), clock=lambda: datetime.now(UTC))
    return build_app(lambda: services, config), config


def test_round_trip_sets_the_console_session_and_logout_leaves_through_the_hosted_ui(
    cognito: FakeCognito,
) -> None:
    app, config = _light_app(cognito)
    start = _request(app, "GET", "/login")
    pending = _set_cookies(start)[SIGN_IN_COOKIE]
    assert "HttpOnly" in pending and "Secure" in pending and "SameSite=Lax" in pending
    assert "Path=/auth/callback" in pending

    done = _sign_in(app, cognito)
    assert done["statusCode"] == 200, done["body"]
    assert 'http-equiv="refresh"' in done["body"]
    cookies = _set_cookies(done)
    session_line = cookies[COOKIE]
    assert "HttpOnly" in session_line and "Secure" in session_line
    assert "SameSite=Strict" in session_line
    assert "Max-Age=0" in cookies[SIGN_IN_COOKIE]  # the attempt is used up
    session = config.signer.read(_value(session_line))
    assert session is not None
    assert session.staff.user == "dana@agency.example"
    assert session.staff.acts == {"acme-us"} and not session.staff.admin
    # the session ends no later than the ID token (an hour here), not after the 8-hour TTL
    assert (session.expires_at - datetime.now(UTC)).total_seconds() <= 3600

    # the cookie is who they are: another tenant's case answers 404, not "log in first"
    other = urlencode({"id": "bolt-us#order#1"})
    page = _request(app, "GET", "/case", other, cookies={COOKIE: _value(session_line)})
    assert page["statusCode"] == 404
    assert _request(app, "GET", "/case", other)["headers"]["Location"] == "/login"

    csrf = config.signer.csrf_token(session.session_id)
    out = _request(
        app,
        "POST",
        "/logout",
        cookies={COOKIE: _value(session_line)},
        body=f"csrf={csrf}".encode(),
    )
    assert out["statusCode"] == 303
    where = urlsplit(out["headers"]["Location"])
    assert where.path == "/logout" and f"{where.scheme}://{where.netloc}" == cognito.base
    assert parse_qs(where.query) == {
        "client_id": [CLIENT_ID],
        "logout_uri": ["https://console.example/login"],
    }
    assert "Max-Age=0" in _set_cookies(out)[COOKIE]


def test_the_pools_keys_are_fetched_once_and_cached(cognito: FakeCognito) -> None:
    app, _ = _light_app(cognito)
    before = cognito.jwks_fetches
    for _ in range(3):
        assert _sign_in(app, cognito)["statusCode"] == 200
    assert cognito.jwks_fetches - before == 1


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"signing_key": _new_key()}, "signature"),  # forged: same kid, another key
        ({"exp": int(time.time()) - 120, "iat": int(time.time()) - 3720}, "expired"),
        ({"aud": "someone-elses-client"}, "another app client"),
        ({"iss": "https://cognito-idp.us-east-1.amazonaws.com/other"}, "another user pool"),
        ({"nonce": "a-replayed-nonce"}, "nonce"),
        ({"token_use": "access"}, "not an ID token"),
        ({"exp": None}, "signature or claims"),  # a token without expiry is refused
    ],
    ids=["forged", "expired", "wrong-audience", "wrong-issuer", "wrong-nonce", "access", "no-exp"],
)
def test_a_bad_id_token_is_refused_and_sets_no_session(
    cognito: FakeCognito, overrides: dict[str, Any], reason: str
) -> None:
    app, _ = _light_app(cognito)
    result = _sign_in(app, cognito, **overrides)
    assert result["statusCode"] == 401
    assert reason in result["body"]
    assert COOKIE not in _set_cookies(result)


def test_state_mismatch_missing_attempt_and_wrong_verifier_are_refused(
    cognito: FakeCognito,
) -> None:
    app, config = _light_app(cognito)
    start = _request(app, "GET", "/login")
    pending = _value(_set_cookies(start)[SIGN_IN_COOKIE])
    back = cognito.authorize(start["headers"]["Location"])

    forged_state = {**back, "state": "attacker-state"}
    result = _request(
        app, "GET", "/auth/callback", urlencode(forged_state), cookies={SIGN_IN_COOKIE: pending}
    )
    assert result["statusCode"] == 401 and "state" in result["body"]
    assert COOKIE not in _set_cookies(result)

    # no sign-in cookie: a code injected into another browser's callback
    result = _request(app, "GET", "/auth/callback", urlencode(back))
    assert result["statusCode"] == 401 and "expired or was started" in result["body"]

    # the attempt's cookie with the state right but another PKCE verifier sealed in it
    tampered = config.signer.seal(
        "sign-in",
        {"state": back["state"], "nonce": "n", "verifier": "x" * 64},
        timedelta(minutes=5),
    )
    result = _request(
        app, "GET", "/auth/callback", urlencode(back), cookies={SIGN_IN_COOKIE: tampered}
    )
    assert result["statusCode"] == 401 and "refused the code" in result["body"]

    # Cognito's own error comes back as a refusal, never a session
    result = _request(app, "GET", "/auth/callback", "error=access_denied&state=x")
    assert result["statusCode"] == 401 and COOKIE not in _set_cookies(result)


def test_a_person_in_no_console_group_gets_no_session(cognito: FakeCognito) -> None:
    app, _ = _light_app(cognito)
    result = _sign_in(app, cognito, **{"cognito:groups": ["marketing"]})
    assert result["statusCode"] == 403
    assert COOKIE not in _set_cookies(result)


def test_groups_decide_the_tenants_on_every_page(cognito: FakeCognito, console: Any) -> None:
    """Signed in as agent:acme-us over the seeded console: acme-us cases only; another
    tenant's case, policy page and actions do not exist for them."""
    config = _config(cognito)
    app = build_app(lambda: console.env.services, config)
    with console.lock:
        done = _sign_in(app, cognito)
        assert done["statusCode"] == 200
        session_cookie = {COOKIE: _value(_set_cookies(done)[COOKIE])}
        inbox = json.loads(_request(app, "GET", "/api/inbox", cookies=session_cookie)["body"])
        assert inbox["cases"] and {c["tenant"] for c in inbox["cases"]} == {"acme-us"}
        services = console.env.services
        other = services.cases.list_cases("bolt-us")[0].case_id
        mine = services.cases.list_cases("acme-us")[0].case_id
        assert (
            _request(app, "GET", "/case", urlencode({"id": mine}), session_cookie)["statusCode"]
            == 200
        )
        assert (
            _request(app, "GET", "/case", urlencode({"id": other}), session_cookie)["statusCode"]
            == 404
        )
        assert (
            _request(app, "GET", "/policies", "tenant=bolt-us", session_cookie)["statusCode"] == 404
        )
        session = config.signer.read(session_cookie[COOKIE])
        assert session is not None
        csrf = config.signer.csrf_token(session.session_id)
        note = urlencode({"case_id": other, "text": "x", "csrf": csrf}).encode()
        result = _request(app, "POST", "/case/note", cookies=session_cookie, body=note)
        assert result["statusCode"] == 404
