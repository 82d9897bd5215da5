"""Policies and case files with numbers or dates no reader can take: a located one-line error
(exit status 2 on the CLI), never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spconnector.cli import app
from spconnector.policy import PolicyError, load_policy

ROOT = Path(__file__).parents[3]
DEFAULT = (ROOT / "policies" / "default.yaml").read_text()
CASE = ROOT / "tests" / "fixtures" / "policy" / "cases" / "low-value-defect.json"
runner = CliRunner()


def _with(old: str, new: str) -> str:
    assert old in DEFAULT
    return DEFAULT.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (_with("urgent: 2,", "urgent: 1e20,"), "sla_hours.urgent"),
        (_with("urgent: 2,", "urgent: 9000,"), "sla_hours.urgent"),
        (_with("unit_cost: 3.10", "unit_cost: 1e999999999"), "catalog.GP-01.unit_cost"),
        (_with("unit_cost: 3.10", "unit_cost: .inf"), "catalog.GP-01.unit_cost"),
        (_with("unit_cost: 3.10", f"unit_cost: {'9' * 5000}"), "line 59"),
        (_with("unit_cost: 3.10", "unit_cost: 2026-01-01"), "catalog.GP-01.unit_cost"),
        (_with("category: kitchen", "category: !!timestamp 2026-01-01"), "line 61"),
        (_with("category: kitchen", "category: !!timestamp 2026-13-45"), "line 61"),
        (_with("category: kitchen", "category: !!int 1e5"), "line 61"),
        (_with("category: kitchen", "category: !!float x"), "line 61"),
        (_with("category: kitchen", "category: !!int"), "line 61"),  # PyYAML's IndexError
    ],
)
def test_numbers_and_dates_out_of_bounds_are_located_errors(text: str, where: str) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(text)
    assert where in str(raised.value)


def test_an_unquoted_date_is_text_to_a_policy() -> None:
    policy = load_policy(_with("category: kitchen", "category: 2026-02-30"))
    assert policy.catalog["GP-01"].category == "2026-02-30"


@pytest.mark.parametrize(
    "text",
    [
        _with("urgent: 2,", "urgent: 1e20,"),
        _with("category: kitchen", "category: !!timestamp 2026-13-45"),
    ],
)
def test_policy_validate_says_one_line_and_exits_2(tmp_path: Path, text: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["policy", "validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("received_at", ["9999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"])
def test_a_message_from_year_9999_is_a_one_line_error(tmp_path: Path, received_at: str) -> None:
    case = json.loads(CASE.read_text())
    case["message"]["received_at"] = received_at
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    result = runner.invoke(
        app, ["policy", "decide", "--policy", str(ROOT / "policies" / "default.yaml"),
              "--case", str(path), "--json"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert re.match(r"error: .*outside 2000", result.stderr)
    assert result.stderr.count("\n") == 1
