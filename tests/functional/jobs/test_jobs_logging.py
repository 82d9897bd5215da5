"""Logs of a full cycle, driven through the same entry points the Lambdas use: no buyer PII,
no secrets, and every spconnector record emitted within a tenant's job names the tenant."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from spconnector.aws.clients import client
from spconnector.intake.email import parse_email
from spconnector.jobs.act import act_on
from spconnector.jobs.fanout import run_work_item
from spconnector.jobs.ingest import ingest_s3_object
from spconnector.jobs.process_case import process_case_event

from .conftest import JobsEnv, pace_sp_client_to_the_simulator

# The simulated Amazon logs its own HTTP lines from its server thread: not our job's records.
_NOT_OURS = ("spconnector.sim",)


@pytest.fixture(scope="module")
def cycle(jobs_env: JobsEnv) -> Iterator[tuple[JobsEnv, list[logging.LogRecord]]]:
    pace_sp_client_to_the_simulator(jobs_env)
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    ours = logging.getLogger("spconnector")
    saved = (root.level, ours.level)
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # libraries at the level a deployment runs them
    ours.setLevel(logging.DEBUG)  # ours at the most talkative
    try:
        _run_cycle(jobs_env)
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        ours.setLevel(saved[1])
    yield jobs_env, records


def _work(env: JobsEnv, job: str) -> Any:
    return run_work_item(env.services, {"job": job, "tenant": env.tid})


def _run_cycle(env: JobsEnv) -> None:
    s3 = client("s3")
    sim = env.env.sim
    for n, raw in enumerate(sim.scenario.emails):
        key = f"inbound/{env.tid}/{n:05d}.eml"
        s3.put_object(Bucket=env.env.bucket, Key=key, Body=raw)
        ingest_s3_object(env.services, env.env.bucket, key)
    s3.put_object(Bucket=env.env.bucket, Key=f"inbound/{env.tid}/bad.eml", Body=b"\x00 not mail")
    ingest_s3_object(env.services, env.env.bucket, f"inbound/{env.tid}/bad.eml")
    _work(env, "poll_returns")
    sim.advance(120)
    _work(env, "poll_returns")
    for event in env.drain("case-events"):
        process_case_event(env.services, event)
    for action in env.drain("actions"):
        act_on(env.services, action)
    for _ in range(3):
        _work(env, "track_feeds")
        sim.advance(150)
    _work(env, "poll_feedback")
    sim.advance(120)
    _work(env, "poll_feedback")
    _work(env, "sla_watch")
    _work(env, "report")


def _pii_and_secrets(env: JobsEnv) -> set[str]:
    needles: set[str] = set()
    for order in env.env.sim.scenario.orders:
        needles.update({order.buyer_name, order.buyer_alias})
    for raw in env.env.sim.scenario.emails:
        message = parse_email(raw)
        needles.update(v for v in (message.buyer_name, message.buyer_address) if v)
        for line in message.body.splitlines():
            if len(line.strip()) >= 20:  # a buyer's sentence, not a word that could be ours
                needles.add(line.strip())
    credentials = env.env.sim.credentials
    needles.update({credentials["refresh_token"], credentials["lwa_client_secret"]})
    return {n for n in needles if n}


def _text(record: logging.LogRecord) -> str:
    extras = {k: v for k, v in vars(record).items() if k not in _STANDARD}
    return f"{record.getMessage()} {extras} {record.exc_text or ''}"


_STANDARD = set(vars(logging.LogRecord("x", 0, "", 0, "", None, None))) | {"message", "asctime"}


def test_the_cycle_did_real_work(cycle: tuple[JobsEnv, list[logging.LogRecord]]) -> None:
    env, records = cycle
    cases = env.services.cases.list_cases(env.tid)
    assert len(cases) > 20
    assert env.sent_mail(), "no reply went out"
    assert any(r.name.startswith("spconnector.jobs") for r in records)


def test_no_buyer_pii_or_secret_in_any_log_record(
    cycle: tuple[JobsEnv, list[logging.LogRecord]],
) -> None:
    env, records = cycle
    needles = _pii_and_secrets(env)
    assert len(needles) > 50
    leaks = [
        (record.name, needle)
        for record in records
        for needle in needles
        if needle.lower() in _text(record).lower()
    ]
    assert leaks == []


def test_every_record_of_ours_names_the_tenant(
    cycle: tuple[JobsEnv, list[logging.LogRecord]],
) -> None:
    env, records = cycle
    ours = [
        r for r in records if r.name.startswith("spconnector") and not r.name.startswith(_NOT_OURS)
    ]
    assert ours
    untagged = [(r.name, r.getMessage()) for r in ours if getattr(r, "tenant", None) != env.tid]
    assert untagged == []
