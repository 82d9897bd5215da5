"""`spconnector policy …` through the real CLI (typer's runner): contracts and exit 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from spconnector.cli import app
from tests.unit.policy.cases import DEFAULT_POLICY, FIXTURES

runner = CliRunner()
CASES = FIXTURES / "cases"


def run(*args: str):
    return runner.invoke(app, ["policy", *args])


def test_validate_ok() -> None:
    result = run("validate", str(DEFAULT_POLICY))
    assert result.exit_code == 0, result.output
    assert "ok:" in result.output and "sha256:" in result.output


def test_validate_reports_location_and_exits_2() -> None:
    result = run("validate", str(FIXTURES / "invalid" / "typo.yaml"))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith("error: ")
    assert "typo.yaml: rules[1].when.item_valeu (line 8): Extra inputs" in line


def test_schema_is_json_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "spconnector policy"
    assert "rules" in schema["properties"]


def test_decide_json_contract() -> None:
    result = run(
        "decide",
        "--policy",
        str(DEFAULT_POLICY),
        "--case",
        str(CASES / "low-value-defect.json"),
        "--json",
    )
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    for key in (
        "action",
        "refund",
        "ask_for_photos",
        "reply_template",
        "priority",
        "respond_by",
        "needs_approval",
        "rules",
        "guards",
        "explanation",
        "policy_version",
    ):
        assert key in decision
    assert decision["action"] == "refund_without_return"
    assert decision["refund"] == {"amount": "12.99", "currency": "USD", "requires_return": False}
    assert decision["rules"] == ["low-value-problem"]
    assert decision["policy_version"].startswith("sha256:")


@pytest.mark.parametrize(
    ("case", "action", "template"),
    [
        ("pre-sale-question.json", "acknowledge", "acknowledge.product_question"),
        ("customized-wrong-size.json", "decline", "decline.custom_item"),
    ],
)
def test_decide_fixture_cases(case: str, action: str, template: str) -> None:
    result = run("decide", "--policy", str(DEFAULT_POLICY), "--case", str(CASES / case), "--json")
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert (decision["action"], decision["reply_template"]) == (action, template)


def test_decide_human_output_and_approve_mode() -> None:
    result = run(
        "decide",
        "--policy",
        str(DEFAULT_POLICY),
        "--case",
        str(CASES / "low-value-defect.json"),
        "--mode",
        "approve",
    )
    assert result.exit_code == 0
    assert "approval: needed" in result.stdout
    assert "why:" in result.stdout


def test_decide_budget_from_the_command_line() -> None:
    result = run(
        "decide",
        "--policy",
        str(DEFAULT_POLICY),
        "--json",
        "--mode",
        "live",
        "--case",
        str(CASES / "low-value-defect.json"),
        "--spent-today",
        "295 USD",
    )
    decision = json.loads(result.stdout)
    assert decision["needs_approval"] and decision["guards"] == ["daily_budget"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--case", str(CASES / "invalid-order-id.json")],
            "invalid-order-id.json: order.amazon_order_id: String should match pattern",
        ),
        (["--case", str(CASES / "missing.json")], "missing.json: no such file"),
        (["--case", str(FIXTURES / "invalid" / "typo.yaml")], "not valid JSON"),
        (["--case", str(CASES / "low-value-defect.json"), "--mode", "yolo"], "--mode"),
        (
            ["--case", str(CASES / "low-value-defect.json"), "--spent-today", "lots"],
            "--spent-today",
        ),
    ],
)
def test_decide_bad_case_exits_2_with_one_line(args: list[str], expected: str) -> None:
    result = run("decide", "--policy", str(DEFAULT_POLICY), *args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ")
    assert expected in result.stderr


def test_decide_bad_policy_exits_2() -> None:
    result = run(
        "decide",
        "--policy",
        str(FIXTURES / "invalid" / "typo.yaml"),
        "--case",
        str(CASES / "low-value-defect.json"),
    )
    assert result.exit_code == 2
    assert "rules[1].when.item_valeu" in result.stderr
