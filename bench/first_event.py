"""Init + first event: a fresh interpreter imports a handler, then handles one real event.

A cold start's import is only half of what the first buyer waits for: whatever the import
leaves for first use (boto3, clients, pydantic models built on demand) the first invocation
pays. So each probe here is a new Python process, as a Lambda container is, that imports the
handler (timed), then invokes it once (timed) on a representative event, against a moto
server and the SP-API simulator run by the bench's own process over HTTP:

- IngestEmail: SES stored a buyer's inquiry (the scenario's first relay mail) under
  inbound/<tenant>/ — parse, file it on a new case, enqueue the case event;
- ProcessCase: that case event, as the SQS event source delivers it — order context from the
  simulator, the policy decision, the action queued.

Every probe gets a tenant of its own, so each handles the same work: a new case, not a
follow-up of the previous round's. Each invocation's outcome is checked (the mail ingested,
the case decided), so a probe that fails or skips its work fails the bench instead of
counting as fast. The probe's context object is a plain namespace: importing our own local
tooling in the probe would load modules the handler would otherwise load itself.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HANDLERS = ("ingest_email", "process_case")
_MESSAGE_ID = re.compile(rb"^Message-ID: <[^>]*>", re.MULTILINE | re.IGNORECASE)

PROBE = """
import json, re, sys, time
from types import SimpleNamespace
sys.path.insert(0, {lambdas!r})
started, cpu_started = time.perf_counter(), time.process_time()
import {handler}
imported, cpu_imported = time.perf_counter(), time.process_time()
context = SimpleNamespace(
    function_name={function!r}, memory_limit_in_mb=512, aws_request_id="cold-start-bench",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:" + {function!r},
    get_remaining_time_in_millis=lambda: 60_000,
)
result = {handler}.handler(json.loads({event!r}), context)
done, cpu_done = time.perf_counter(), time.process_time()
print(json.dumps({{
    "seconds": imported - started, "cpu_seconds": cpu_imported - cpu_started,
    "first_seconds": done - started, "first_cpu_seconds": cpu_done - cpu_started,
    # VmHWM, not ru_maxrss: that keeps the bench's own high-water mark across fork + exec
    "peak_mib": int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read())[1]) / 1024,
    "result": result,
}}))
"""


@dataclass
class World:
    """The moto server, the simulator and the resources every probe's handler reaches."""

    env: Any  # spconnector.local.embedded.Embedded
    aws_endpoint: str
    template: Any  # spconnector.local.template.Template
    probes: int = 0


@contextlib.contextmanager
def world(seed: int = 7) -> Iterator[World]:
    from moto.server import ThreadedMotoServer

    from spconnector.aws.clients import reset_clients
    from spconnector.local.embedded import Embedded
    from spconnector.local.hostnet import free_loopback_port
    from spconnector.local.template import Template
    from spconnector.sim import SimServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_loopback_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    sim = SimServer(seed=seed).start()
    endpoint = f"http://127.0.0.1:{port}"
    saved = dict(os.environ)
    try:
        os.environ |= {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
            "SPCONNECTOR_AWS_ENDPOINT": endpoint,
        }
        reset_clients(session=True)
        env = Embedded.create(sim, simulated_clock=False)  # the probes read the real time
        yield World(env=env, aws_endpoint=endpoint, template=Template.load(REPO / "template.yaml"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_clients(session=True)
        sim.stop()
        moto.stop()


def _environment(w: World, name: str, tree: Path) -> dict[str, str]:
    from spconnector.local.invoke import function_environment

    values = function_environment(w.template, w.template.function(name), w.env)
    values |= {
        "SPCONNECTOR_AWS_ENDPOINT": w.aws_endpoint,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PATH": "/usr/bin:/bin",
    }
    if tree != REPO:
        values["PYTHONPATH"] = str(tree / "src")
    return values


def _probe(
    w: World, handler: str, event: dict[str, Any], tree: Path, wrap: Sequence[str] = ()
) -> dict[str, Any]:
    """One probe process; under `wrap` (valgrind's command line) its `instructions` too."""
    function = w.template.function(handler)
    code = PROBE.format(
        lambdas=str(tree / "lambdas"),
        handler=handler,
        function=function.logical_id,
        event=json.dumps(event),
    )
    env = _environment(w, handler, tree)
    if wrap:  # one string hash for every counted probe: the count does not move with it
        env["PYTHONHASHSEED"] = "0"
    out = subprocess.run(
        [*wrap, sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{handler} probe failed ({tree}): {out.stderr[-2000:]}")
    got: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if wrap:
        found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
        if found is None:
            raise RuntimeError(f"valgrind printed no instruction count: {out.stderr[-500:]}")
        got["instructions"] = int(found[1].replace(",", "")) / 1e6
    return got


def first_events(w: World, tree: Path, wrap: Sequence[str] = ()) -> dict[str, dict[str, Any]]:
    """One new tenant's inquiry through a cold IngestEmail, then a cold ProcessCase (each
    probe under `wrap`, valgrind's command line, when given)."""
    from spconnector.aws.clients import client
    from spconnector.local.fleet import add_tenant
    from spconnector.local.samples import s3_event, sqs_event

    w.probes += 1
    env = w.env
    tid = f"cold{w.probes:03d}"
    add_tenant(env, tid, label="cold-start", ses_recipient=env.tenant.ses_recipient)
    raw = _MESSAGE_ID.sub(
        f"Message-ID: <{tid}@bench.example>".encode(), env.sim.scenario.emails[1], count=1
    )
    key = f"inbound/{tid}/00000.eml"
    client("s3").put_object(Bucket=env.bucket, Key=key, Body=raw)

    ingest = _probe(w, "ingest_email", s3_event(env.bucket, key, raw), tree, wrap)
    (outcome,) = ingest["result"]["outcomes"]
    if outcome["status"] != "ingested":
        raise RuntimeError(f"IngestEmail did not ingest the mail: {outcome}")
    bodies = env.drain("case-events")
    if len(bodies) != 1:
        raise RuntimeError(f"IngestEmail queued {len(bodies)} case events, not 1")

    event = sqs_event(bodies[0], env.queues["case-events"])
    process = _probe(w, "process_case", event, tree, wrap)
    if process["result"] != {"batchItemFailures": []}:
        raise RuntimeError(f"ProcessCase failed its record: {process['result']}")
    decisions = env.services.cases.decisions(tid, bodies[0]["case_id"])
    if len(decisions) != 1:
        raise RuntimeError(f"ProcessCase recorded {len(decisions)} decisions, not 1")
    env.drain("actions")  # what Act would take; the next probe starts from an empty queue
    return {"ingest_email": ingest, "process_case": process}
