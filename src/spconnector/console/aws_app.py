"""The console as the Console Lambda runs it: staff sign in through the Cognito hosted UI
(`cognito.py`; the pool's domain, app client and callback come from an SSM parameter, which
breaks the template's API ↔ app-client cycle), pages authenticate by the console's own signed
session cookie, the session/CSRF key comes from Secrets Manager, the audit log is the table.
A bearer ID token the HTTP API's JWT authorizer verified (`/api/...`) is accepted as well."""

from __future__ import annotations

import os
from functools import cache

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from spconnector.console.app import build_app
from spconnector.console.cognito import CognitoSettings, CognitoSignIn
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
    sign_in = client("ssm").get_parameter(Name=os.environ["SPCONNECTOR_CONSOLE_SIGN_IN_PARAMETER"])
    cognito = CognitoSignIn(CognitoSettings.from_json(sign_in["Parameter"]["Value"]))
    config = ConsoleConfig(
        signer=SessionSigner(str(secret["SecretString"]).encode(), clock=services.now),
        audit=DynamoAuditLog(table=services.settings.table),
        directory=None,
        secure_cookies=True,
        cognito=cognito,
    )
    return build_app(lambda: services, config)
