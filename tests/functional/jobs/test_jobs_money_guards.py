"""Money never moves twice, early, or without the approval the tenant's mode requires."""

from __future__ import annotations

from typing import Any

from spconnector.domain import CaseStatus, Mode
from spconnector.jobs.act import act_on
from spconnector.jobs.approvals import approve
from spconnector.jobs.process_case import process_case_event
from spconnector.refunds.model import RefundState
from tests.functional.jobs.conftest import JobsEnv, ingest

BROKEN = "The item arrived broken, the handle snapped off the first time I used it."


def _decide_and_act(env: JobsEnv, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for body in events:
        process_case_event(env.services, body)
    return [act_on(env.services, body) for body in env.drain("actions")]


def _refunds(env: JobsEnv, order_id: str) -> list[Any]:
    return env.services.refund_ledger.refunds_for_order(env.tid, order_id)


def test_a_second_message_on_a_refunded_order_does_not_pay_again(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", max_total=20.0)
    _case_id, events = ingest(jobs_env, order.order_id, BROKEN)
    first = _decide_and_act(jobs_env, events)
    assert [r["refund"]["state"] for r in first if "refund" in r] == ["approved"]
    mails_before = len(jobs_env.sent_mail())

    # the buyer writes again about the same order: the policy would refund again
    _case_id, events = ingest(jobs_env, order.order_id, BROKEN)
    second = _decide_and_act(jobs_env, events)

    refunds = _refunds(jobs_env, order.order_id)
    assert [r.state for r in refunds] == [RefundState.APPROVED], "paid twice"
    assert second and second[-1]["action"] == "refund_without_return"
    assert "already has a refund" in second[-1]["refund"]["reason"]
    assert second[-1]["status"] == "escalated"
    assert len(jobs_env.sent_mail()) == mails_before, "a second 'refunded' reply went out"


def test_refund_on_return_waits_for_the_item(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN", min_total=15.0, max_total=500.0)
    _case_id, events = ingest(
        jobs_env, order.order_id, "I changed my mind and would like to send it back for a refund."
    )
    outcomes = _decide_and_act(jobs_env, events)
    on_return = [o for o in outcomes if o["action"] == "refund_on_return"]
    assert on_return, f"the default policy decided {[o['action'] for o in outcomes]}"
    assert on_return[-1]["refund"]["state"] == "awaiting_return"
    assert _refunds(jobs_env, order.order_id) == [], "money moved before the return"
    assert any(
        "once the return arrives" in " ".join(e.get("reasons", [])) for e in jobs_env.escalations()
    )


def test_a_switch_to_approve_mode_holds_the_action_until_a_person_approves(
    jobs_env: JobsEnv, mode: Any
) -> None:
    order = jobs_env.order(channel="MFN", max_total=60.0)
    case_id, events = ingest(jobs_env, order.order_id, BROKEN)
    for body in events:
        process_case_event(jobs_env.services, body)  # decided while live
    mode(Mode.APPROVE)
    mails_before = len(jobs_env.sent_mail())
    held = [act_on(jobs_env.services, body) for body in jobs_env.drain("actions")]

    assert held and held[0]["status"] == "awaiting_approval"
    assert _refunds(jobs_env, order.order_id) == []
    assert len(jobs_env.sent_mail()) == mails_before
    case = jobs_env.services.cases.get(jobs_env.tid, case_id)
    assert case is not None and case.status is CaseStatus.AWAITING_APPROVAL

    done = approve(jobs_env.services, case_id, by="dana")
    assert done["approved_by"] == "dana"
    assert [r.state for r in _refunds(jobs_env, order.order_id)] == [RefundState.APPROVED]
    assert [r.approved_by for r in _refunds(jobs_env, order.order_id)] == ["dana"]


def test_an_order_cancelled_after_the_decision_is_not_refunded_at_act(jobs_env: JobsEnv) -> None:
    """Act re-reads the order: a status that is not shipped now (cancelled at Amazon between
    deciding and acting) refuses the refund before anything is recorded or told."""
    import dataclasses

    order = jobs_env.order(channel="MFN", max_total=30)
    _case, events = ingest(jobs_env, order.order_id, "The item arrived broken, it does not work.")
    for event in events:
        process_case_event(jobs_env.services, event)
    actions = jobs_env.drain("actions")
    assert len(actions) == 1
    scenario = jobs_env.env.sim.scenario
    at = scenario.orders.index(order)
    scenario.orders[at] = dataclasses.replace(order, status="Canceled")
    scenario._index.clear()  # the simulator's lookup is rebuilt from the list
    try:
        outcome = act_on(jobs_env.services, actions[0])
    finally:
        scenario.orders[at] = order
        scenario._index.clear()
    assert outcome["refund"]["state"] == "refused", outcome
    assert "CANCELLED" in outcome["refund"]["reason"], outcome
    assert jobs_env.services.refund_ledger.refunds_for_order(jobs_env.tid, order.order_id) == []
