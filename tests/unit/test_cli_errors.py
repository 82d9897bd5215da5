"""The CLI's one rule for a user's mistake — one line on stderr, exit status 2 — holds when
the mistake itself holds line breaks, controls or a string that is no tenant id (found by
tests/fuzz/test_fuzz_cli_aws.py: each was a second line or a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spconnector.cli.errors import one_line
from tests.fuzz.entry import run_main
from tests.fuzz.wiring import CliServices


def test_one_line_escapes_what_would_break_the_line() -> None:
    assert one_line("order a\nb\r\u2028c\udc80 é €") == "order a\\nb\\r\\u2028c\\udc80 é €"


@pytest.mark.parametrize(
    "args",
    [
        ["refunds", "settle", "acme", "113\n\r-1", "spc-0", "--paid", "--note", "n"],
        ["claims", "list", "ACME"],
        ["claims", "evidence", "€", "113-0000001-0000007"],
        ["refunds", "unsettled", "--tenant", "x\ny"],
        ["refunds", "mark-external", "acme", "113-0000001-0000007", "1e999999999", "USD",
         "--source", "sc"],
        ["cases", "deny", "ACME#order#1", "--reason", "r"],
        ["cases", "notices-read", "acme#order#113-0000001-0000007"],
        ["cases", "notices-read", "not a case id"],
    ],
)  # fmt: skip
def test_a_bad_argument_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    wired = CliServices()
    wired.install(monkeypatch)
    try:
        assert run_main(args) == "exit 2"  # run_main asserts the one "error: …" line
    finally:
        wired.stop()


def test_a_credentials_file_that_is_not_utf8_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Found by the tenants fuzz target: a lone surrogate written into the file (bytes ED B2 A4)
    raised UnicodeDecodeError, a traceback, where a policy file of the same bytes was refused."""
    path = tmp_path / "creds.json"
    path.write_bytes(b'{"lwa_app_id": "amzn1.application-oa2-client.x", "r": "\xed\xb2\xa4"}')
    wired = CliServices()
    wired.install(monkeypatch)
    try:
        args = ["tenants", "add", "newco", "--seller-id", "A1SELLER", "-m", "DE"]
        assert run_main([*args, "--credentials-file", str(path)]) == "exit 2"
    finally:
        wired.stop()
