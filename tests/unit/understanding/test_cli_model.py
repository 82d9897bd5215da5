from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from spconnector.cli import app

runner = CliRunner()


def test_model_info_names_the_shipped_version() -> None:
    result = runner.invoke(app, ["model", "info"])
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info["version"].startswith("understanding-1.") and info["bytes"] > 0


def test_model_understand_prints_the_understanding() -> None:
    result = runner.invoke(app, ["model", "understand", "Mein Paket ist nie angekommen."])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["intent"] == "not_received" and out["language"] == "de"


def test_model_info_on_a_missing_or_bad_artifact_is_one_line_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["model", "info", "--artifact", str(tmp_path / "nope.npz")])
    assert missing.exit_code == 2 and "no such artifact" in missing.output
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    broken = runner.invoke(app, ["model", "info", "--artifact", str(bad)])
    assert broken.exit_code == 2 and "not a readable artifact" in broken.output
    assert "Traceback" not in broken.output
