"""One task per case per action: what Act hands to a person for one decision goes out as one
escalation carrying every reason, never as several tasks for the same case."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
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
from tests.unit.jobs.conftest import World

_rma = count(1)


def _return_only_case(world: World, order_id: str, action: Action, template: str) -> Any:
    """A return row (no buyer mail) decided `action`: the action message Act receives."""
    now = world.now()
    ret = ReturnRequest(
        amazon_order_id=order_id,
        rma_id=f"DONETASK{next(_rma):05d}",
        reason_code="CR-WRONG_ITEM",
        in_policy=True,
        request_date=now - timedelta(hours=1),
        fulfillment=FulfillmentChannel.MFN,
    )
    assert ingest_returns(world.services, world.tenant, [ret]).ingested == 1
    (event,) = world.drain("case_events")
    decision = Decision(
        action=action,
        refund=None,
        ask_for_photos=False,
        reply_template=template,
        priority=Priority.NORMAL,
        respond_by=None,
        needs_approval=False,
        rules=("unit-test",),
        guards=(),
        explanation="wrong item reported on the return",
        policy_version="test",
        tenant=world.tid,
        case_id=event["case_id"],
        decided_at=now,
        case_step=1,
    )
    seq = world.services.cases.add_decision(world.tid, event["case_id"], decision)
    return {"tenant": world.tid, "case_id": event["case_id"], "decision": seq}


def test_a_replacement_amazon_will_not_let_us_announce_is_one_task_with_both_reasons(
    world: World,
) -> None:
    # A canceled order: Amazon offers no proactive message, so the announcement fails too.
    order = next(o for o in world.amazon.sim.scenario.orders if o.status == "Canceled")
    world.amazon.used.add(order.order_id)
    action = _return_only_case(world, order.order_id, Action.REPLACE, "replace")
    before = len(world.escalations)

    outcome = act_on(world.services, action)

    assert outcome["reply"]["status"] == "not_offered"
    assert outcome["status"] == CaseStatus.ESCALATED.value
    (task,) = world.escalations[before:]
    assert task.case_id == action["case_id"]
    assert "task: ship a replacement" in task.reasons
    assert any("does not offer unexpectedProblem" in r for r in task.reasons)
    assert task.reasons.index("task: ship a replacement") > 0  # the failed reply came first
