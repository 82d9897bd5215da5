"""Every SpApi call builds a request that Amazon's models accept, and reads the reply."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from spconnector.domain.enums import FulfillmentChannel
from spconnector.sp.client import SpApi
from spconnector.sp.errors import CorruptDocument, NotFound
from tests.unit.sp.conftest import US
from tests.unit.sp.fake_amazon import FakeAmazon, amazon_error, amazon_json

ORDER = "113-1234567-1234567"


def _order_2026() -> dict:
    return {
        "order": {
            "orderId": ORDER,
            "createdTime": "2026-11-01T10:00:00Z",
            "lastUpdatedTime": "2026-11-03T10:00:00Z",
            "salesChannel": {"channelName": "AMAZON", "marketplaceId": US},
            "fulfillment": {
                "fulfillmentStatus": "SHIPPED",
                "fulfilledBy": "MERCHANT",
                "deliverByWindow": {"latestDateTime": "2026-11-05T10:00:00Z"},
            },
            "orderItems": [
                {
                    "orderItemId": "1",
                    "quantityOrdered": 2,
                    "product": {
                        "asin": "B0TEST0001",
                        "sellerSku": "SKU-1",
                        "title": "Garlic press",
                        "price": {"unitPrice": {"amount": "12.50", "currencyCode": "USD"}},
                    },
                    "proceeds": {
                        "proceedsTotal": {"amount": "29.99", "currencyCode": "USD"},
                        "breakdowns": [
                            {
                                "type": "ITEM",
                                "subtotal": {"amount": "25.00", "currencyCode": "USD"},
                            },
                            {
                                "type": "SHIPPING",
                                "subtotal": {"amount": "4.99", "currencyCode": "USD"},
                            },
                        ],
                    },
                }
            ],
            "packages": [{"packageReferenceId": "1", "packageStatus": {"status": "DELIVERED"}}],
        }
    }


def test_get_order_2026_maps_to_domain(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route("GET", f"/orders/2026-01-01/orders/{ORDER}", amazon_json(200, _order_2026()))
    order = api.get_order(ORDER)
    assert order.amazon_order_id == ORDER
    assert order.fulfillment_channel is FulfillmentChannel.MFN
    assert order.items[0].unit_price.amount == Decimal("12.50")
    assert order.items[0].quantity == 2
    assert order.shipping_price is not None and order.shipping_price.amount == Decimal("4.99")
    assert order.delivered_at == datetime(2026, 11, 5, 10, tzinfo=UTC)
    assert amazon.operations == ["orders_2026-01-01:getOrder"]
    # includedData never asks for buyer or recipient PII
    included = amazon.requests[-1].url.params["includedData"].split(",")
    assert "BUYER" not in included and "RECIPIENT" not in included


def test_get_order_falls_back_to_v0(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route(
        "GET",
        f"/orders/2026-01-01/orders/{ORDER}",
        amazon_error(403, "Unauthorized", "Access to requested resource is denied."),
    )
    amazon.route(
        "GET",
        f"/orders/v0/orders/{ORDER}",
        amazon_json(
            200,
            {
                "payload": {
                    "AmazonOrderId": ORDER,
                    "PurchaseDate": "2026-11-01T10:00:00Z",
                    "LastUpdateDate": "2026-11-02T10:00:00Z",
                    "OrderStatus": "Shipped",
                    "FulfillmentChannel": "AFN",
                    "MarketplaceId": US,
                }
            },
        ),
    )
    pages = iter(
        [
            {
                "payload": {
                    "AmazonOrderId": ORDER,
                    "NextToken": "page2",
                    "OrderItems": [
                        {
                            "ASIN": "B0TEST0001",
                            "OrderItemId": "1",
                            "QuantityOrdered": 2,
                            "SellerSKU": "SKU-1",
                            "ItemPrice": {"CurrencyCode": "USD", "Amount": "25.00"},
                            "ShippingPrice": {"CurrencyCode": "USD", "Amount": "4.99"},
                        }
                    ],
                }
            },
            {
                "payload": {
                    "AmazonOrderId": ORDER,
                    "OrderItems": [
                        {
                            "ASIN": "B0TEST0002",
                            "OrderItemId": "2",
                            "QuantityOrdered": 1,
                            "SellerSKU": "SKU-2",
                            "ItemPrice": {"CurrencyCode": "USD", "Amount": "5.00"},
                        }
                    ],
                }
            },
        ]
    )
    amazon.route(
        "GET", f"/orders/v0/orders/{ORDER}/orderItems", lambda r: amazon_json(200, next(pages))
    )
    order = api.get_order(ORDER)
    assert order.fulfillment_channel is FulfillmentChannel.FBA
    assert order.order_status == "SHIPPED"
    assert [(i.sku, i.unit_price.amount) for i in order.items] == [
        ("SKU-1", Decimal("12.50")),
        ("SKU-2", Decimal("5.00")),
    ]
    assert order.shipping_price is not None and order.shipping_price.amount == Decimal("4.99")
    assert amazon.operations == [
        "orders_2026-01-01:getOrder",
        "ordersV0:getOrder",
        "ordersV0:getOrderItems",
        "ordersV0:getOrderItems",
    ]
    assert amazon.requests[-1].url.params["NextToken"] == "page2"


def test_unknown_order_is_not_found(api: SpApi, amazon: FakeAmazon) -> None:
    with pytest.raises(NotFound) as caught:
        api.get_order(ORDER)
    assert caught.value.status == 404


def test_messaging_calls(api: SpApi, amazon: FakeAmazon) -> None:
    base = f"/messaging/v1/orders/{ORDER}"
    amazon.route(
        "GET",
        base,
        amazon_json(
            200,
            {
                "_links": {
                    "self": {"href": base},
                    "actions": [
                        {
                            "href": f"{base}/messages/unexpectedProblem?marketplaceIds={US}",
                            "name": "unexpectedProblem",
                        },
                        {"href": f"{base}/messages/confirmOrderDetails?marketplaceIds={US}"},
                    ],
                },
                "_embedded": {"actions": []},
            },
        ),
    )
    amazon.route("GET", base + "/attributes", amazon_json(200, {"buyer": {"locale": "de-DE"}}))
    amazon.route("POST", base + "/messages/unexpectedProblem", httpx.Response(201))
    amazon.route("POST", base + "/messages/confirmOrderDetails", amazon_json(201, {}))
    assert api.get_messaging_actions(ORDER) == ["unexpectedProblem", "confirmOrderDetails"]
    assert api.get_buyer_locale(ORDER) == "de-DE"
    api.create_unexpected_problem(ORDER, "Your parcel is delayed; we are on it.")
    api.create_confirm_order_details(ORDER, "Which colour would you like?")
    assert json.loads(amazon.requests[-1].content) == {"text": "Which colour would you like?"}
    assert amazon.operations == [
        "messaging:getMessagingActionsForOrder",
        "messaging:GetAttributes",
        "messaging:createUnexpectedProblem",
        "messaging:createConfirmOrderDetails",
    ]
    with pytest.raises(ValueError):
        api.create_unexpected_problem(ORDER, "x" * 2001)


def test_reports_calls_and_gzip(api: SpApi, amazon: FakeAmazon) -> None:
    data = b"Order ID\tOrder date\n113-1234567-1234567\t2026-11-01\n"
    amazon.route("POST", "/reports/2021-06-30/reports", amazon_json(202, {"reportId": "R1"}))
    amazon.route(
        "GET",
        "/reports/2021-06-30/reports/R1",
        amazon_json(
            200,
            {
                "reportId": "R1",
                "reportType": "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
                "processingStatus": "DONE",
                "createdTime": "2026-11-20T10:00:00Z",
                "reportDocumentId": "D1",
            },
        ),
    )
    amazon.route(
        "GET",
        "/reports/2021-06-30/documents/D1",
        amazon_json(
            200,
            {
                "reportDocumentId": "D1",
                "url": "http://docs.test/D1",
                "compressionAlgorithm": "GZIP",
            },
        ),
    )
    amazon.route("GET", "/D1", httpx.Response(200, content=gzip.compress(data)))
    report_id = api.create_report(
        "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2026, 11, 20, tzinfo=UTC),
    )
    assert report_id == "R1"
    body = json.loads(amazon.requests[-1].content)
    assert body["dataStartTime"] == "2026-11-01T00:00:00Z" and body["marketplaceIds"] == [US]
    report = api.get_report("R1")
    assert report.processingStatus == "DONE" and report.reportDocumentId == "D1"
    assert api.get_report_document("D1") == data
    download = amazon.requests[-1]
    assert "x-amz-access-token" not in download.headers  # a presigned URL gets no SP-API token
    assert amazon.operations == [
        "reports_2021-06-30:createReport",
        "reports_2021-06-30:getReport",
        "reports_2021-06-30:getReportDocument",
    ]


def test_truncated_gzip_is_retried_then_corrupt(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route(
        "GET",
        "/reports/2021-06-30/documents/D2",
        amazon_json(
            200,
            {
                "reportDocumentId": "D2",
                "url": "http://docs.test/D2",
                "compressionAlgorithm": "GZIP",
            },
        ),
    )
    amazon.route("GET", "/D2", httpx.Response(200, content=gzip.compress(b"x" * 1000)[:20]))
    with pytest.raises(CorruptDocument):
        api.get_report_document("D2")
    downloads = [r for r in amazon.requests if r.url.host == "docs.test"]
    assert len(downloads) == api.retry.max_attempts


def test_feeds_calls(api: SpApi, amazon: FakeAmazon) -> None:
    result = b"<?xml version='1.0'?><AmazonEnvelope/>"
    amazon.route(
        "POST",
        "/feeds/2021-06-30/documents",
        amazon_json(201, {"feedDocumentId": "FD1", "url": "http://docs.test/upload/FD1"}),
    )
    amazon.route("PUT", "/upload/FD1", httpx.Response(200))
    amazon.route("POST", "/feeds/2021-06-30/feeds", amazon_json(202, {"feedId": "F1"}))
    feed = {
        "feedId": "F1",
        "feedType": "POST_PAYMENT_ADJUSTMENT_DATA",
        "processingStatus": "DONE",
        "createdTime": "2026-11-20T10:00:00Z",
        "marketplaceIds": [US],
        "resultFeedDocumentId": "RD1",
    }
    amazon.route("GET", "/feeds/2021-06-30/feeds/F1", amazon_json(200, feed))
    pages = iter([{"feeds": [feed], "nextToken": "n2"}, {"feeds": [{**feed, "feedId": "F0"}]}])
    amazon.route("GET", "/feeds/2021-06-30/feeds", lambda r: amazon_json(200, next(pages)))
    amazon.route(
        "GET",
        "/feeds/2021-06-30/documents/RD1",
        amazon_json(200, {"feedDocumentId": "RD1", "url": "http://docs.test/RD1"}),
    )
    amazon.route("GET", "/RD1", httpx.Response(200, content=result))

    doc_id, url = api.create_feed_document("text/xml; charset=UTF-8")
    assert (doc_id, url) == ("FD1", "http://docs.test/upload/FD1")
    api.upload_feed_document(url, b"<AmazonEnvelope/>", "text/xml; charset=UTF-8")
    upload = amazon.requests[-1]
    assert (
        upload.content == b"<AmazonEnvelope/>"
        and upload.headers["content-type"] == "text/xml; charset=UTF-8"
    )
    assert api.create_feed("POST_PAYMENT_ADJUSTMENT_DATA", doc_id, [US]) == "F1"
    assert json.loads(amazon.requests[-1].content) == {
        "feedType": "POST_PAYMENT_ADJUSTMENT_DATA",
        "marketplaceIds": [US],
        "inputFeedDocumentId": "FD1",
    }
    assert api.get_feed("F1").resultFeedDocumentId == "RD1"
    feeds = api.get_feeds(
        ["POST_PAYMENT_ADJUSTMENT_DATA"], datetime(2026, 11, 19, tzinfo=UTC), [US]
    )
    assert [f.feedId for f in feeds] == ["F1", "F0"]
    listing = [
        r for r in amazon.requests if r.url.path == "/feeds/2021-06-30/feeds" and r.method == "GET"
    ]
    assert listing[0].url.params["createdSince"] == "2026-11-19T00:00:00Z"
    assert dict(listing[1].url.params) == {"nextToken": "n2"}
    assert api.get_feed_result_document("RD1") == result


def test_notifications_calls(api: SpApi, amazon: FakeAmazon) -> None:
    arn = "arn:aws:sqs:us-east-1:123456789012:sp-notifications"
    amazon.route(
        "POST",
        "/notifications/v1/destinations",
        amazon_json(
            200,
            {
                "payload": {
                    "destinationId": "DEST1",
                    "name": "spconnector",
                    "resource": {"sqs": {"arn": arn}},
                }
            },
        ),
    )
    amazon.route(
        "POST",
        "/notifications/v1/subscriptions/ORDER_CHANGE",
        amazon_json(
            200,
            {
                "payload": {
                    "subscriptionId": "SUB1",
                    "destinationId": "DEST1",
                    "payloadVersion": "1.0",
                }
            },
        ),
    )
    destination = api.create_sqs_destination(arn, "spconnector")
    assert destination.destinationId == "DEST1"
    grantless = [t for t in amazon.token_requests if t["grant_type"] == "client_credentials"]
    assert grantless and grantless[0]["scope"] == "sellingpartnerapi::notifications"
    assert api.create_subscription("ORDER_CHANGE", "DEST1").subscriptionId == "SUB1"
    assert amazon.operations == [
        "notifications:createDestination",
        "notifications:createSubscription",
    ]


def test_seller_feedback_rating_from_own_offer(api: SpApi, amazon: FakeAmazon) -> None:
    def offer(mine: bool, pct: float, count: int) -> dict:
        return {
            "MyOffer": mine,
            "SubCondition": "new",
            "IsFulfilledByAmazon": False,
            "ListingPrice": {"CurrencyCode": "USD", "Amount": 10},
            "Shipping": {"CurrencyCode": "USD", "Amount": 0},
            "ShippingTime": {},
            "SellerFeedbackRating": {"SellerPositiveFeedbackRating": pct, "FeedbackCount": count},
        }

    amazon.route(
        "GET",
        "/products/pricing/v0/listings/SKU%2F1/offers",
        amazon_json(
            200,
            {
                "payload": {
                    "marketplaceId": US,
                    "SKU": "SKU/1",
                    "ItemCondition": "New",
                    "status": "Success",
                    "Identifier": {"MarketplaceId": US, "ItemCondition": "New"},
                    "Summary": {"TotalOfferCount": 2},
                    "Offers": [offer(False, 99.0, 5000), offer(True, 97.0, 1234)],
                }
            },
        ),
    )
    rating = api.get_seller_feedback_rating("SKU/1")
    assert (rating.positive_percent, rating.count) == (97.0, 1234)
    assert amazon.operations == ["productPricingV0:getListingOffers"]


def test_refund_feeds_draw_one_create_feed_token_per_call(amazon: FakeAmazon) -> None:
    """Refunds pace createFeed through the client's limiter only: the token SpFeeds takes
    ahead (without waiting) is the one createFeed spends — not a second one."""
    from spconnector.sp.feeds import CREATE_FEED
    from spconnector.sp.feeds_adapter import SpFeeds
    from spconnector.sp.limiter import InProcessLimiter
    from tests.unit.sp.conftest import CREDENTIALS, SELLER
    from tests.unit.sp.fake_amazon import ENDPOINT, LWA_URL

    amazon.route("POST", "/feeds/2021-06-30/feeds", amazon_json(202, {"feedId": "F1"}))
    limiter = InProcessLimiter(clock=lambda: 0.0)  # time stands still: no refill
    api = SpApi(
        CREDENTIALS,
        seller_id=SELLER,
        marketplace_id=US,
        endpoint=ENDPOINT,
        lwa_url=LWA_URL,
        limiter=limiter,
        transport=amazon.transport,
    )
    feeds = SpFeeds(api)
    full = limiter.tokens(SELLER, CREATE_FEED)
    assert feeds.take_create_feed_token() == 0.0
    assert feeds.take_create_feed_token() == 0.0  # held: not taken twice
    assert feeds.create_feed("POST_PAYMENT_ADJUSTMENT_DATA", "FD1", [US]) == "F1"
    assert limiter.tokens(SELLER, CREATE_FEED) == full - 1
    # Without a token taken ahead, createFeed takes its own, as any call does.
    assert feeds.create_feed("POST_PAYMENT_ADJUSTMENT_DATA", "FD1", [US]) == "F1"
    assert limiter.tokens(SELLER, CREATE_FEED) == full - 2
    api.close()
