"""The OrderMirror port: an older read never overwrites a newer one, a change seen after a read
makes it stale (even a change seen before the order was first stored), the cursor only moves
forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from spconnector.aws.order_mirror import DynamoOrderMirror
from spconnector.domain import FulfillmentChannel, Money, Order, OrderItem
from spconnector.memory.order_mirror import MemoryOrderMirror
from spconnector.mirror import OrderMirror
from tests.unit.contracts.conftest import ADAPTERS, TABLE, run_together

ORDER_ID = "111-0000000-0000001"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _order(status: str, order_id: str = ORDER_ID) -> Order:
    return Order(
        amazon_order_id=order_id,
        marketplace_id="ATVPDKIKX0DER",
        purchase_date=T0 - timedelta(days=5),
        delivered_at=T0 - timedelta(days=2),
        fulfillment_channel=FulfillmentChannel.MFN,
        items=(
            OrderItem(
                sku="SKU-1", quantity=1, unit_price=Money(amount=Decimal("19.99"), currency="USD")
            ),
        ),
        order_status=status,
    )


@pytest.fixture(params=ADAPTERS)
def mirror(request: pytest.FixtureRequest) -> OrderMirror:
    if request.param == "memory":
        return MemoryOrderMirror()
    return DynamoOrderMirror(client=request.getfixturevalue("ddb"), table=TABLE)


def test_an_order_never_read_is_not_there(mirror: OrderMirror) -> None:
    assert mirror.get("acme", ORDER_ID) is None
    mirror.put("acme", _order("Shipped"), read_at=T0, now=T0)
    assert mirror.get("other", ORDER_ID) is None
    assert mirror.get("acme", "111-0000000-0000002") is None


def test_a_newer_read_replaces_an_older_one_never_the_reverse(mirror: OrderMirror) -> None:
    assert mirror.put("acme", _order("Unshipped"), read_at=T0, now=T0) is True
    assert mirror.put("acme", _order("Shipped"), read_at=T0 + timedelta(hours=1), now=T0)
    assert (
        mirror.put("acme", _order("Unshipped"), read_at=T0 + timedelta(minutes=5), now=T0) is False
    )
    got = mirror.get("acme", ORDER_ID)
    assert got is not None and got.fresh
    assert got.order == _order("Shipped") and got.read_at == T0 + timedelta(hours=1)


def test_a_change_after_the_read_makes_it_stale_until_read_again(mirror: OrderMirror) -> None:
    mirror.put("acme", _order("Unshipped"), read_at=T0, now=T0)
    mirror.mark_changed("acme", ORDER_ID, T0 + timedelta(minutes=10))
    mirror.mark_changed("acme", ORDER_ID, T0 + timedelta(minutes=5))  # an older notice
    got = mirror.get("acme", ORDER_ID)
    assert got is not None and not got.fresh
    assert got.changed_at == T0 + timedelta(minutes=10)
    mirror.put("acme", _order("Shipped"), read_at=T0 + timedelta(minutes=11), now=T0)
    got = mirror.get("acme", ORDER_ID)
    assert got is not None and got.fresh and got.order.order_status == "Shipped"


def test_a_change_seen_before_the_first_store_still_counts(mirror: OrderMirror) -> None:
    mirror.mark_changed("acme", ORDER_ID, T0 + timedelta(minutes=10))
    assert mirror.get("acme", ORDER_ID) is None
    mirror.put("acme", _order("Unshipped"), read_at=T0, now=T0 + timedelta(minutes=20))
    got = mirror.get("acme", ORDER_ID)
    assert got is not None and not got.fresh


def test_the_cursor_only_moves_forward(mirror: OrderMirror) -> None:
    assert mirror.cursor("acme") is None
    mirror.set_cursor("acme", T0)
    mirror.set_cursor("acme", T0 - timedelta(hours=1))
    assert mirror.cursor("acme") == T0
    mirror.set_cursor("acme", T0 + timedelta(hours=1))
    assert mirror.cursor("acme") == T0 + timedelta(hours=1)
    assert mirror.cursor("other") is None


def test_of_concurrent_reads_the_latest_stays(mirror: OrderMirror) -> None:
    statuses = ["Unshipped", "Shipped", "Delivered", "Shipped", "Unshipped", "Shipped"]
    run_together(
        6,
        lambda i: mirror.put(
            "acme", _order(statuses[i]), read_at=T0 + timedelta(minutes=i), now=T0
        ),
    )
    got = mirror.get("acme", ORDER_ID)
    assert got is not None and got.read_at == T0 + timedelta(minutes=5)
    assert got.order.order_status == statuses[5]
