"""The real python-amazon-sp-api client, through SpApi, over HTTP to the simulator.

Every request SpApi sends is checked against Amazon's models on the way out.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from spconnector.sim import SimServer
from spconnector.sp.deadline import Deadline
from spconnector.sp.errors import CorruptDocument, NotFound, ServerError, Throttled
from spconnector.sp.limiter import InProcessLimiter
from spconnector.sp.retry import RetryPolicy
from spconnector.sp.usage_plans import USAGE_PLANS, UsagePlan
from tests.integration.sp.clients import make_api
from tests.unit.sp.model_check import ModelCatalog


def test_orders(sim: SimServer, catalog: ModelCatalog) -> None:
    api, transport = make_api(sim, catalog)
    expected = sim.scenario.orders[0]
    order = api.get_order(expected.order_id)
    assert order.amazon_order_id == expected.order_id
    assert [(i.sku, i.unit_price.amount, i.quantity) for i in order.items] == [
        (i.sku, i.unit_price, i.quantity) for i in expected.items
    ]
    v0 = api.get_order_v0(expected.order_id)
    assert v0.items == order.items and v0.shipping_price == order.shipping_price
    assert v0.order_status == order.order_status
    assert api.get_order_items(expected.order_id) == order.items
    with pytest.raises(NotFound):
        api.get_order("111-0000000-0000000")
    assert {op for op, _ in transport.calls} >= {
        "orders_2026-01-01:getOrder",
        "ordersV0:getOrder",
        "ordersV0:getOrderItems",
    }


def test_messaging(sim: SimServer, catalog: ModelCatalog) -> None:
    api, transport = make_api(sim, catalog)
    order = next(o for o in sim.scenario.orders if o.status == "Shipped")
    actions = api.get_messaging_actions(order.order_id)
    assert "unexpectedProblem" in actions
    assert api.get_buyer_locale(order.order_id) == order.buyer_locale
    api.create_unexpected_problem(
        order.order_id, "Your parcel is delayed; a new one is on its way."
    )
    if "confirmOrderDetails" in actions:
        api.create_confirm_order_details(order.order_id, "Please confirm the engraving text.")
    assert transport.count("messaging:createUnexpectedProblem", 201) == 1


def test_reports(sim: SimServer, catalog: ModelCatalog) -> None:
    api, _ = make_api(sim, catalog)
    end = sim.scenario.anchor
    report_id = api.create_report(
        "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", end - timedelta(days=30), end
    )
    sim.advance(5)
    report = api.get_report(report_id)
    assert report.processingStatus in ("DONE", "CANCELLED")
    if report.processingStatus == "DONE":
        assert report.reportDocumentId
        text = api.get_report_document(report.reportDocumentId).decode("utf-8")
        assert text.startswith("Order ID\t")


def test_feeds(sim: SimServer, catalog: ModelCatalog) -> None:
    api, _ = make_api(sim, catalog)
    order = next(o for o in sim.scenario.orders if o.status == "Shipped")
    item = order.items[0]
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
<Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>{sim.seller_id}</MerchantIdentifier></Header>
<MessageType>OrderAdjustment</MessageType>
<Message><MessageID>1</MessageID><OrderAdjustment><AmazonOrderID>{order.order_id}</AmazonOrderID>
<AdjustedItem><AmazonOrderItemCode>{item.order_item_id}</AmazonOrderItemCode>
<MerchantAdjustmentItemID>adj-1</MerchantAdjustmentItemID><AdjustmentReason>CustomerReturn</AdjustmentReason>
<ItemPriceAdjustments><Component><Type>Principal</Type>
<Amount currency="{order.currency}">1.00</Amount></Component></ItemPriceAdjustments>
</AdjustedItem></OrderAdjustment></Message></AmazonEnvelope>""".encode()
    since = sim.scenario.anchor - timedelta(days=1)
    content_type = "text/xml; charset=UTF-8"
    document_id, url = api.create_feed_document(content_type)
    api.upload_feed_document(url, xml, content_type)
    feed_id = api.create_feed("POST_PAYMENT_ADJUSTMENT_DATA", document_id, [sim.marketplace_id])
    sim.advance(5)
    feed = api.get_feed(feed_id)
    assert feed.processingStatus == "DONE" and feed.resultFeedDocumentId
    assert feed_id in [f.feedId for f in api.get_feeds(["POST_PAYMENT_ADJUSTMENT_DATA"], since)]
    result = api.get_feed_result_document(feed.resultFeedDocumentId)
    assert b"ProcessingReport" in result
    assert sim.state.refund_count(order.order_id) == 1


