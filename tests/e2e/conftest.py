"""One run of the demo for every end-to-end module: it takes most of a minute."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from spconnector.refunds.model import RefundState
from tests.chaos.moto_speed import faster_moto
from tests.table_access import recording

# Which function (template.yaml) runs each job entry point the demo calls.
ENTRY_POINTS = {
    ("spconnector.jobs.ingest", "ingest_s3_object"): "IngestEmailFunction",
    ("spconnector.jobs.process_case", "process_case_event"): "ProcessCaseFunction",
    ("spconnector.jobs.act", "act_on"): "ActFunction",
    ("spconnector.jobs.track_feeds", "run"): "TenantWorkerFunction",
    ("spconnector.jobs.poll_returns", "run"): "TenantWorkerFunction",
    ("spconnector.jobs.poll_feedback", "run"): "TenantWorkerFunction",
    ("spconnector.jobs.solicit", "run"): "TenantWorkerFunction",
}


@dataclass
class TableAccess:
    """Every (action, partition key) the demo's jobs made, by the function that runs the job."""

    running: list[str] = field(default_factory=list)
    by_function: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    def record(self, action: str, key: str) -> None:
        # Only calls made inside a job count: the demo's own reads (summary, report) are not a
        # Lambda's.
        if self.running:
            self.by_function.setdefault(self.running[-1], set()).add((action, key))

    def attributed(self, function: str, entry: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            self.running.append(function)
            try:
                return entry(*args, **kwargs)
            finally:
                self.running.pop()

        return run


@contextmanager
def _attributing(monkeypatch: pytest.MonkeyPatch) -> Iterator[TableAccess]:
    import importlib

    access = TableAccess()
    for (module_name, name), function in ENTRY_POINTS.items():
        module = importlib.import_module(module_name)
        monkeypatch.setattr(module, name, access.attributed(function, getattr(module, name)))
    with recording(access.record):
        yield access


@dataclass
class DemoRun:
    """What one `run_demo` left behind: its summary and output, and the world before it closed."""

    summary: dict[str, Any]
    states: dict[RefundState, list[Any]]
    adjustments: dict[str, list[Any]]
    statuses: Counter[str]
    out: Path
    # stdout and stderr of the whole run, at the file-descriptor level (what `capfd` sees)
    stdout: str
    stderr: str
    # `impact export` run on the demo's world before it closed: (exit code, output) each
    export: tuple[int, str]
    export_unknown_tenant: tuple[int, str]


def _export_ledger(out: Path) -> tuple[tuple[int, str], tuple[int, str]]:
    from typer.testing import CliRunner

    from spconnector.cli import app

    runner = CliRunner()
    ledger, snaps = out / "ledger.jsonl", out / "snapshots.jsonl"
    known = runner.invoke(
        app,
        [
            "impact",
            "export",
            "--tenant",
            "demo-us",
            "--out",
            str(ledger),
            "--snapshots",
            str(snaps),
        ],
    )
    unknown = runner.invoke(app, ["impact", "export", "--tenant", "nobody", "--out", str(ledger)])
    return (known.exit_code, known.output), (unknown.exit_code, unknown.output)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoRun, TableAccess]:
    """`spconnector demo --json` once (seed 7) for every test that asks about a demo run.

    The demo takes most of a minute: the tests read its summary, its terminal output, the
    ledger exported from its world and the refund ledger, all from this one run. The world is
    read through `embedded` wrapped so that it is inspected after the cycle and before it
    closes (one embedded environment, one moto, at a time). moto is sped up as for the chaos
    runs (tests/chaos/moto_speed.py: the same results, sooner).
    """
    from _pytest.capture import FDCapture, MultiCapture

    from spconnector.local import demo

    out = tmp_path_factory.mktemp("demo")
    seen: dict[str, Any] = {}
    real_embedded = demo.embedded

    @contextmanager
    def inspected(**kwargs: Any) -> Iterator[Any]:
        with faster_moto(), real_embedded(**kwargs) as env, _attributing(monkeypatch) as access:
            yield env
            led = env.services.refund_ledger
            market = env.tenant.marketplace_ids[0]
            seen["access"] = access
            seen["states"] = {
                state: led.refunds_in_state("demo-us", market, state) for state in RefundState
            }
            seen["adjustments"] = {
                order: list(items) for order, items in env.sim.simulator.state.adjustments.items()
            }
            seen["statuses"] = Counter(c.status for c in env.services.cases.list_cases("demo-us"))
            seen["export"] = _export_ledger(out)

    # pytest's own fd capture, as the capfd fixture uses it (a session fixture cannot ask for
    # capfd): the whole run's stdout and stderr, not only what Python's print reaches.
    capture: MultiCapture[str] = MultiCapture(in_=None, out=FDCapture(1), err=FDCapture(2))
    with warnings.catch_warnings(), pytest.MonkeyPatch.context() as monkeypatch:
        warnings.simplefilter("ignore")
        monkeypatch.setattr(demo, "embedded", inspected)
        capture.start_capturing()
        try:
            summary = demo.run_demo(json_out=True, out_dir=out)
        finally:
            stdout, stderr = capture.readouterr()
            capture.stop_capturing()
    run = DemoRun(
        summary=summary,
        states=seen["states"],
        adjustments=seen["adjustments"],
        statuses=seen["statuses"],
        out=out,
        stdout=stdout,
        stderr=stderr,
        export=seen["export"][0],
        export_unknown_tenant=seen["export"][1],
    )
    return run, seen["access"]


@pytest.fixture(scope="session")
def cycle(demo_run: tuple[DemoRun, TableAccess]) -> tuple[Any, ...]:
    """(summary, refunds by state, the simulator's adjustments, case statuses, out dir)."""
    run = demo_run[0]
    return run.summary, run.states, run.adjustments, run.statuses, run.out


@pytest.fixture(scope="session")
def demo(demo_run: tuple[DemoRun, TableAccess]) -> DemoRun:
    return demo_run[0]


@pytest.fixture(scope="session")
def demo_table_access(demo_run: tuple[DemoRun, TableAccess]) -> TableAccess:
    return demo_run[1]
