"""`spconnector sim serve` as a user runs it: a real process on a free port."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx


def test_serve_prints_url_and_credentials_and_serves() -> None:
    code = "from spconnector.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "sim", "serve", "--port", "0", "--seed", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("SP-API simulator listening on http://127.0.0.1:")
        lines = []
        while not (line := proc.stdout.readline()).startswith("}"):
            lines.append(line)
        info = json.loads("".join([*lines, "}"]))
        assert set(info["credentials"]) == {"lwa_app_id", "lwa_client_secret", "refresh_token"}
        deadline = time.monotonic() + 10
        while True:
            try:
                orders = httpx.get(info["base_url"] + "/_sim/orders").json()
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert len(orders) == 60
    finally:
        proc.terminate()
        proc.wait(timeout=10)
