"""One run of the demo cycle for every end-to-end module: it takes most of a minute."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from spconnector.local.demo import run_cycle
from spconnector.local.embedded import embedded
from spconnector.refunds.model import RefundState
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


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("demo")
    with warnings.catch_warnings(), pytest.MonkeyPatch.context() as monkeypatch:
        warnings.simplefilter("ignore")
        with embedded(seed=7, time_scale=60.0) as env, _attributing(monkeypatch) as access:
            summary = run_cycle(env, out_dir=out)
            led = env.services.refund_ledger
            market = env.tenant.marketplace_ids[0]
            states = {
                state: led.refunds_in_state("demo-us", market, state) for state in RefundState
            }
            adjustments = {
                order: list(items) for order, items in env.sim.simulator.state.adjustments.items()
            }
            statuses = Counter(c.status for c in env.services.cases.list_cases("demo-us"))
    # closed before the tests run: one embedded environment (one moto) at a time
    return (summary, states, adjustments, statuses, out), access


@pytest.fixture(scope="session")
def cycle(demo_run):
    """(summary, refunds by state, the simulator's adjustments, case statuses, out dir)."""
    return demo_run[0]


@pytest.fixture(scope="session")
def demo_table_access(demo_run) -> TableAccess:
    return demo_run[1]
