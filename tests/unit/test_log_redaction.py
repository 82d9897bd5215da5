"""With the root logger at DEBUG, no Secrets Manager body, LWA token or relay address reaches a
log line: the SDK loggers are clamped and every record is redacted (spconnector.log_redaction),
as installed by every Lambda handler's shared module."""

from __future__ import annotations

import importlib
import io
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from spconnector.log_redaction import redact
from spconnector.observability import get_logger

LAMBDAS = Path(__file__).parents[2] / "lambdas"
# Made-up values in Amazon's formats, built here so that no secret scanner takes the source
# for a leaked credential.
REFRESH_TOKEN = "Atzr" + "|" + "IwEBIHx7refreshtokenvalue0123456789abcdef"
CLIENT_SECRET = "amzn1.oa2-cs.v1." + "0123456789abcdef" * 2
HMAC_KEY = "4f1c2e9ab7d3hmackeyvalue5566778899"
RELAY = "k2v9x7debug01@marketplace.amazon.de"


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.powertools = io.StringIO()

    def emit(self, record: logging.LogRecord) -> None:
        extras = {k: v for k, v in record.__dict__.items() if isinstance(v, str)}
        self.lines.append(record.getMessage() + " " + json.dumps(extras))


@pytest.fixture
def debug_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Keep]:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    root = logging.getLogger()
    keep = _Keep()
    saved_factory = logging.getLogRecordFactory()
    names = ("", "botocore", "urllib3", "boto3", "spconnector")
    saved_levels = {n: logging.getLogger(n).level for n in names}
    ours = logging.getLogger("spconnector")
    saved_ours = (list(ours.handlers), ours.propagate)
    root.addHandler(keep)
    sys.path.insert(0, str(LAMBDAS))
    try:
        sys.modules.pop("_shared", None)
        importlib.import_module("_shared")  # what every handler imports first
        root.setLevel(logging.DEBUG)  # the most talkative setting an operator could choose
        ours.setLevel(logging.DEBUG)
        # Our records go out through the Powertools JSON handler the shared module put on
        # "spconnector" (they do not propagate to the root): read what it writes.
        (powertools,) = ours.handlers
        assert isinstance(powertools, logging.StreamHandler)
        keep.powertools = io.StringIO()
        saved_stream = powertools.setStream(keep.powertools)
        yield keep
        powertools.setStream(saved_stream)
    finally:
        sys.path.remove(str(LAMBDAS))
        root.removeHandler(keep)
        logging.setLogRecordFactory(saved_factory)
        ours.handlers[:], ours.propagate = saved_ours  # as the Lambda setup found them
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)


def test_secrets_manager_bodies_and_relay_addresses_never_reach_the_logs(
    debug_logs: _Keep,
) -> None:
    secret = json.dumps(
        {"lwa_app_id": "amzn1.application-oa2-client.x", "lwa_client_secret": CLIENT_SECRET,
         "refresh_token": REFRESH_TOKEN, "hmac_key": HMAC_KEY}
    )  # fmt: skip
    with mock_aws():
        sm = boto3.client("secretsmanager", region_name="us-east-1")
        sm.create_secret(Name="tenant/demo/lwa", SecretString=secret)
        assert sm.get_secret_value(SecretId="tenant/demo/lwa")["SecretString"] == secret
    log = get_logger("spconnector.test_redaction")
    log.debug("reply to %s", RELAY)
    log.info("secret loaded: %s", secret)
    log.warning("mail from buyer", extra={"buyer": f"Jane <{RELAY}>", "body": secret})
    logging.getLogger("some.library").debug("Response body: %r", secret.encode())

    assert debug_logs.lines, "nothing was captured: the test would prove nothing"
    text = "\n".join(debug_logs.lines) + "\n" + debug_logs.powertools.getvalue()
    assert "mail from buyer" in text
    for leak in (REFRESH_TOKEN, CLIENT_SECRET, HMAC_KEY, RELAY, "IwEBIHx7"):
        assert leak not in text
    assert "<address>" in text and "<redacted>" in text
    assert not [line for line in debug_logs.lines if "botocore" in line.lower()]
    assert logging.getLogger("botocore").getEffectiveLevel() == logging.WARNING


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ('{"refresh_token": "Atzr|abc123456789"}', "abc123456789"),
        ("client_secret=amzn1.oa2-cs.v1.deadbeefcafe", "deadbeefcafe"),
        ("Authorization: Bearer eyJhbGciOiJ", "eyJhbGciOiJ"),
        ("password: hunter2", "hunter2"),
        ("key " + "AKIA" + "ABCDEFGHIJKLMNOP" + " used", "AKIA" + "ABCDEFGHIJKLMNOP"),
        ("from jane.doe@example.com", "jane.doe"),
    ],
)
def test_redaction_names_no_secret(text: str, gone: str) -> None:
    assert gone not in redact(text)
