"""Secrets and addresses never reach a log line, whatever logs it and at whatever level.

Two layers, installed once per process by `harden_logging()` (every Lambda handler does, via
lambdas/_shared.py):

- AWS SDK and HTTP loggers (botocore, boto3, urllib3, s3transfer) are clamped to WARNING:
  their DEBUG lines carry whole request and response bodies — a Secrets Manager body holds the
  LWA refresh token, the client secret and the buyer-history HMAC key — and relay addresses.
  The clamp holds even when the root logger is set to DEBUG.
- Every log record is redacted as it is made (a log-record factory, so no handler can be
  missed): email addresses (relay aliases included) become "<address>"; values of secret-named
  fields (refresh_token, client_secret, SecretString, password, hmac/…key, authorization …),
  LWA tokens ("Atzr|…", "Atza|…"), LWA client secrets ("amzn1.oa2-cs.v1.…") and AWS access key
  ids become "<redacted>". String `extra` fields are redacted by RedactionFilter on the
  handlers present at install time.

Every pattern is linear (bounded repetitions): redaction runs on whatever a record carries.
"""

from __future__ import annotations

import logging
import re
from typing import Any

NOISY_LIBRARIES = ("botocore", "boto3", "urllib3", "s3transfer", "aiobotocore")
ADDRESS = "<address>"
REDACTED = "<redacted>"
MAX_LINE = 20_000  # a record's message beyond this is cut before redaction, not after

_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# Names of secret-bearing fields, not secrets.
_SECRET_NAME = "(?:" + "|".join(
    (
        "refresh_?token", "access_?token", "client_?secret", "lwa_client_secret",
        "secret_?string", "secret_?access_?key", "session_?token", "password", "passwd",
        "authorization", "x-amz-access-token", "hmac_?key", "hmac_?secret", "signing_?key",
        "api_?key", "private_?key", "secret",
    )
) + ")"  # fmt: skip
# "name": "value" / 'name': 'value' / name=value / name: value — escaped quotes included, as a
# JSON body inside a logged string has them ("SecretString": "{\"refresh_token\": \"…\"}").
_SECRET_FIELD = re.compile(
    rf"""(?P<name>["']?{_SECRET_NAME}\\?["']?)(?P<sep>\s{{0,3}}[:=]\s{{0,3}})"""
    r"""(?P<value>(?:Bearer\s{1,3})?(?:\\?"(?:[^"\\]|\\.){0,4096}?\\?"|'[^']{0,4096}'"""
    r"""|[^\s,;&}"']{1,4096}))""",
    re.IGNORECASE,
)
_TOKENS = re.compile(
    r"Atz[ar]\|[\w|=+/.-]{8,4096}|amzn1\.oa2-cs\.v1\.[\w-]{8,256}|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"
)


def redact(text: str) -> str:
    """`text` with addresses and secrets replaced (see the module docstring)."""
    if len(text) > MAX_LINE:
        text = text[:MAX_LINE] + "…"
    text = _TOKENS.sub(REDACTED, text)
    text = _SECRET_FIELD.sub(lambda m: f"{m.group('name')}{m.group('sep')}{REDACTED}", text)
    return _EMAIL.sub(ADDRESS, text)


def _redacted_message(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not lose the line
        message = str(record.msg)
    record.msg = redact(message)
    record.args = None


# Attributes every LogRecord has; anything else on a record came in through `extra`.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
}


class RedactionFilter(logging.Filter):
    """Redacts a record's message and its string `extra` fields (handler-level filter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redacted_message(record)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value))
        return True


def harden_logging(*loggers: logging.Logger) -> None:
    """Clamp the SDK loggers, redact every record made from now on, and put RedactionFilter on
    the handlers of the root logger and of `loggers`. Safe to call more than once."""
    for name in NOISY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    previous = logging.getLogRecordFactory()
    if not getattr(previous, "redacting", False):

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _redacted_message(record)
            return record

        factory.redacting = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
    for logger in (logging.getLogger(), *loggers):
        for handler in logger.handlers:
            if not any(isinstance(f, RedactionFilter) for f in handler.filters):
                handler.addFilter(RedactionFilter())
