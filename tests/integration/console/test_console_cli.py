"""`spconnector console`: serves on loopback only, prints its URL and the seeded logins."""

from __future__ import annotations

import os
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


def test_console_prints_its_url_and_logins_that_work() -> None:
    proc = subprocess.Popen(
        [str(SPCONNECTOR), "console", "--port", "0", "--mails", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
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
    finally:
        proc.terminate()
        proc.wait(timeout=30)
