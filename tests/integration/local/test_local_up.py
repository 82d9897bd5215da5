"""`spconnector local up` + env.json, the way `sam local invoke` uses them: the handler runs in
a separate process whose environment is env.json's (hosts pointed at this machine instead of
host.docker.internal), talking to the simulator and the moto server over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]

# Runs one handler like the Lambda runtime: a fresh interpreter, lambdas/ on the path.
RUNTIME = """
import json, sys
sys.path.insert(0, sys.argv[1])
from spconnector.local.invoke import LocalContext
module = __import__(sys.argv[2])
event = json.loads(open(sys.argv[3]).read())
result = module.handler(event, LocalContext(sys.argv[2], 512, 60))
open(sys.argv[4], "w").write(json.dumps(result))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def local_up() -> Iterator[tuple[int, int]]:
    sim_port, moto_port = _free_port(), _free_port()
    code = (
        "from spconnector.cli.local import app; "
        f"app(['up', '--sim-port', '{sim_port}', '--moto-port', '{moto_port}'])"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Ready."):
                break
        else:
            pytest.fail(f"local up exited with {proc.wait()}")
        yield sim_port, moto_port
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_like_sam(function: str, module: str, ports: tuple[int, int], tmp: Path) -> Any:
    sim_port, moto_port = ports
    overrides = json.loads((REPO / "env.json").read_text())[function]
    env = {
        key: value.replace("host.docker.internal:8900", f"127.0.0.1:{sim_port}").replace(
            "host.docker.internal:5000", f"127.0.0.1:{moto_port}"
        )
        for key, value in overrides.items()
    }
    env |= {
        "PATH": os.environ["PATH"],
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "POWERTOOLS_SERVICE_NAME": "spconnector",
        "POWERTOOLS_METRICS_NAMESPACE": "spconnector",
    }
    out = tmp / f"{module}.out.json"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            RUNTIME,
            str(REPO / "lambdas"),
            module,
            str(REPO / "events" / f"{module}.json"),
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text())


def test_scheduler_against_local_up(local_up: tuple[int, int], tmp_path: Path) -> None:
    result = run_like_sam("SchedulerFunction", "scheduler", local_up, tmp_path)
    assert result["enqueued"] == ["demo-us"]


def test_ingest_then_process_against_local_up(
    local_up: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingested = run_like_sam("IngestEmailFunction", "ingest_email", local_up, tmp_path)
    assert [o["status"] for o in ingested["outcomes"]] == ["ingested"]
    # ProcessCase reaches the simulator through SPCONNECTOR_SP_API_ENDPOINT / LWA token URL
    decided = run_like_sam("ProcessCaseFunction", "process_case", local_up, tmp_path)
    assert decided == {"batchItemFailures": []}

    from spconnector.aws.cases import CaseStore
    from spconnector.aws.clients import reset_clients

    monkeypatch.setenv("SPCONNECTOR_AWS_ENDPOINT", f"http://127.0.0.1:{local_up[1]}")
    reset_clients()
    try:
        event = json.loads((REPO / "events" / "process_case.json").read_text())
        body = json.loads(event["Records"][0]["body"])
        decisions = CaseStore(table="spconnector").decisions(body["tenant"], body["case_id"])
        assert len(decisions) == 1  # decided by the handler, in its own process
    finally:
        reset_clients()
