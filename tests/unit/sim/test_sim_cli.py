from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spconnector.cli import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time-scale", "0"], "--time-scale must be above 0 and at most 1e+06, got 0.0"),
        (["--time-scale", "nan"], "--time-scale must be above 0 and at most 1e+06, got nan"),
        (["--time-scale", "inf"], "--time-scale must be above 0"),
        (["--time-scale", "1e308"], "--time-scale must be above 0"),
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--marketplace", "FR"], "--marketplace must be US or DE"),
    ],
)
def test_serve_refuses_bad_options(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["sim", "serve", *args])
    assert result.exit_code == 2
    assert f"error: {message}" in result.output


@pytest.mark.parametrize("scale", [float("nan"), float("inf"), 0.0, -1.0, 1e7])
def test_the_clock_refuses_a_scale_that_is_no_faster_world(scale: float) -> None:
    from spconnector.sim.clock import SimClock

    with pytest.raises(ValueError, match="time_scale must be above 0"):
        SimClock(scale)
