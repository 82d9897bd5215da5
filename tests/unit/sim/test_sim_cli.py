from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spconnector.cli import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time-scale", "0"], "--time-scale must be positive"),
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--marketplace", "FR"], "--marketplace must be US or DE"),
    ],
)
def test_serve_refuses_bad_options(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["sim", "serve", *args])
    assert result.exit_code == 2
    assert f"error: {message}" in result.output
