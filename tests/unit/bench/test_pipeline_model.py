"""bench/pipeline.py's queueing model: template settings read right, mails conserved, quota kept."""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "pipeline.py"


@pytest.fixture(scope="module")
def pipeline() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_pipeline", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_pipeline"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def test_template_settings_are_the_deployed_ones(pipeline: ModuleType) -> None:
    settings = pipeline.read_template()
    assert settings.intake_poll == 300  # IntakeSchedule rate(5 minutes)
    assert settings.track_feeds == 120
    assert settings.memory_mb == 512
    process = settings.functions["ProcessCase"]
    assert (process.batch_size, process.visibility, process.reserved) == (10, 1800, None)
    assert settings.functions["TenantWorker"].batch_size == 1
    assert settings.functions["IngestEmail"].batch_size == 0  # invoked by S3, not a queue


def _traces(pipeline: ModuleType) -> list:
    def stage(wall: float, calls: int = 0) -> object:
        s = pipeline.Stage(wall=wall, cpu=wall)
        s.sp_calls = Counter({"orders_2026-01-01:getOrder": calls} if calls else {})
        return s

    reply = pipeline.Trace("t", stage(0.01), stage(0.1, 1), stage(0.05), "reply", "act")
    quarantined = pipeline.Trace("t", stage(0.01), pipeline.Stage(), pipeline.Stage())
    quarantined.ending, quarantined.ended_in = "quarantine", "ingest"
    escalated = pipeline.Trace("t", stage(0.01), stage(0.1, 1), pipeline.Stage())
    escalated.ending, escalated.ended_in = "escalation", "process"
    return [reply, quarantined, escalated]


def _config(pipeline: ModuleType, name: str, batch: int, cap: int, intake: str = "ses") -> object:
    return pipeline.ModelConfig(
        name,
        intake,
        {"ingest": 1, "process": batch, "act": batch},
        {"ingest": cap, "process": cap, "act": cap},
        1000,
        cap > 1,
        1.0,
        300,
        {"process": 1800, "act": 1800},
    )


@pytest.mark.parametrize("intake", ["ses", "imap"])
def test_every_mail_ends_once_and_batching_beats_one_at_a_time(
    pipeline: ModuleType, intake: str
) -> None:
    arrivals = pipeline.modelled_mails(_traces(pipeline), 600, 5, 60.0, random.Random(1))
    fresh = lambda: [pipeline.Mail(m.n, m.tenant, m.arrived, m.trace) for m in arrivals]  # noqa: E731
    ours = pipeline.simulate(_config(pipeline, "ours", 10, 1000, intake), fresh())
    base = pipeline.simulate(_config(pipeline, "base", 1, 1, "ses"), fresh())
    for result in (ours, base):
        assert "lost" not in result.endings
        assert sum(result.endings.values()) == 600
        assert result.redelivered == 0
        assert all(m.ended >= m.arrived for m in result.mails)
    if intake == "imap":  # nothing is read before the first poll
        assert min(m.ended - m.arrived for m in ours.mails) > 0
        assert min(m.ended for m in ours.mails) >= 300
    else:
        assert pipeline.pct(ours.latencies(), 95) < pipeline.pct(base.latencies(), 95)


def test_tenant_buckets_keep_the_usage_plan(pipeline: ModuleType) -> None:
    buckets = pipeline.TenantBuckets()
    times = [buckets.take(0, "orders_2026-01-01:getOrder", 0.0) for _ in range(40)]
    assert times[:30] == [0.0] * 30  # burst 30
    assert times[30] == pytest.approx(2.0)  # then one per 2 s (0.5/s)
    assert times[39] == pytest.approx(20.0)
    assert buckets.take(1, "orders_2026-01-01:getOrder", 0.0) == 0.0  # another tenant's bucket