def test_notifications(sim: SimServer, catalog: ModelCatalog) -> None:
    api, _ = make_api(sim, catalog)
    destination = api.create_sqs_destination(
        "arn:aws:sqs:us-east-1:123456789012:spconnector-notifications", "spconnector"
    )
    subscription = api.create_subscription("ORDER_CHANGE", destination.destinationId)
    assert subscription.destinationId == destination.destinationId


def test_seller_feedback_rating(sim: SimServer, catalog: ModelCatalog) -> None:
    api, _ = make_api(sim, catalog)
    rating = api.get_seller_feedback_rating(sim.scenario.catalog[0].sku)
    assert (
        rating.count > 0
        and rating.positive_percent is not None
        and 0 <= rating.positive_percent <= 100
    )


def test_verify_credentials(sim: SimServer, catalog: ModelCatalog) -> None:
    api, _ = make_api(sim, catalog)
    api.verify_credentials()


def test_429_path_is_retried_to_success(catalog: ModelCatalog) -> None:
    # A limiter that believes in a bigger burst than Amazon's: the simulator throttles, the
    # layer drains its bucket and waits, every call still succeeds. Time runs 5× fast, not
    # 50×: at 50× Amazon's bucket refilled faster than a loaded machine made the twelve calls,
    # and no 429 came (seen in CI with the machine busy).
    with SimServer(seed=7, time_scale=5.0) as sim:
        plans = {**USAGE_PLANS, "messaging:GetAttributes": UsagePlan(1, 12)}
        api, transport = make_api(
            sim,
            catalog,
            limiter=InProcessLimiter(plans, time_scale=5.0),
            retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.05, max_attempts=10),
        )
        order = sim.scenario.orders[0]
        for _ in range(12):
            api.get_buyer_locale(order.order_id)
        assert transport.count("messaging:GetAttributes", 429) >= 1
        assert transport.count("messaging:GetAttributes", 200) == 12


def test_limiter_keeps_a_burst_under_quota(catalog: ModelCatalog) -> None:
    with SimServer(seed=7, time_scale=20.0) as sim:
        api, transport = make_api(
            sim, catalog, limiter=InProcessLimiter(time_scale=20.0, pace=0.95)
        )
        orders = [o.order_id for o in sim.scenario.orders]
        started = time.monotonic()
        for i in range(45):
            api.get_order_2026(orders[i % len(orders)])
        elapsed = time.monotonic() - started
        assert transport.count("orders_2026-01-01:getOrder", 429) == 0
        assert transport.count("orders_2026-01-01:getOrder", 200) == 45
        assert elapsed >= (45 - 30) / (0.5 * 20.0) * 0.9  # paced after the burst of 30


def test_empty_429_raises_throttled(sim: SimServer, catalog: ModelCatalog) -> None:
    api, _ = make_api(sim, catalog, retry=RetryPolicy(max_attempts=1))
    sim.set_faults(empty_throttle=1.0)
    with pytest.raises(Throttled):
        api.get_order_2026(sim.scenario.orders[0].order_id)


def test_502_html_raises(sim: SimServer, catalog: ModelCatalog) -> None:
    api, transport = make_api(sim, catalog)
    sim.set_faults(bad_gateway_html=1.0)
    with pytest.raises(ServerError) as caught:
        api.get_order_2026(sim.scenario.orders[0].order_id)
    assert caught.value.status == 502 and "non-JSON" in str(caught.value)
    assert transport.count("orders_2026-01-01:getOrder", 502) == api.retry.max_attempts


def test_retries_give_up_inside_the_time_budget(sim: SimServer, catalog: ModelCatalog) -> None:
    budget = 2.0
    api, transport = make_api(
        sim,
        catalog,
        deadline=Deadline.after(budget),
        retry=RetryPolicy(
            max_attempts=50, backoff_base=0.2, backoff_cap=1.0, min_attempt_seconds=0.3
        ),
    )
    sim.set_faults(internal_error=1.0)
    started = time.monotonic()
    with pytest.raises(ServerError):
        api.get_order_2026(sim.scenario.orders[0].order_id)
    assert time.monotonic() - started < budget
    assert transport.count("orders_2026-01-01:getOrder", 500) >= 2


def test_truncated_gzip_document_raises(sim: SimServer, catalog: ModelCatalog) -> None:
    api, _ = make_api(sim, catalog, retry=RetryPolicy(max_attempts=2, backoff_base=0.01))
    end = sim.scenario.anchor
    report_id = api.create_report(
        "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", end - timedelta(days=30), end
    )
    sim.advance(5)
    report = api.get_report(report_id)
    assert report.reportDocumentId, report
    sim.set_faults(truncated_gzip=1.0)
    with pytest.raises(CorruptDocument):
        api.get_report_document(report.reportDocumentId)
