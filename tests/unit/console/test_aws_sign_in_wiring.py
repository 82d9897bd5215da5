"""The Console Lambda reads its sign-in settings from the SSM parameter the template names,
and a browser without a session is sent to the hosted UI with PKCE (moto; no network)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import boto3
from moto import mock_aws

from spconnector.aws.clients import reset_clients
from spconnector.console import aws_app

SIGN_IN = {
    "domain": "https://spconnector-prod-123.auth.us-east-1.amazoncognito.com",
    "client_id": "browser-client",
    "issuer": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool",
    "redirect_uri": "https://abc.execute-api.us-east-1.amazonaws.com/auth/callback",
    "logout_uri": "https://abc.execute-api.us-east-1.amazonaws.com/login",
}


def _event(path: str) -> dict[str, object]:
    return {
        "version": "2.0",
        "routeKey": "GET /{proxy+}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "abc.execute-api.us-east-1.amazonaws.com"},
        "requestContext": {
            "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4"},
            "stage": "$default",
            "requestId": "r1",
        },
        "isBase64Encoded": False,
    }


def test_the_lambda_sends_a_browser_without_a_session_to_the_hosted_ui(monkeypatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("SPCONNECTOR_CONSOLE_KEY_SECRET", "spconnector/prod/console-session-key")
    monkeypatch.setenv("SPCONNECTOR_CONSOLE_SIGN_IN_PARAMETER", "/spconnector/prod/console-sign-in")
    with mock_aws():
        reset_clients()
        aws_app.console_app.cache_clear()
        boto3.client("secretsmanager").create_secret(
            Name="spconnector/prod/console-session-key", SecretString="k" * 64
        )
        boto3.client("ssm").put_parameter(
            Name="/spconnector/prod/console-sign-in", Type="String", Value=json.dumps(SIGN_IN)
        )
        try:
            app = aws_app.console_app()
            page = app.resolve(_event("/inbox"), None)
            assert page["statusCode"] == 303 and page["headers"]["Location"] == "/login"
            login = app.resolve(_event("/login"), None)
        finally:
            aws_app.console_app.cache_clear()
            reset_clients()
    assert login["statusCode"] == 303
    where = urlsplit(login["headers"]["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == SIGN_IN["domain"] + "/oauth2/authorize"
    q = parse_qs(where.query)
    assert q["client_id"] == ["browser-client"] and q["redirect_uri"] == [SIGN_IN["redirect_uri"]]
    assert q["code_challenge_method"] == ["S256"]
    (cookie,) = login["cookies"]
    assert cookie.startswith("spc_sign_in=") and "Secure" in cookie and "HttpOnly" in cookie
