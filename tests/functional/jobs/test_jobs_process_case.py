"""ProcessCase: one decision per input step, unknown orders quarantined, modes obeyed."""

from __future__ import annotations

from typing import Any

from spconnector.domain import CaseStatus, Mode
from spconnector.jobs.process_case import process_case_event

from .conftest import JobsEnv, ingest

DEFECT = "The item arrived broken, it does not work at all."


def _process(env: JobsEnv, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [process_case_event(env.services, e) for e in events]


def test_live_decides_once_per_input_step_and_queues_the_action(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    case_id, events = ingest(jobs_env, order.order_id, DEFECT)

    (first,) = _process(jobs_env, events)
    # SQS delivers at least once: the same event again decides nothing new.
    (again,) = _process(jobs_env, events)

    assert first["status"] == "decided"
    # …but queues the same decision's action again (a crash may have lost the first one;
    # Act carries each decision out once).
    assert again == {"case_id": case_id, "status": "already_decided", "action": "resent"}
    decisions = jobs_env.services.cases.decisions(jobs_env.tid, case_id)
    assert len(decisions) == 1 and decisions[0].case_step == 1
    assert decisions[0].action.value == first["action"]
    actions = jobs_env.drain("actions")
    assert actions == [{"tenant": jobs_env.tid, "case_id": case_id, "decision": 1}] * 2
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.DECIDED


def test_a_new_message_on_the_case_is_a_new_step_and_decided_again(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    case_id, events = ingest(jobs_env, order.order_id, "Do you have this in blue?")
    _process(jobs_env, events)
    _, more = ingest(jobs_env, order.order_id, DEFECT)

    (second,) = _process(jobs_env, more)

    assert second["status"] == "decided"
    steps = [d.case_step for d in jobs_env.services.cases.decisions(jobs_env.tid, case_id)]
    assert steps == [1, 2]
    assert [a["decision"] for a in jobs_env.drain("actions")] == [1, 2]


def test_an_order_amazon_does_not_know_quarantines_the_case_with_the_reason(
    jobs_env: JobsEnv,
) -> None:
    unknown = "114-0000000-0000001"
    assert unknown not in {o.order_id for o in jobs_env.env.sim.scenario.orders}
    case_id, events = ingest(jobs_env, unknown, DEFECT)

    (result,) = _process(jobs_env, events)

    assert result["status"] == "quarantined"
    assert unknown in result["reason"]
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.QUARANTINED
    assert case.quarantine_reason == result["reason"]
    assert jobs_env.drain("actions") == []


def test_shadow_mode_decides_and_closes_without_acting(jobs_env: JobsEnv, mode: Any) -> None:
    mode(Mode.SHADOW)
    order = jobs_env.order(channel="MFN", max_total=30)
    case_id, events = ingest(jobs_env, order.order_id, DEFECT)

    (result,) = _process(jobs_env, events)

    assert result["status"] == "closed"
    assert len(jobs_env.services.cases.decisions(jobs_env.tid, case_id)) == 1
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.CLOSED
    assert jobs_env.drain("actions") == []
    assert jobs_env.escalations() == []


def test_approve_mode_waits_for_a_person_and_tells_them(jobs_env: JobsEnv, mode: Any) -> None:
    mode(Mode.APPROVE)
    jobs_env.escalations()
    order = jobs_env.order(channel="MFN", max_total=30)
    case_id, events = ingest(jobs_env, order.order_id, DEFECT)

    (result,) = _process(jobs_env, events)

    assert result["status"] == "awaiting_approval"
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.AWAITING_APPROVAL
    assert jobs_env.drain("actions") == []
    (escalation,) = jobs_env.escalations()
    assert escalation["case_id"] == case_id and escalation["tenant"] == jobs_env.tid
    assert "needs approval" in escalation["reasons"]


def test_a_paused_tenant_is_skipped_and_the_case_stays_open(jobs_env: JobsEnv, mode: Any) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    mode(paused=True)
    case_id, events = ingest(jobs_env, order.order_id, DEFECT)

    (result,) = _process(jobs_env, events)

    assert result["status"] == "skipped"
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.OPEN
    assert jobs_env.services.cases.decisions(jobs_env.tid, case_id) == []
    assert jobs_env.drain("actions") == []

    # Once resumed, the same event (redriven) is decided.
    mode(paused=False)
    (after,) = _process(jobs_env, events)
    assert after["status"] == "decided"
    assert len(jobs_env.drain("actions")) == 1
