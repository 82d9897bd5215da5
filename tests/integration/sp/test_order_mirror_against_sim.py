"""searchOrders paging and ORDER_CHANGE from the simulator, through the real client over HTTP,
kept in the order mirror (in memory and in moto's DynamoDB); a case reads the mirror and
calls getOrder only on a miss."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import jsonschema
import pytest
from moto import mock_aws

from spconnector.aws.order_mirror import DynamoOrderMirror
from spconnector.aws.table import create_table
from spconnector.memory.order_mirror import MemoryOrderMirror
from spconnector.mirror import OrderMirror, catch_up, order_context
from spconnector.mirror.sync import apply_order_change
from spconnector.sim import SimServer
from spconnector.sim.order_changes import change_order, generated_orders, place_order
from spconnector.sp.orders_search import search_orders_page
from tests.integration.sp.clients import make_api

TENANT = "acme"


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(seed=7, time_scale=1e-6) as server:  # time moves only when advanced
        yield server


@pytest.fixture
def memory() -> MemoryOrderMirror:
    return MemoryOrderMirror()


@pytest.fixture
def dynamo() -> Iterator[DynamoOrderMirror]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        yield DynamoOrderMirror(table=create_table(client, "mirror-test"), client=client)


def _operations(transport: Any) -> list[str]:
    return [op for op, _status in transport.calls if op.startswith("orders_")]


def test_search_orders_pages_with_included_data(sim: SimServer, catalog: Any) -> None:
    api, transport = make_api(sim, catalog)  # every request checked against Amazon's model
    since = sim.clock.now() - timedelta(days=60)
    first = search_orders_page(api, last_updated_after=since, page_size=25)
    assert len(first.orders) == 25 and first.next_token and not first.skipped
    rest = search_orders_page(api, last_updated_after=since, next_token=first.next_token)
    assert rest.next_token is None
    ids = [o.amazon_order_id for o in (*first.orders, *rest.orders)]
    expected = {o.order_id for o in sim.scenario.orders if o.last_update >= since}
    assert len(ids) == len(set(ids)) and set(ids) == expected
    # the page's orders are as complete as getOrder's (prices, channel, delivery)
    one = sim.scenario.orders[0]
    paged = next(o for o in (*first.orders, *rest.orders) if o.amazon_order_id == one.order_id)
    assert paged == api.get_order(one.order_id)
    assert _operations(transport).count("orders_2026-01-01:searchOrders") == 2


def test_order_change_notification_matches_amazons_schema(
    sim: SimServer, sp_api_models: Path
) -> None:
    seen: list[dict[str, Any]] = []
    sim.on_notification(seen.append)
    order = sim.scenario.orders[-1]  # an unshipped merchant order
    at = sim.clock.now()
    change_order(sim, order.order_id, at, status="Shipped", shipped_at=at)
    (notification,) = seen
    schema = json.loads((sp_api_models / "OrderChangeNotification.json").read_text())
    jsonschema.Draft7Validator(schema).validate(notification)
    detail = notification["Payload"]["OrderChangeNotification"]
    assert detail["AmazonOrderId"] == order.order_id
    assert detail["Summary"]["OrderStatus"] == "Shipped"
    assert sim.scenario.order(order.order_id).last_update == at  # type: ignore[union-attr]


@pytest.mark.parametrize("store", ["memory", "dynamo"])
def test_mirror_kept_current_from_order_change_and_the_cursor(
    sim: SimServer,
    catalog: Any,
    store: str,
    request: pytest.FixtureRequest,
) -> None:
    mirror: OrderMirror = request.getfixturevalue(store)
    api, transport = make_api(sim, catalog)
    sim.on_notification(lambda n: apply_order_change(mirror, TENANT, n, sim.clock.now()))
    now = sim.clock.now()
    first = catch_up(api, mirror, TENANT, now)
    assert first.complete and first.stored == len(sim.scenario.orders) and first.calls == 1
    assert mirror.cursor(TENANT) == first.cursor

    # served from the mirror: no SP-API call
    order = sim.scenario.orders[3]
    before = len(transport.calls)
    hit = order_context(api, mirror, TENANT, order.order_id, now)
    assert hit.from_mirror and len(transport.calls) == before
    assert hit.order == api.get_order(order.order_id)

    # Amazon changes the order: ORDER_CHANGE makes the entry stale, the case calls getOrder
    sim.advance(600)
    unshipped = sim.scenario.orders[-1]
    at = sim.clock.now()
    change_order(sim, unshipped.order_id, at, status="Canceled", reason="Buyer Requested Cancel")
    sim.advance(60)
    miss = order_context(api, mirror, TENANT, unshipped.order_id, sim.clock.now())
    assert not miss.from_mirror and miss.order.order_status == "CANCELLED"
    again = order_context(api, mirror, TENANT, unshipped.order_id, sim.clock.now())
    assert again.from_mirror and again.order == miss.order  # the fresh answer was stored

    # new orders arrive; the next incremental search brings only what changed since
    new = generated_orders(sim, 130, seed=11)
    for n, fresh in enumerate(new):
        place_order(sim, fresh, sim.clock.now() + timedelta(seconds=n))
    sim.advance(3600)
    calls_before = _operations(transport).count("orders_2026-01-01:searchOrders")
    second = catch_up(api, mirror, TENANT, sim.clock.now())
    assert second.complete and second.calls == 2  # 130 (+ the cancelled one) in 2 pages
    assert _operations(transport).count("orders_2026-01-01:searchOrders") == calls_before + 2
    assert second.stored >= 130 and second.cursor is not None and second.cursor > first.cursor
    placed = order_context(api, mirror, TENANT, new[-1].order_id, sim.clock.now())
    assert placed.from_mirror and placed.order.order_status == "UNSHIPPED"

    # an entry nothing has confirmed for longer than MAX_UNCONFIRMED is not trusted
    sim.advance(3 * 3600)
    old = order_context(api, mirror, TENANT, order.order_id, sim.clock.now())
    assert not old.from_mirror


def test_older_read_never_overwrites_newer_and_cursor_never_moves_back(
    dynamo: DynamoOrderMirror,
    sim: SimServer,
    catalog: Any,
) -> None:
    api, _ = make_api(sim, catalog)
    order = api.get_order(sim.scenario.orders[0].order_id)
    now = sim.clock.now()
    assert dynamo.put(TENANT, order, read_at=now, now=now)
    assert not dynamo.put(TENANT, order, read_at=now - timedelta(minutes=5), now=now)
    dynamo.mark_changed(TENANT, order.amazon_order_id, now + timedelta(seconds=1))
    entry = dynamo.get(TENANT, order.amazon_order_id)
    assert entry is not None and not entry.fresh and entry.order == order
    dynamo.set_cursor(TENANT, now)
    dynamo.set_cursor(TENANT, now - timedelta(hours=1))
    assert dynamo.cursor(TENANT) == now
    # a change for an order not mirrored yet is kept: a read from before it stays stale
    other = api.get_order(sim.scenario.orders[1].order_id)
    dynamo.mark_changed(TENANT, other.amazon_order_id, now)
    assert dynamo.get(TENANT, other.amazon_order_id) is None
    dynamo.put(TENANT, other, read_at=now - timedelta(seconds=30), now=now)
    stale = dynamo.get(TENANT, other.amazon_order_id)
    assert stale is not None and not stale.fresh
