"""The seeded world (scenario, relay mail, sample events) depends only on the seed.

Each generation runs in a fresh interpreter whose wall clock and host name are faked before
anything is imported (`datetime.now`/`today`, `time.time`, `socket.gethostname`/`getfqdn`),
on two dates a year apart and two host names; the bytes must be identical. A generator that
read the date, the host or the process would differ between the two.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

# Runs in the child: fake the clock and the host, then generate and print a digest per part.
_CHILD = r"""
import datetime as _dt, hashlib, json, pathlib, socket, sys, time

FAKE = _dt.datetime.fromisoformat(sys.argv[1])
HOST = sys.argv[2]
_real_time = time.time
_shift = FAKE.timestamp() - _real_time()  # the clock still ticks, from the fake date


class FakeDatetime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        moment = _dt.datetime.fromtimestamp(_real_time() + _shift, tz)
        return cls(*moment.timetuple()[:6], moment.microsecond, moment.tzinfo)

    @classmethod
    def utcnow(cls):
        return cls.now(_dt.UTC).replace(tzinfo=None)

    @classmethod
    def today(cls):
        return cls.now()


# (date itself stays real: isinstance(a_datetime, date) must hold for the libraries.)
_dt.datetime = FakeDatetime
time.time = lambda: _real_time() + _shift
time.time_ns = lambda: int((_real_time() + _shift) * 1e9)
socket.gethostname = lambda: HOST
socket.getfqdn = lambda name="": HOST

assert _dt.datetime.now(_dt.UTC).date() == FAKE.date()

from spconnector.local.samples import render_samples
from spconnector.local.template import Template
from spconnector.sim import build_simulator


def digest(data):
    return hashlib.sha256(data).hexdigest()


parts = {}
for market in ("US", "DE"):
    scenario = build_simulator(seed=7, marketplace=market).scenario
    parts[f"{market}/mail"] = digest(b"\0".join(scenario.emails))
    parts[f"{market}/orders"] = digest(repr(scenario.orders).encode())
    rows = (scenario.returns_mfn_rows, scenario.returns_fba_rows, scenario.feedback_rows)
    parts[f"{market}/reports"] = digest(repr(rows).encode())
template = Template.load(pathlib.Path(sys.argv[3]) / "template.yaml")
for name, text in render_samples(template).items():
    parts[f"events/{name}"] = digest(text.encode())
print(json.dumps(parts, sort_keys=True))
"""


def _start(fake_now: str, host: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPCONNECTOR_")}
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, fake_now, host, str(REPO)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def _parts(child: subprocess.Popen[str]) -> dict[str, str]:
    try:
        stdout, stderr = child.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise
    assert child.returncode == 0, stderr[-3000:]
    parts: dict[str, str] = json.loads(stdout.strip().splitlines()[-1])
    return parts


def test_seeded_world_is_the_same_on_two_dates_and_two_hosts() -> None:
    # The two generations are independent processes: they run side by side.
    children = [
        _start("2026-12-01T20:00:00+00:00", "builder-a"),
        _start("2027-06-15T03:17:00+00:00", "ci-runner-b.example"),
    ]
    try:
        first, second = (_parts(child) for child in children)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert set(first) == set(second)
    assert len(first) >= 6 + 6  # mail, orders, reports per market; one sample per function
    differing = sorted(k for k in first if first[k] != second[k])
    assert differing == [], f"these depend on the date or host: {differing}"
