"""Fuzz: the commands that serve until Ctrl-C or train for minutes — `sim serve`, `console`,
`local up`, `local docker-proxy`, `model train` — at the level of what each checks before it
starts anything (`checked_serve`, `checked_console_host`, `checked_ports`, `checked_upstream`,
`checked_artifact_out`), each its own target: hostile ports (negative, past 65535, huge),
time scales (NaN, infinity, 0, -0.0, subnormal, 1e308), marketplaces, hosts, socket paths (a
file, a folder, missing, a name too long, junk code points, a real Unix socket) and artifact
paths (a path through a file, a folder, no .npz, junk, a name too long).

One input in MAIN_SHARE whose check fails goes through the console script's main() (argv
parsing, Click's own range checks, exit status); an input whose check passes is never run
through main(), which would start a server or a training run. Each input returns or exits 2
with one line (or Click's usage message); never a traceback, never over a second of CPU.

Left out: `demo` (one option, --json; the demo itself is run by tests/e2e) and `model
generate` (no options).
"""

from __future__ import annotations

import math
import random
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given

from spconnector.cli.console import checked_console_host
from spconnector.cli.local import checked_ports, checked_upstream
from spconnector.cli.model import checked_artifact_out
from spconnector.cli.sim import checked_serve
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import extra_argument, run_command, run_main
from tests.fuzz.grammar import junk, pick, value

INPUTS = 20_000
MAIN_SHARE = 0.05

serve_tally = Tally(INPUTS)
console_tally = Tally(INPUTS)
ports_tally = Tally(INPUTS)
upstream_tally = Tally(INPUTS)
artifact_tally = Tally(INPUTS)
PORTS = [0, 1, 80, 5000, 8900, 65535, 65536, -1, 2**31, 2**63, -(2**63), 10**30]
SCALES = [1.0, 50.0, 1e-6, 1e6, 1e6 + 1, 0.0, -0.0, -1.0, math.nan, math.inf, -math.inf,
          5e-324, 1e308]  # fmt: skip
HOSTS = ["127.0.0.1", "localhost", "::1", "127.255.255.254", "0.0.0.0", "8.8.8.8", "::",
         "::ffff:127.0.0.1", "[::1]", "LOCALHOST", "127.1", "example.com", "10.0.0.1"]  # fmt: skip


@pytest.fixture(scope="module")
def docker_like_socket(tmp: Path) -> Iterator[Path]:
    """A real listening Unix socket, so the check's "yes" path is drawn too."""
    path = tmp / "engine.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()
    try:
        yield path
    finally:
        server.close()


def _port(rnd: random.Random) -> int:
    return pick(rnd, PORTS) if rnd.random() < 0.6 else rnd.randrange(-70_000, 140_000)  # type: ignore[arg-type]


def _scale(rnd: random.Random) -> float:
    return pick(rnd, SCALES) if rnd.random() < 0.7 else 10 ** rnd.uniform(-300, 300)  # type: ignore[arg-type]


def _fails(check: Callable[..., object], *args: object) -> bool:
    return run_command(check, *args) != "exit 0"


def _argv_text(text: str) -> str:
    """argv is decoded text: no lone surrogates (entry.extra_argument). What main() is given
    is what was checked: an argument that passes would start a server or a training run."""
    return text.encode("utf-8", "replace").decode("utf-8")


