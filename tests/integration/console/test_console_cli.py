"""`spconnector console`: serves on loopback only, prints its URL and the seeded logins."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from spconnector.cli import app

SPCONNECTOR = Path(sys.executable).with_name("spconnector")


def test_a_non_loopback_host_is_a_one_line_user_error() -> None:
    result = CliRunner().invoke(app, ["console", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "loopback" in result.stderr


def test_a_port_in_use_is_refused_before_the_world_is_seeded() -> None:
    """It was found only after about a minute of seeding."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = CliRunner().invoke(app, ["console", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert "seeding" not in result.output and time.monotonic() - started < 20


def test_console_prints_its_url_and_logins_that_work(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [str(SPCONNECTOR), "console", "--port", "0", "--mails", "6"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=tmp_path,  # it writes out/console-metrics.jsonl where it runs
    )
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 240
        assert proc.stdout is not None
        while time.monotonic() < deadline and not any("Ctrl-C" in x for x in lines):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
        url = next(x for x in lines if x.startswith("console: ")).split(" ", 1)[1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/login")
        agent = next(x for x in lines if "agent@agency.example" in x).split()
        form = urllib.parse.urlencode({"user": agent[0], "password": agent[1]}).encode()
        # the login's 303 goes to the overview with the session cookie
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(url, data=form, timeout=60) as answer:
            page = answer.read().decode()
        assert "agent@agency.example · agent" in page and 'data-tenant="acme-us"' in page
        # stdout carries the URL and the logins; Powertools' EMF lines (6 mails a tenant
        # publish some while seeding) went to the file
        assert not any(x.startswith('{"_aws"') for x in lines), lines
        assert f"metrics: {Path('out') / 'console-metrics.jsonl'}" in lines
        metrics = (tmp_path / "out" / "console-metrics.jsonl").read_text().splitlines()
        assert metrics and all(x.startswith('{"_aws"') for x in metrics)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
