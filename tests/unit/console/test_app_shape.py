"""The local server's events are HTTP API v2.0 events; templates escape; AWS cookies are
Secure; JWT claims are checked against the tenant like a local session."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventV2Model
from jinja2.sandbox import SandboxedEnvironment

from spconnector.console.app import build_app
from spconnector.console.audit import MemoryAuditLog
from spconnector.console.directory import LocalDirectory
from spconnector.console.local_server import event_from_environ
from spconnector.console.sessions import SessionSigner
from spconnector.console.web import ConsoleConfig, templates
from spconnector.jobs.services import Services, Settings

NOW = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)


def _environ(method: str, path: str, query: str = "", body: bytes = b"", cookie: str = ""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
        "HTTP_HOST": "127.0.0.1:8470",
        "HTTP_USER_AGENT": "test",
        "wsgi.input": io.BytesIO(body),
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def test_events_validate_against_powertools_v2_model() -> None:
    event = event_from_environ(
        _environ("POST", "/case/note", "id=a%23b&x=1&x=2", b"csrf=t&text=hi", "a=1; b=2")
    )
    model = APIGatewayProxyEventV2Model.model_validate(event)
    assert model.requestContext.http.method == "POST"
    assert model.rawPath == "/case/note" and model.cookies == ["a=1", "b=2"]
    assert model.queryStringParameters == {"id": "a#b", "x": "1,2"}
    assert model.isBase64Encoded and model.body
    plain = APIGatewayProxyEventV2Model.model_validate(event_from_environ(_environ("GET", "/")))
    assert plain.body is None and plain.cookies is None


def test_every_template_autoescapes_in_a_sandbox() -> None:
    env = templates()
    assert isinstance(env, SandboxedEnvironment)
    for name in env.list_templates():
        assert env.autoescape(name) if callable(env.autoescape) else env.autoescape, name
    html = env.get_template("error.html.j2").render(reason="<script>x()</script>", staff=None)
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html


def _app(*, secure: bool = True, directory: LocalDirectory | None = None):
    services = Services(settings=Settings(), clock=lambda: NOW)
    config = ConsoleConfig(
        signer=SessionSigner(b"k" * 32, clock=lambda: NOW),
        audit=MemoryAuditLog(),
        directory=directory,
        secure_cookies=secure,
    )
    return build_app(lambda: services, config)


def test_aws_session_cookie_is_secure_httponly_strict() -> None:
    directory = LocalDirectory()
    directory.add("a@x.example", "correct horse", ("agent:acme-us",))
    app = _app(directory=directory)
    event = event_from_environ(
        _environ("POST", "/login", body=b"user=a%40x.example&password=correct+horse")
    )
    result = app.resolve(event, None)
    assert result["statusCode"] == 303
    (cookie,) = result["cookies"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert result["headers"]["X-Frame-Options"] == "DENY"


def test_jwt_claims_are_checked_against_the_tenant_again() -> None:
    app = _app()
    event = event_from_environ(
        _environ("POST", "/case/note", body=b"case_id=demo-us%23order%231&text=x&csrf=x")
    )
    claims = {"sub": "s1", "iat": "1", "exp": str(int(NOW.timestamp()) + 600)}
    event["requestContext"]["authorizer"] = {
        "jwt": {
            "claims": {**claims, "email": "a@x.example", "cognito:groups": "[agent:acme-us]"},
            "scopes": None,
        }
    }
    # the CSRF token of a JWT session is bound to the token's subject and issue time
    token = SessionSigner(b"k" * 32).csrf_token("s1:1")
    event["body"] = f"case_id=demo-us%23order%231&text=x&csrf={token}"
    event["isBase64Encoded"] = False
    assert app.resolve(event, None)["statusCode"] == 404  # not their tenant: does not exist
    nobody = dict(event)
    nobody["requestContext"] = {
        **event["requestContext"],
        "authorizer": {"jwt": {"claims": {**claims, "email": "n@x.example"}, "scopes": None}},
    }
    assert app.resolve(nobody, None)["statusCode"] == 403
