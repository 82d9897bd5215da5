"""The refund life cycle and the idempotency key."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.money import Money
from spconnector.refunds.model import (
    ADJUSTMENT_ID_PATTERN,
    TRANSITIONS,
    AdjustmentReason,
    IllegalTransition,
    Refund,
    RefundItem,
    RefundState,
    adjustment_id_for,
    merchant_adjustment_item_id,
)

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_adjustment_id_is_deterministic_short_and_plain() -> None:
    a = adjustment_id_for("acme", "acme#order#113-1234567-1234567", "decide-1")
    assert a == adjustment_id_for("acme", "acme#order#113-1234567-1234567", "decide-1")
    assert a != adjustment_id_for("acme", "acme#order#113-1234567-1234567", "decide-2")
    assert a != adjustment_id_for("other", "acme#order#113-1234567-1234567", "decide-1")
    assert re.match(ADJUSTMENT_ID_PATTERN, a)
    item_id = merchant_adjustment_item_id(a, 12)
    assert len(item_id) <= 40 and re.fullmatch(r"[a-z0-9-]+", item_id)


def test_terminal_states_and_table() -> None:
    assert {s for s in RefundState if s.is_terminal} == {
        RefundState.CONFIRMED,
        RefundState.NEEDS_PERSON,
    }
    assert RefundState.CONFIRMED not in TRANSITIONS[RefundState.PROPOSED]


def test_advance_refuses_moves_outside_the_table() -> None:
    refund = Refund(
        tenant="acme",
        marketplace_id="ATVPDKIKX0DER",
        amazon_order_id="113-1234567-1234567",
        adjustment_id=adjustment_id_for("acme", "c", "s"),
        case_id="c",
        decision_step="s",
        fulfillment=FulfillmentChannel.MFN,
        items=(
            RefundItem(
                amazon_order_item_code="1", principal=Money.of(5, "USD"), tax=Money.of("0.4", "USD")
            ),
        ),
        reason=AdjustmentReason.OTHER,
        created_at=NOW,
        updated_at=NOW,
    )
    assert refund.total == Money.of("5.4", "USD")
    with pytest.raises(IllegalTransition):
        refund.advance(RefundState.SUBMITTED, NOW)
    approved = refund.advance(RefundState.APPROVED, NOW, approved_by="ops")
    assert approved.state is RefundState.APPROVED and approved.approved_by == "ops"
    with pytest.raises(IllegalTransition):
        approved.advance(RefundState.CONFIRMED, NOW)
