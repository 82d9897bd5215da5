"""`spconnector local invoke` / `local events` on the command line: JSON out, clear errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spconnector.cli.local import app
from tests.chaos.moto_speed import faster_moto

REPO = Path(__file__).resolve().parents[3]
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _faster_moto() -> Iterator[None]:
    # the seeded environments these commands build: moto sped up as for the chaos runs
    # (tests/chaos/moto_speed.py: the same results, sooner)
    with faster_moto():
        yield


def cli(*args: str):
    return runner.invoke(app, ["invoke", *args, "--template", str(REPO / "template.yaml")])


def test_invoke_prints_the_handlers_result_as_json() -> None:
    result = cli("scheduler", "--event", str(REPO / "events/scheduler.json"), "--no-seed-demo")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "job": "poll_returns",
        "enqueued": ["demo-us"],
        "skipped_paused": [],
    }


def test_invoke_json_reports_result_error_and_failed_records(tmp_path: Path) -> None:
    event = tmp_path / "e.json"
    event.write_text(json.dumps({"job": "no_such_job"}))
    result = cli("SchedulerFunction", "--event", str(event), "--json", "--no-seed-demo")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["function"] == "SchedulerFunction"
    assert out["result"] is None
    assert out["error"]["errorType"] == "UnknownJob"
    assert out["record_failures"] == []


@pytest.mark.parametrize(
    ("function", "event_text", "message"),
    [
        ("NoSuchFunction", "{}", "error: no function 'NoSuchFunction' in template.yaml; known:"),
        ("scheduler", "{not json", "line 1: not valid JSON"),
        ("scheduler", None, "error: cannot read event file"),
        ("scheduler", '{"job": "\udced"}', "it is not UTF-8"),  # a lone byte 0xED
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(
    tmp_path: Path, function: str, event_text: str | None, message: str
) -> None:
    event = tmp_path / "e.json"
    if event_text is not None:
        event.write_bytes(event_text.encode("utf-8", "surrogateescape"))
    result = cli(function, "--event", str(event))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.output


def test_missing_template_is_a_user_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["invoke", "act", "-e", "x.json", "--template", str(tmp_path / "t.yaml")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot read")


def test_events_check_detects_a_stale_file(tmp_path: Path) -> None:
    out = tmp_path / "events"
    out.mkdir()
    for path in (REPO / "events").glob("*.json"):
        (out / path.name).write_text(path.read_text())
    (out / "scheduler.json").write_text('{"job": "report"}\n')
    args = ["events", "--out", str(out), "--template", str(REPO / "template.yaml")]
    stale = runner.invoke(app, [*args, "--check"])
    assert stale.exit_code == 1
    assert "scheduler.json" in stale.stderr
    written = runner.invoke(app, args)
    assert written.exit_code == 0
    assert json.loads((out / "scheduler.json").read_text()) == {"job": "poll_returns"}
