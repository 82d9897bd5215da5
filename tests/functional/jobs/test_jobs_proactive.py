"""Act on a return-only case (no relay mail to answer in): the buyer hears from us through the
Messaging API's unexpectedProblem message — only when Amazon offers it for the order, in the
buyer's language, at most once however often the action arrives; otherwise a person is told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from spconnector.domain import (
    Action,
    CaseStatus,
    Decision,
    FulfillmentChannel,
    Priority,
    ReturnRequest,
)
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_returns

from .conftest import JobsEnv

_rma = iter(range(1, 10_000))


def _return_only_case(env: JobsEnv, order_id: str, action: Action, template: str) -> dict[str, Any]:
    """A return row (no buyer mail) decided `action`: the action message Act receives."""
    now = env.now()
    ret = ReturnRequest(
        amazon_order_id=order_id,
        rma_id=f"DPROACT{next(_rma):05d}",
        reason_code="CR-WRONG_ITEM",
        in_policy=True,
        request_date=now - timedelta(hours=1),
        fulfillment=FulfillmentChannel.MFN,
    )
    assert ingest_returns(env.services, env.tenant, [ret]).ingested == 1
    (event,) = env.drain("case-events")
    case_id = event["case_id"]
    assert env.services.cases.messages(env.tid, case_id) == []
    decision = Decision(
        action=action,
        refund=None,
        ask_for_photos=False,
        reply_template=template,
        priority=Priority.NORMAL,
        respond_by=None,
        needs_approval=False,
        rules=("functional-test",),
        guards=(),
        explanation="wrong item reported on the return",
        policy_version="test",
        tenant=env.tid,
        case_id=case_id,
        decided_at=now,
        case_step=1,
    )
    seq = env.services.cases.add_decision(env.tid, case_id, decision)
    return {"tenant": env.tid, "case_id": case_id, "decision": seq}


def _sent_for(env: JobsEnv, order_id: str) -> list[Any]:
    return [m for m in env.env.sim.state.messages_sent if m.order_id == order_id]


def _scenario_order(env: JobsEnv, status: str) -> Any:
    order = next(o for o in env.env.sim.scenario.orders if o.status == status)
    env._used.add(order.order_id)
    return order


def test_a_replacement_is_announced_and_a_person_gets_the_shipping_task(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    action = _return_only_case(jobs_env, order.order_id, Action.REPLACE, "replace")
    jobs_env.escalations()

    outcome = act_on(jobs_env.services, action)

    assert outcome["reply"]["status"] == "sent"
    assert len(_sent_for(jobs_env, order.order_id)) == 1
    assert outcome["status"] == CaseStatus.ANSWERED.value
    (task,) = jobs_env.escalations()
    assert "task: ship a replacement" in task["reasons"]


def test_an_order_without_the_message_on_offer_is_escalated_not_messaged(
    jobs_env: JobsEnv,
) -> None:
    order = _scenario_order(jobs_env, "Canceled")  # Amazon offers no proactive message here
    action = _return_only_case(jobs_env, order.order_id, Action.REQUEST_INFO, "request_info")
    jobs_env.escalations()

    outcome = act_on(jobs_env.services, action)

    assert outcome["reply"]["status"] == "not_offered"
    assert outcome["status"] == CaseStatus.ESCALATED.value
    assert _sent_for(jobs_env, order.order_id) == []
    (escalation,) = jobs_env.escalations()
    assert any("does not offer unexpectedProblem" in r for r in escalation["reasons"])


def test_a_message_left_sending_by_a_crash_is_escalated_not_sent_again(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    action = _return_only_case(jobs_env, order.order_id, Action.REQUEST_INFO, "request_info")
    outbox = jobs_env.services.outbox
    assert outbox.claim(jobs_env.tid, action["case_id"], "reply#000001") == "claimed"
    jobs_env.escalations()

    outcome = act_on(jobs_env.services, action)

    assert outcome["reply"]["status"] == "state_unknown"
    assert outcome["status"] == CaseStatus.ESCALATED.value
    assert _sent_for(jobs_env, order.order_id) == []
    (escalation,) = jobs_env.escalations()
    assert any("crash" in r for r in escalation["reasons"])


def test_other_decisions_on_a_return_only_case_send_no_proactive_message(
    jobs_env: JobsEnv,
) -> None:
    # unexpectedProblem fits news the buyer must get (a replacement, a question), not advice.
    order = jobs_env.order(channel="MFN")
    action = _return_only_case(jobs_env, order.order_id, Action.EDUCATE, "educate")

    outcome = act_on(jobs_env.services, action)

    assert outcome["reply"]["status"] == "no_buyer_message"
    assert _sent_for(jobs_env, order.order_id) == []
