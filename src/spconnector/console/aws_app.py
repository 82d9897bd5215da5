"""The console as the Console Lambda runs it: identity from the Cognito JWT claims the HTTP
API's authorizer verified, the session/CSRF key from Secrets Manager, the audit log in the
table."""

from __future__ import annotations

import os
from functools import cache

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from spconnector.console.app import build_app
from spconnector.console.sessions import SessionSigner
from spconnector.console.web import ConsoleConfig
from spconnector.jobs.services import Services


@cache
def console_app() -> APIGatewayHttpResolver:
    from spconnector.aws.audit import DynamoAuditLog
    from spconnector.aws.clients import client

    services = Services.from_env()
    secret = client("secretsmanager").get_secret_value(
        SecretId=os.environ["SPCONNECTOR_CONSOLE_KEY_SECRET"]
    )
    config = ConsoleConfig(
        signer=SessionSigner(str(secret["SecretString"]).encode(), clock=services.now),
        audit=DynamoAuditLog(table=services.settings.table),
        directory=None,
        secure_cookies=True,
        logout_url=os.environ.get("SPCONNECTOR_CONSOLE_LOGOUT_URL", "/login"),
    )
    return build_app(lambda: services, config)
