"""SlaWatch: a case close to its deadline goes to a person once; an open case nothing decided
is re-driven; answered cases are left alone."""

from __future__ import annotations

from datetime import timedelta

from spconnector.jobs import sla_watch
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event

from .conftest import JobsEnv, ingest

QUESTION = "Do you have this in blue?"


def _run(env: JobsEnv) -> dict[str, list[str]]:
    return sla_watch.run(env.services, env.tenant, env.now())


def test_an_answered_case_is_neither_escalated_nor_redriven(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    case_id, events = ingest(
        jobs_env, order.order_id, QUESTION, received_at=jobs_env.now() - timedelta(hours=23)
    )
    for event in events:
        process_case_event(jobs_env.services, event)
    for action in jobs_env.drain("actions"):
        assert act_on(jobs_env.services, action)["reply"]["status"] == "sent"

    run = _run(jobs_env)

    assert case_id not in run["escalated"] and case_id not in run["redriven"]
