"""Open the impact report in headless Chromium (Debian's `chromium`) and check the charts
were drawn: the page marks <body data-rendered> once per chart and records each canvas's
PNG size beside the size of a blank canvas of the same dimensions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from spconnector.impact.aggregate import summarize
from spconnector.impact.report import render_report
from spconnector.impact.synthetic import synthetic_records, synthetic_snapshots

CHROMIUM = os.environ.get("SPCONNECTOR_CHROMIUM", "/usr/bin/chromium")
CHART_IDS = ("chart-feedback", "chart-negative", "chart-refunds", "chart-response")


def _chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not found:
        if os.environ.get("CI"):
            pytest.fail(
                f"chromium not found at {CHROMIUM} (tests/setup/system-deps.sh installs it)"
            )
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


def dump_dom(page: Path, profile: Path) -> str:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def canvases(dom: str) -> dict[str, dict[str, str]]:
    out = {}
    for tag in re.findall(r"<canvas\b[^>]*>", dom):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        out[attrs["id"]] = attrs
    return out


@pytest.fixture(scope="module")
def doms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The DOM of a report with data and of one over an empty ledger, after drawing."""
    root = tmp_path_factory.mktemp("report")
    summaries = {
        "data": summarize(
            synthetic_records(2000), snapshots=synthetic_snapshots(days=120), baseline_rate=0.03
        ),
        "empty": summarize([]),
    }
    out = {}
    for name, summary in summaries.items():
        page = root / f"{name}.html"
        page.write_text(render_report(summary), encoding="utf-8")
        out[name] = dump_dom(page, root / f"profile-{name}")
    return out


def test_report_charts_are_drawn(doms: dict[str, str]) -> None:
    dom = doms["data"]
    assert re.search(r'<body[^>]*data-rendered="4"', dom), dom[:500]
    drawn, empty = canvases(dom), canvases(doms["empty"])
    assert set(drawn) == set(CHART_IDS)
    for chart_id, attrs in drawn.items():
        size = int(attrs["data-drawn-length"])
        # something was painted, and more than the bare axes of the empty report
        assert size > 2 * int(attrs["data-blank-length"]), chart_id
        assert size > int(empty[chart_id]["data-drawn-length"]), chart_id
    assert "No data yet" not in dom


def test_empty_report_still_draws_and_says_no_data_yet(doms: dict[str, str]) -> None:
    dom = doms["empty"]
    assert re.search(r'<body[^>]*data-rendered="4"', dom)
    assert set(canvases(dom)) == set(CHART_IDS)
    assert "No data yet" in dom
