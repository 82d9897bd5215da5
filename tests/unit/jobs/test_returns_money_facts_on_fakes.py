"""A return Amazon already refunded, claimed or settles itself never gets a refund of ours,
end to end on fakes: a returns-report row (bytes, as PollReturns gets them) → parse →
ingest → ProcessCase → the decision. The same row without the money fact is refunded, so
each check below can fail."""

from __future__ import annotations

from typing import Any

import pytest

from spconnector.domain.enums import Action, FulfillmentChannel
from spconnector.intake.returns import parse_returns
from spconnector.jobs.ingest import ingest_returns
from spconnector.jobs.process_case import process_case_event
from tests.unit.jobs.conftest import World

HEADER = (
    "Order ID\tOrder date\tReturn request date\tReturn request status\tAmazon RMA ID\t"
    "Currency code\tA-to-z claim\tMerchant SKU\tReturn quantity\tReturn Reason\tIn policy\t"
    "Resolution\tOrder Amount\tSafeT claim ID\tSafeT claim state\tRefunded Amount"
)
_RMA = iter(range(1, 1000))


def _decide(world: World, **cells: str) -> tuple[Any, dict[str, Any]]:
    order = world.order(channel="MFN", max_total=40.0)
    item = order.items[0]
    price = f"{float(item.unit_price):.2f}"
    when = (world.now()).strftime("%d-%b-%Y")
    row = {
        "Order ID": order.order_id,
        "Order date": when,
        "Return request date": when,
        "Return request status": "Approved",
        "Amazon RMA ID": f"DMONEY{next(_RMA):04d}RMA",
        "Currency code": "USD",
        "A-to-z claim": "N",
        "Merchant SKU": item.sku,
        "Return quantity": "1",
        "Return Reason": "CR-DAMAGED_BY_CARRIER",
        "In policy": "Y",
        "Resolution": "StandardRefund",
        "Order Amount": price,
        "SafeT claim ID": "",
        "SafeT claim state": "",
        "Refunded Amount": "",
    }
    row.update({k: v.replace("{price}", price) for k, v in cells.items()})
    report = (HEADER + "\n" + "\t".join(row[h] for h in HEADER.split("\t")) + "\n").encode()
    parsed = parse_returns(report, fulfillment=FulfillmentChannel.MFN)
    assert parsed.quarantined == [] and len(parsed.records) == 1
    assert ingest_returns(world.services, world.tenant, parsed.records).ingested == 1
    (event,) = world.drain("case_events")
    outcome = process_case_event(world.services, event)
    (decision,) = world.services.cases.decisions(world.tid, event["case_id"])
    return decision, outcome


def test_the_same_row_without_a_money_fact_is_refunded(world: World) -> None:
    decision, _ = _decide(world)
    assert decision.action in (Action.REFUND_WITHOUT_RETURN, Action.REFUND_ON_RETURN), decision
    assert "return_settled_by_amazon" not in decision.guards


@pytest.mark.parametrize(
    ("cells", "says"),
    [
        ({"Refunded Amount": "{price}"}, "already refunded"),
        ({"A-to-z claim": "Y"}, "A-to-z"),
        ({"SafeT claim ID": "2980009999", "SafeT claim state": "Under review"}, "SafeT"),
        ({"Resolution": "ReturnlessRefund", "Refunded Amount": ""}, "returnless"),
        ({"Resolution": "RefundAtFirstScan"}, "first scan"),
    ],
)
def test_a_row_amazon_settles_is_never_refunded_by_us(
    world: World, cells: dict[str, str], says: str
) -> None:
    decision, _ = _decide(world, **cells)

    assert decision.refund is None
    assert decision.action not in (Action.REFUND_WITHOUT_RETURN, Action.REFUND_ON_RETURN)
    assert decision.action in (Action.ESCALATE_REVIEW, Action.ESCALATE_OWNER), decision
    assert says.lower() in decision.explanation.lower(), decision.explanation
    if "A-to-z claim" not in cells:  # a claim is already a person's by the default policy
        assert "return_settled_by_amazon" in decision.guards, decision.guards
