"""`spconnector reply render`: prints the reply and its findings; exit 0 clean, 1 lint errors,
2 unreadable input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spconnector.cli import app
from tests.unit.replies.support import ORDER_ID, decision_for

runner = CliRunner()

CASE = {
    "tenant": "smile-kitchen",
    "now": "2026-11-20T10:00:00Z",
    "order": {
        "amazon_order_id": ORDER_ID,
        "marketplace_id": "A1PA6795UKMFR9",
        "purchase_date": "2026-11-01T10:00:00Z",
        "fulfillment_channel": "MFN",
        "items": [
            {
                "sku": "GP-1",
                "title": "Knoblauchpresse aus Edelstahl",
                "quantity": 1,
                "unit_price": {"amount": "24.99", "currency": "EUR"},
            }
        ],
    },
    "message": {
        "subject": "Kaputt",
        "body": "Die Presse ist gebrochen. {{ 7*7 }} Schreiben Sie an a@b.de",
        "received_at": "2026-11-20T09:00:00Z",
        "buyer_name": "Jana Müller",
    },
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE), encoding="utf-8")
    decision = tmp_path / "decision.json"
    decision.write_text(
        decision_for("refund_without_return.defect_photo").model_dump_json(), encoding="utf-8"
    )
    return case, decision


def test_render_prints_the_reply_and_exits_0_when_clean(files: tuple[Path, Path]) -> None:
    case, decision = files
    result = runner.invoke(
        app,
        [
            "reply",
            "render",
            "--case",
            str(case),
            "--decision",
            str(decision),
            "--signature",
            "Anna",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Subject: Ihre Erstattung zu Bestellung 302-1234567-7654321" in result.output
    assert "Hallo Jana Müller," in result.output
    assert "24,99 €" in result.output
    assert "Findings: none" in result.output
    assert "a@b.de" not in result.output


def test_render_json(files: tuple[Path, Path]) -> None:
    case, decision = files
    result = runner.invoke(
        app,
        [
            "reply", "render", "--case", str(case), "--decision", str(decision),
            "--json", "--language", "fr", "--channel", "messaging",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["language"] == "fr"
    assert payload["template"] == "refund_without_return.defect_photo"
    assert payload["ok"] is True
    assert payload["findings"] == []
    assert "24,99 €" in payload["body"]


def test_render_exits_1_when_the_lint_finds_errors(files: tuple[Path, Path]) -> None:
    case, _ = files
    decision = case.parent / "educate.json"
    decision.write_text(decision_for("educate").model_dump_json(), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "reply", "render", "--case", str(case), "--decision", str(decision),
            "--care-note", "Mehr Tipps unter www.meinshop.de/tipps",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "error: compliance.link" in result.output


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing_case", "case file"),
        ("bad_json", "not valid JSON"),
        ("bad_decision", "decision file"),
        ("bad_language", "--language"),
        ("no_order", "cannot render"),
    ],
)
def test_render_exits_2_with_one_line_on_bad_input(
    files: tuple[Path, Path], setup: str, message: str
) -> None:
    case, decision = files
    args = ["reply", "render", "--case", str(case), "--decision", str(decision)]
    if setup == "missing_case":
        args[3] = str(case.parent / "nope.json")
    elif setup == "bad_json":
        case.write_text("{not json", encoding="utf-8")
    elif setup == "bad_decision":
        decision.write_text(json.dumps({"action": "launch_rockets"}), encoding="utf-8")
    elif setup == "bad_language":
        args += ["--language", "pt"]
    elif setup == "no_order":
        case.write_text(json.dumps({**CASE, "order": {"items": []}}), encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_render_takes_care_notes_from_the_policy_catalog(files: tuple[Path, Path]) -> None:
    from spconnector.policy import load_policy

    policy_file = Path(__file__).resolve().parents[3] / "policies" / "default.yaml"
    catalog = load_policy(policy_file).catalog
    sku, entry = next((k, v) for k, v in catalog.items() if v.care_notes)
    case, _ = files
    data = json.loads(case.read_text(encoding="utf-8"))
    data["order"]["items"][0]["sku"] = sku
    case.write_text(json.dumps(data), encoding="utf-8")
    decision = case.parent / "care.json"
    decision.write_text(decision_for("educate.care").model_dump_json(), encoding="utf-8")

    result = runner.invoke(
        app,
        [
            "reply", "render", "--case", str(case), "--decision", str(decision),
            "--policy", str(policy_file), "--language", "en",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    first_tip = entry.care_notes.split(";")[0].strip() if entry.care_notes else ""
    assert first_tip[1:] in result.output
