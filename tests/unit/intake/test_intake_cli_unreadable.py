"""`intake parse-email` / `parse-returns` on text no terminal can print (a UTF-7 subject that
decodes to a lone surrogate): readable output or a one-line error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spconnector.cli import app

runner = CliRunner()

UTF7_MAIL = (
    'From: "Buyer" <k2v9x7u7@marketplace.amazon.com>\r\n'
    "To: seller@example.com\r\n"
    "Subject: =?utf-7?Q?{subject}?=\r\n"
    "Message-ID: <utf7-01@example.com>\r\n"
    "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
    "Content-Type: text/plain; charset=utf-7\r\n\r\n"
    "Hello {body} order 113-1234567-1234567\r\n"
)


@pytest.mark.parametrize("piece", ["+2D3-", "+3AA-", "+2D3cAA-", "+AGE"])
@pytest.mark.parametrize("as_json", [True, False])
def test_a_utf7_subject_or_body_never_raises(tmp_path: Path, piece: str, as_json: bool) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(UTF7_MAIL.format(subject=piece, body=piece).encode())
    result = runner.invoke(
        app, ["intake", "parse-email", str(path), *(["--json"] if as_json else [])]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2)
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    elif as_json:
        assert "subject" in json.loads(result.stdout)


def test_parse_returns_prints_a_lone_surrogate_readably(tmp_path: Path) -> None:
    path = tmp_path / "r.tsv"
    path.write_bytes(
        "order-id\treturn-date\tsku\n113-0000000-0000001\t2026-11-05\t\udc80x\n".encode(
            "utf-8", "surrogatepass"
        )
    )
    result = runner.invoke(app, ["intake", "parse-returns", str(path), "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["amazon_order_id"] == "113-0000000-0000001"