@fuzz_settings(INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_sim_serve(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        port, scale, marketplace = _port(rnd), _scale(rnd), value(rnd, ["US", "DE", "us", "FR"])
        main = rnd.random() < MAIN_SHARE
        marketplace = _argv_text(marketplace) if main else marketplace
        if main and _fails(checked_serve, port, scale, marketplace):
            args = ["sim", "serve", "--port", str(port), "--time-scale", repr(scale),
                    "--marketplace", marketplace]  # fmt: skip
            serve_tally.run(run_main, extra_argument(rnd, args))
        else:
            serve_tally.run(run_command, checked_serve, port, scale, marketplace)


@fuzz_settings(INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_console(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        host = value(rnd, HOSTS)
        main = rnd.random() < MAIN_SHARE
        host = _argv_text(host) if main else host
        if main and _fails(checked_console_host, host):
            args = ["console", "--host", host, "--port", str(_port(rnd)),
                    "--mails", str(rnd.choice([0, 6, -1, 10**20]))]  # fmt: skip
            console_tally.run(run_main, extra_argument(rnd, args))
        else:
            console_tally.run(run_command, checked_console_host, host)


@fuzz_settings(INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_local_up(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        sim_port = _port(rnd)
        moto_port = sim_port if rnd.random() < 0.1 else _port(rnd)
        if rnd.random() < MAIN_SHARE and _fails(checked_ports, sim_port, moto_port):
            args = ["local", "up", "--sim-port", str(sim_port), "--moto-port", str(moto_port),
                    "--host", _argv_text(value(rnd, HOSTS))]  # fmt: skip
            ports_tally.run(run_main, extra_argument(rnd, args))
        else:
            ports_tally.run(run_command, checked_ports, sim_port, moto_port)


def _path_text(rnd: random.Random, tmp: Path, good: list[str], suffix: str) -> str:
    """A path under `tmp` (a check may create folders: never one in the working directory),
    ending in `suffix` more often than not, so junk reaches past a suffix check."""
    roll = rnd.random()
    if roll < 0.4:
        return pick(rnd, good)
    end = suffix if rnd.random() < 0.7 else ""
    if roll < 0.6:
        return str(tmp / value(rnd, ["x", "sub/z", "a-file/b"])) + end
    if roll < 0.7:
        return str(tmp / ("a" * rnd.choice([255, 256, 5000]))) + end
    if roll < 0.85:
        return str(tmp / junk(rnd, 12)) + end
    return str(tmp / junk(rnd, 12) / "m") + end


@fuzz_settings(INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_docker_proxy(tmp: Path, docker_like_socket: Path, seed: int) -> None:
    rnd = random.Random(seed)
    (tmp / "a-file").write_text("not a socket")
    good = [str(docker_like_socket), f"unix://{docker_like_socket}", str(tmp / "a-file"),
            str(tmp), str(tmp / "missing.sock"), str(tmp / "a-file" / "below"),
            "tcp://127.0.0.1:2375", "unix://", ""]  # fmt: skip
    for _ in range(BATCH):
        upstream = _path_text(rnd, tmp, good, ".sock")
        main = rnd.random() < MAIN_SHARE
        upstream = _argv_text(upstream) if main else upstream
        if main and _fails(checked_upstream, upstream):
            args = ["local", "docker-proxy", "--upstream", upstream]
            upstream_tally.run(run_main, extra_argument(rnd, args))
        else:
            upstream_tally.run(run_command, checked_upstream, upstream)


@fuzz_settings(INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_model_train_out(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    (tmp / "a-file").write_text("not a folder")
    good = [str(tmp / "model.npz"), str(tmp / "new" / "deeper" / "m.npz"), str(tmp),
            str(tmp / "a-file" / "m.npz"), str(tmp / "a-file"), str(tmp / "m.NPZ"),
            str(tmp / "m"), str(tmp / ".npz")]  # fmt: skip
    for _ in range(BATCH):
        text = _path_text(rnd, tmp, good, ".npz")
        main = rnd.random() < MAIN_SHARE
        out = Path(_argv_text(text) if main else text)
        # what main() is given is checked first: one that passes would train for minutes
        if main and _fails(checked_artifact_out, out):
            args = ["model", "train", "--out", str(out)]
            artifact_tally.run(run_main, extra_argument(rnd, args))
        else:
            artifact_tally.run(run_command, checked_artifact_out, out)


def test_fuzz_cli_servers_ran_their_inputs() -> None:
    for tally in (serve_tally, console_tally, ports_tally, upstream_tally, artifact_tally):
        tally.check()
        assert tally.outcomes.get("exit 0", 0) > 0, tally.outcomes
        assert tally.outcomes.get("exit 2", 0) > 0, tally.outcomes
