"""Fan-out: many tenants' buyer mail through the jobs, per-tenant work units on a bounded pool.

Each tenant gets a day of buyer mail (the simulator's relay mails, with Message-IDs made its
own; order ids stay the simulated seller's, so every case is looked up, decided and acted on)
and runs ingest_email → process_case_event → act_on in-process against moto and the SP-API
simulator. One tenant is deliberately slow: every SP-API call it makes waits --slow-delay
seconds first (an outage-like seller).

Three runs, each on fresh tenants in an environment of its own (same seed):
  pool+slow   per-tenant work units on a queue, a bounded pool of workers takes one unit at a
              time (as the FIFO queue grouped by tenant feeds TenantWorker with bounded
              concurrency); the slow tenant's unit is first in the queue
  pool        the same without the slow tenant's delay
  sequential  the naive design: one loop over all tenants, slow tenant first
Per-tenant latency = completion time of the tenant's work since the run started (the tick).

moto in-process isn't thread-safe (a GSI query iterating the table while another thread adds a
partition raised "dictionary changed size during iteration" in 4-21 of 50 tenants): the
embedded default lets one request at a time into moto (local/embedded.py,
moto_one_request_at_a_time), as DynamoDB handles each request atomically. Only moto's request
handling is serialized; the jobs, their caches and the SP-API calls still run in parallel.
A failing tenant's unit is reported with the innermost frame of our code and of any library.

The jobs are CPU-bound on moto here (~0.3 s of CPU per mail on one core), so the default is
50 tenants × 4 mails (about 2½ minutes for the three runs on 2 cores); --tenants 500 runs the
full fleet (about ten times as long).

Run: .venv/bin/python bench/fanout.py [--tenants 50] [--messages 4] [--workers 10]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import queue
import re
import sys
import threading
import time
import traceback
import warnings
from dataclasses import dataclass
from functools import partial
from typing import Any

from spconnector.domain import Tenant
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.services import Services
from spconnector.jobs.sp_wiring import sp_client_for
from spconnector.local.embedded import Embedded, embedded
from spconnector.local.fleet import add_tenant

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


FAILED_UNITS: list[str] = []  # a failed unit ends early: its run's latencies are not valid


@dataclass
class Unit:
    tenant: Tenant
    mails: list[bytes]


class DelayedSp:
    """An SP-API client whose every call first waits: a seller whose API answers slowly."""

    def __init__(self, inner: Any, delay: float) -> None:
        self._inner, self._delay = inner, delay

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            time.sleep(self._delay)
            return target(*args, **kwargs)

        return call


def tenant_mails(env: Embedded, tenant_id: str, count: int) -> list[bytes]:
    """`count` of the scenario's relay mails, each with a Message-ID of this tenant's own."""
    emails = env.sim.scenario.emails
    mails = []
    for n in range(count):
        raw = emails[n % len(emails)]
        mails.append(
            _MESSAGE_ID.sub(f"Message-ID: <{tenant_id}-{n}@bench.example>".encode(), raw, count=1)
        )
    return mails


def register(env: Embedded, tenant_id: str) -> Tenant:
    # its own LWA token, its own usage-plan buckets; the demo tenant's SES recipient
    return add_tenant(env, tenant_id, label="bench", ses_recipient=env.tenant.ses_recipient)


def _sp_factory(services: Services, slow_id: str | None, delay: float, tenant: Tenant) -> Any:
    client = sp_client_for(tenant, services.settings)
    return DelayedSp(client, delay) if tenant.tenant_id == slow_id else client


def work(services: Services, unit: Unit) -> None:
    """One tenant's unit: every mail ingested, its case decided, the decision carried out."""
    tid = unit.tenant.tenant_id
    for raw in unit.mails:
        outcome = ingest_email(services, unit.tenant, raw, source="bench")
        if outcome.case_id is None:
            continue
        decided = process_case_event(services, {"tenant": tid, "case_id": outcome.case_id})
        if decided.get("status") == "decided":
            seq = len(services.cases.decisions(tid, outcome.case_id))
            act_on(services, {"tenant": tid, "case_id": outcome.case_id, "decision": seq})


def run_pool(services: Services, units: list[Unit], workers: int) -> dict[str, float]:
    """Per-tenant units on a queue; `workers` threads each take one unit at a time."""
    todo: queue.Queue[Unit] = queue.Queue()
    for unit in units:
        todo.put(unit)
    done: dict[str, float] = {}
    failures: list[str] = []
    start = time.perf_counter()

    def worker() -> None:
        while True:
            try:
                unit = todo.get_nowait()
            except queue.Empty:
                return
            try:
                work(services, unit)
            except Exception as exc:  # a failing tenant does not stop this worker
                failures.append(
                    f"{unit.tenant.tenant_id}: {type(exc).__name__}: {exc} ({_where(exc)})"
                )
            done[unit.tenant.tenant_id] = time.perf_counter() - start

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print(f"  {len(failures)} tenant unit(s) failed, e.g. {failures[0]}", file=sys.stderr)
        FAILED_UNITS.extend(failures)
    return done


