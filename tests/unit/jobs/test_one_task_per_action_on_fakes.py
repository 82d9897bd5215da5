"""One task per case per action: what Act hands to a person for one decision goes out as one
escalation carrying every reason, never as several tasks for the same case."""

from __future__ import annotations

from spconnector.domain import (
    Action,
    CaseStatus,
)
from spconnector.jobs.act import act_on
from tests.unit.jobs.conftest import World


def test_a_replacement_amazon_will_not_let_us_announce_is_one_task_with_both_reasons(
    world: World,
) -> None:
    # A canceled order: Amazon offers no proactive message, so the announcement fails too.
    order = next(o for o in world.amazon.sim.scenario.orders if o.status == "Canceled")
    world.amazon.used.add(order.order_id)
    action = world.return_only_action(order.order_id, Action.REPLACE, "replace")
    before = len(world.escalations)

    outcome = act_on(world.services, action)

    assert outcome["reply"]["status"] == "not_offered"
    assert outcome["status"] == CaseStatus.ESCALATED.value
    (task,) = world.escalations[before:]
    assert task.case_id == action["case_id"]
    assert "task: ship a replacement" in task.reasons
    assert any("does not offer unexpectedProblem" in r for r in task.reasons)
    assert task.reasons.index("task: ship a replacement") > 0  # the failed reply came first
