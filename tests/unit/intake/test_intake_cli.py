from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from spconnector.cli import app

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
runner = CliRunner()


def test_parse_email_json_has_contract_keys() -> None:
    result = runner.invoke(
        app, ["intake", "parse-email", str(FIXTURES / "relay_plain.eml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("amazon_order_id", "buyer_address", "buyer_name", "marketplace", "subject", "kind",
                "intent", "language", "body", "attachments", "message_id", "in_reply_to",
                "received_at"):  # fmt: skip
        assert key in data
    assert data["kind"] == "buyer_message"


def test_parse_email_unreadable_file_exits_2_with_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.eml"
    junk.write_bytes(b"\x00\x01 not mail")
    result = runner.invoke(app, ["intake", "parse-email", str(junk), "--json"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {junk}:") and result.stderr.count("\n") == 1
    missing = runner.invoke(app, ["intake", "parse-email", str(tmp_path / "nope.eml")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_parse_returns_prints_rows_and_quarantine_lines() -> None:
    result = runner.invoke(
        app, ["intake", "parse-returns", str(FIXTURES / "returns_mfn.tsv"), "--json"]
    )
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3
    assert result.stderr.splitlines() == [
        "line 4: bad order id '12-3'",
        "line 5: bad quantity 'zwei'",
        "line 7: bad date '2026-13-45'",
    ]


def test_parse_returns_missing_column_and_bad_option(tmp_path: Path) -> None:
    report = tmp_path / "r.tsv"
    report.write_text("sku\tasin\nA\tB\n")
    result = runner.invoke(app, ["intake", "parse-returns", str(report)])
    assert result.exit_code == 2 and "missing required column" in result.stderr
    bad = runner.invoke(app, ["intake", "parse-returns", str(report), "--fulfillment", "XYZ"])
    assert bad.exit_code == 2 and "MFN or FBA" in bad.stderr
