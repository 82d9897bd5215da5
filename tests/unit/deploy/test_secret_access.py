"""Secrets, per function: the tenant's SP-API credentials go to the functions that call SP-API,
its SMTP mailbox to those that reply, its IMAP mailbox to the poll alone, and the console's
session key to the Console alone — whoever holds that key can sign a console session for any
person, agency admins included (spconnector.console.sessions)."""

from __future__ import annotations

import pytest

from tests.unit.deploy.test_stack_permissions import ACCOUNT, REGION, SAM, STAGE, allowed

READ = "secretsmanager:GetSecretValue"
FUNCTIONS = sorted(
    name for name, r in SAM["Resources"].items() if r["Type"] == "AWS::Serverless::Function"
)


def _secret(name: str) -> str:
    # Secrets Manager appends "-" and six random characters to a secret's name in its ARN
    return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf"


READERS = {
    _secret("spconnector/acme/sp-api"): {
        "ProcessCaseFunction",
        "ActFunction",
        "ConsoleFunction",
        "TenantWorkerFunction",
    },
    _secret("spconnector/acme/smtp"): {"ActFunction", "ConsoleFunction", "TenantWorkerFunction"},
    _secret("spconnector/acme/imap"): {"PollMailboxFunction"},
    _secret(f"spconnector/{STAGE}/console-session-key"): {"ConsoleFunction"},
}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_function_reads_only_the_secrets_its_code_needs(function: str) -> None:
    for secret, readers in READERS.items():
        assert allowed(function, READ, secret) == (function in readers), secret


def test_the_console_reads_its_session_key_by_the_name_the_stack_gives_it() -> None:
    key = SAM["Resources"]["ConsoleSessionKey"]["Properties"]["Name"]
    assert key == {"Fn::Sub": "spconnector/${Stage}/console-session-key"}
    variables = SAM["Resources"]["ConsoleFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["SPCONNECTOR_CONSOLE_KEY_SECRET"] == {"Ref": "ConsoleSessionKey"}
