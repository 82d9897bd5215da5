"""Console: the operator console behind the HTTP API (Cognito hosted-UI sign-in, then the
console's session cookie; a bearer ID token on /api)."""

from __future__ import annotations

from typing import Any

from spconnector.console.aws_app import console_app

from _shared import logger


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result: dict[str, Any] = console_app().resolve(event, context)
    return result
