"""ProcessCase and the order mirror on fakes: a case is decided on the mirrored order without
calling getOrder, but a decision that would move money is made on the order as Amazon has it
at that moment, and decided again when the mirror's copy differs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from spconnector.domain import Action, Money, Order
from spconnector.jobs.process_case import process_case_event
from spconnector.sp.client import SpApi
from spconnector.sp.errors import NotFound
from tests.unit.jobs.conftest import World

DEFECT = "The item arrived broken, it does not work at all."


@pytest.fixture
def get_order_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every getOrder the client makes (the real call still goes to the simulator)."""
    calls: list[str] = []
    real = SpApi.get_order

    def counted(self: SpApi, order_id: str) -> Order:
        calls.append(order_id)
        return real(self, order_id)

    monkeypatch.setattr(SpApi, "get_order", counted)
    return calls


def _mirror(world: World, order: Order) -> None:
    now = world.now()
    assert world.services.order_mirror.put(world.tid, order, read_at=now, now=now)


def _decide(world: World, order_id: str, body: str) -> tuple[str, Any]:
    case_id, events = world.ingest(order_id, body)
    for event in events:
        process_case_event(world.services, event)
    decisions = world.services.cases.decisions(world.tid, case_id)
    return case_id, decisions[-1]


def test_a_question_is_decided_on_the_mirrored_order_without_get_order(
    world: World, get_order_calls: list[str]
) -> None:
    ordered = world.order(channel="MFN", max_total=30)
    amazons = world.services.sp(world.tenant).get_order(ordered.order_id)
    _mirror(world, amazons)
    get_order_calls.clear()

    _, decision = _decide(world, ordered.order_id, "Do you have this in blue?")

    assert not decision.action.moves_money
    assert get_order_calls == []


def test_a_refund_is_decided_on_amazons_current_order_not_the_mirrors_copy(
    world: World, get_order_calls: list[str]
) -> None:
    ordered = world.order(channel="MFN", max_total=30)
    amazons = world.services.sp(world.tenant).get_order(ordered.order_id)
    # a copy that no longer matches Amazon (as when an ORDER_CHANGE is still on its way):
    # ten times the price, over the tenant's autonomy limit
    inflated = amazons.model_copy(
        update={
            "items": tuple(
                item.model_copy(
                    update={
                        "unit_price": Money(
                            amount=item.unit_price.amount * 10, currency=item.unit_price.currency
                        )
                    }
                )
                for item in amazons.items
            )
        }
    )
    assert inflated.charged_total.amount > amazons.charged_total.amount
    _mirror(world, inflated)
    get_order_calls.clear()

    _, decision = _decide(world, ordered.order_id, DEFECT)

    assert decision.action.moves_money and decision.refund is not None
    assert get_order_calls == [ordered.order_id]  # read again before money is decided on
    assert Decimal(0) < decision.refund.amount <= amazons.charged_total.amount
    entry = world.services.order_mirror.get(world.tid, ordered.order_id)
    assert entry is not None and entry.order == amazons  # the fresh read replaced the copy


def test_a_refund_on_an_order_the_mirror_does_not_hold_reads_it_once(
    world: World, get_order_calls: list[str]
) -> None:
    ordered = world.order(channel="MFN", max_total=30)

    _, decision = _decide(world, ordered.order_id, DEFECT)

    assert decision.action.moves_money
    assert get_order_calls == [ordered.order_id]  # the miss read is already current


def test_a_refund_on_a_mirrored_order_amazon_no_longer_knows_goes_to_a_person(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ordered = world.order(channel="MFN", max_total=30)
    _mirror(world, world.services.sp(world.tenant).get_order(ordered.order_id))

    def not_found(self: SpApi, order_id: str) -> Order:
        raise NotFound("getOrder", f"order {order_id} not found", status=404)

    monkeypatch.setattr(SpApi, "get_order", not_found)
    _, decision = _decide(world, ordered.order_id, DEFECT)

    assert not decision.action.moves_money and decision.refund is None
    assert decision.action is Action.ESCALATE_REVIEW