def _where(exc: BaseException) -> str:
    """The innermost frame, and the innermost in our code if that is elsewhere (a library)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [
        f for f in frames if "/spconnector/" in f.filename and "site-packages" not in f.filename
    ]
    places = [frames[-1], *(ours[-1:] if ours and ours[-1] is not frames[-1] else [])]
    return ", called from ".join(f"at {f.filename}:{f.lineno}" for f in places)


def run_sequential(services: Services, units: list[Unit]) -> dict[str, float]:
    done: dict[str, float] = {}
    start = time.perf_counter()
    for unit in units:
        work(services, unit)
        done[unit.tenant.tenant_id] = time.perf_counter() - start
    return done


def spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {"p50": pct(50), "p90": pct(90), "p99": pct(99), "max": ordered[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--messages", type=int, default=4, help="relay mails per tenant")
    parser.add_argument("--workers", type=int, default=10, help="TenantWorkerConcurrency")
    parser.add_argument("--slow-delay", type=float, default=2.0, help="s per SP-API call")
    args = parser.parse_args()
    if args.tenants < 2:
        parser.error("--tenants must be at least 2")

    logging.disable(logging.WARNING)  # the jobs' per-case log lines would drown the table
    warnings.filterwarnings("ignore")
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "spconnector-bench")
    runs: dict[str, tuple[dict[str, float], str | None]] = {}
    setup = 0.0
    for name, pooled, with_slow in (
        ("pool+slow", True, True),
        ("pool", True, False),
        ("sequential", False, True),
    ):
        # Each run in an environment of its own: moto's GSI queries scan the whole table, so
        # a run sharing the table with earlier runs' records would be slower for that alone.
        with contextlib.redirect_stdout(sys.stderr), embedded(seed=7, time_scale=60.0) as env:
            setup_start = time.perf_counter()
            services = env.services
            units = [
                Unit(register(env, f"t{n:04d}"), tenant_mails(env, f"t{n:04d}", args.messages))
                for n in range(args.tenants)
            ]
            slow_id = units[0].tenant.tenant_id if with_slow else None
            services.sp_factory = partial(_sp_factory, services, slow_id, args.slow_delay)
            # warm-up (imports, first LWA token, policy load): the timed run pays no more
            work(services, Unit(register(env, "warm-up"), tenant_mails(env, "warm-up", 1)))
            setup += time.perf_counter() - setup_start
            # EMF metric lines (one per reply) go to stdout in Lambda; here they bury the table
            with contextlib.redirect_stdout(io.StringIO()):
                print(f"  running {name} …", file=sys.stderr)
                done = (
                    run_pool(services, units, args.workers)
                    if pooled
                    else run_sequential(services, units)
                )
            runs[name] = (done, slow_id)

    report(args, setup, runs)


def report(
    args: argparse.Namespace, setup: float, runs: dict[str, tuple[dict[str, float], str | None]]
) -> None:
    print(
        f"fan-out bench: {args.tenants} tenants × {args.messages} buyer mails, "
        f"{args.workers} workers, slow tenant +{args.slow_delay:g}s per SP-API call "
        f"(setup {setup:.1f}s)"
    )
    print(f"{'run':<12}{'total s':>9}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}{'slow tenant':>13}")
    summary: dict[str, dict[str, float]] = {}
    for name, (done, slow_id) in runs.items():
        others = [t for tid, t in done.items() if tid != slow_id]
        s = spread(others)
        summary[name] = s | {"total": max(done.values())}
        slow_text = f"{done[slow_id]:.2f}" if slow_id else "-"
        print(
            f"{name:<12}{max(done.values()):>9.2f}{s['p50']:>8.2f}{s['p90']:>8.2f}"
            f"{s['p99']:>8.2f}{s['max']:>8.2f}{slow_text:>13}"
        )
    print("(per-tenant completion seconds since the run started, other tenants only)")
    if FAILED_UNITS:
        print(f"NOT VALID: {len(FAILED_UNITS)} tenant unit(s) failed and ended early (see stderr)")
    pooled, without, naive = summary["pool+slow"], summary["pool"], summary["sequential"]
    print(
        f"slow tenant's effect on the others (pool): p90 with/without = "
        f"{pooled['p90'] / without['p90']:.2f}x (1.00 = not held back)"
    )
    print(
        f"naive sequential vs fan-out pool (both with the slow tenant): "
        f"p50 {naive['p50'] / pooled['p50']:.2f}x, p90 {naive['p90'] / pooled['p90']:.2f}x, "
        f"total {naive['total'] / pooled['total']:.2f}x"
    )


if __name__ == "__main__":
    main()
