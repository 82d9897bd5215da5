"""Every operation over HTTP; every JSON answer validated against Amazon's models."""

from __future__ import annotations

import gzip

import httpx

from spconnector.sim import SimServer
from spconnector.sim.relay_mail import SELLER_ADDRESS

from .conftest import ModelValidator, SpClient

ORDERS_2026 = "orders_2026-01-01"
REPORTS = "reports_2021-06-30"
FEEDS = "feeds_2021-06-30"


def test_orders(sim: SimServer, client: SpClient, models: ModelValidator) -> None:
    order_ids = httpx.get(f"{sim.base_url}/_sim/orders").json()
    assert order_ids == sim.scenario.order_ids
    all_data = "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES"
    # 25 of them: getOrder's burst is 30, and the bucket is real.
    for order_id in order_ids[:25]:
        r = client.get(f"/orders/2026-01-01/orders/{order_id}", params={"includedData": all_data})
        assert r.status_code == 200
        models.check(ORDERS_2026, "getOrder", r)
        assert r.json()["order"]["orderId"] == order_id
    r = client.get(
        "/orders/2026-01-01/orders",
        params={
            "createdAfter": "2020-01-01T00:00:00Z",
            "maxResultsPerPage": "25",
            "includedData": "FULFILLMENT",
        },
    )
    models.check(ORDERS_2026, "searchOrders", r)
    seen = [o["orderId"] for o in r.json()["orders"]]
    token = r.json()["pagination"]["nextToken"]
    while token:
        r = client.get(
            "/orders/2026-01-01/orders",
            params={
                "createdAfter": "2020-01-01T00:00:00Z",
                "paginationToken": token,
                "maxResultsPerPage": "25",
            },
        )
        models.check(ORDERS_2026, "searchOrders", r)
        seen += [o["orderId"] for o in r.json()["orders"]]
        token = r.json().get("pagination", {}).get("nextToken")
    assert sorted(seen) == sorted(order_ids)
    for order_id in order_ids[:20]:
        r = client.get(f"/orders/v0/orders/{order_id}")
        models.check("ordersV0", "getOrder", r)
        r = client.get(f"/orders/v0/orders/{order_id}/orderItems")
        models.check("ordersV0", "getOrderItems", r)
    r = client.get("/orders/v0/orders/999-0000000-0000000")
    assert r.status_code == 404
    models.check("ordersV0", "getOrder", r)


def test_orders_2026_and_v0_agree_on_money(sim: SimServer, client: SpClient) -> None:
    for order in sim.scenario.orders[:10]:
        new = client.get(
            f"/orders/2026-01-01/orders/{order.order_id}", params={"includedData": "PROCEEDS"}
        ).json()["order"]
        old = client.get(f"/orders/v0/orders/{order.order_id}/orderItems").json()["payload"]
        for item_new, item_old in zip(new["orderItems"], old["OrderItems"], strict=True):
            parts = {b["type"]: b["subtotal"]["amount"] for b in item_new["proceeds"]["breakdowns"]}
            assert parts["ITEM"] == item_old["ItemPrice"]["Amount"]
            assert parts["SHIPPING"] == item_old["ShippingPrice"]["Amount"]
            assert parts["TAX"] == item_old["ItemTax"]["Amount"]


def test_messaging(sim: SimServer, client: SpClient, models: ModelValidator) -> None:
    market = {"marketplaceIds": sim.marketplace_id}
    unshipped = next(o for o in sim.scenario.orders if o.status == "Unshipped")
    base = f"/messaging/v1/orders/{unshipped.order_id}"
    r = client.get(base, params=market)
    models.check("messaging", "getMessagingActionsForOrder", r)
    names = {a["name"] for a in r.json()["_links"]["actions"]}
    assert names == {"unexpectedProblem", "confirmOrderDetails"}
    r = client.get(f"{base}/attributes", params=market)
    models.check("messaging", "GetAttributes", r)
    assert r.json()["buyer"]["locale"] == unshipped.buyer_locale
    r = client.post(
        f"{base}/messages/unexpectedProblem",
        params=market,
        json={"text": "Your parcel is delayed by a day. Sorry!"},
    )
    assert r.status_code == 201
    models.check("messaging", "createUnexpectedProblem", r)
    r = client.post(
        f"{base}/messages/confirmOrderDetails",
        params=market,
        json={"text": "Which engraving text would you like?"},
    )
    assert r.status_code == 201
    models.check("messaging", "createConfirmOrderDetails", r)
    assert [m.kind for m in sim.state.messages_sent] == [
        "createUnexpectedProblem",
        "createConfirmOrderDetails",
    ]
    for bad in (
        {"text": ""},
        {"text": "x" * 2001},
        {"text": "<b>hi</b>"},
        {"text": f"write to {SELLER_ADDRESS}"},
        {"body": "x"},
    ):
        sim.advance(1)  # burst is 5 at 1/s; errors count against the quota too
        r = client.post(f"{base}/messages/unexpectedProblem", params=market, json=bad)
        assert r.status_code == 400, bad
        models.check("messaging", "createUnexpectedProblem", r)
    sim.advance(5)
    r = client.get(base)  # marketplaceIds missing
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "InvalidInput"
    shipped = next(o for o in sim.scenario.orders if o.status == "Shipped")
    r = client.post(
        f"/messaging/v1/orders/{shipped.order_id}/messages/confirmOrderDetails",
        params=market,
        json={"text": "hello"},
    )
    assert r.status_code == 403
    assert len(sim.state.messages_sent) == 2


def test_reports(sim: SimServer, client: SpClient, models: ModelValidator) -> None:
    ids = {}
    for report_type in (
        "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
        "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
        "GET_SELLER_FEEDBACK_DATA",
        "GET_V2_SELLER_PERFORMANCE_REPORT",
    ):
        r = client.post(
            "/reports/2021-06-30/reports",
            json={"reportType": report_type, "marketplaceIds": [sim.marketplace_id]},
        )
        assert r.status_code == 202
        models.check(REPORTS, "createReport", r)
        ids[report_type] = r.json()["reportId"]
    r = client.get(f"/reports/2021-06-30/reports/{ids['GET_SELLER_FEEDBACK_DATA']}")
    models.check(REPORTS, "getReport", r)
    assert r.json()["processingStatus"] == "IN_QUEUE"
    sim.advance(3)
    documents = {}
    for report_type, report_id in ids.items():
        r = client.get(f"/reports/2021-06-30/reports/{report_id}")
        models.check(REPORTS, "getReport", r)
        assert r.json()["processingStatus"] == "DONE"
        r = client.get(f"/reports/2021-06-30/documents/{r.json()['reportDocumentId']}")
        models.check(REPORTS, "getReportDocument", r)
        assert r.json()["compressionAlgorithm"] == "GZIP"
        documents[report_type] = gzip.decompress(httpx.get(r.json()["url"]).content)
    models.check_document(
        "accountHealthReport-2020-11-18.json",
        __import__("json").loads(documents["GET_V2_SELLER_PERFORMANCE_REPORT"]),
    )
    assert documents["GET_SELLER_FEEDBACK_DATA"].startswith(b"Date\tRating\tComments")
    r = client.get(
        "/reports/2021-06-30/reports", params={"reportTypes": ",".join(ids), "pageSize": "3"}
    )
    models.check(REPORTS, "getReports", r)
    assert len(r.json()["reports"]) == 3
    r = client.get("/reports/2021-06-30/reports", params={"nextToken": r.json()["nextToken"]})
    models.check(REPORTS, "getReports", r)
    assert len(r.json()["reports"]) == 1
    for bad in (
        {"reportType": "GET_NOPE", "marketplaceIds": [sim.marketplace_id]},
        {"reportType": "GET_SELLER_FEEDBACK_DATA"},
        {"reportType": "GET_SELLER_FEEDBACK_DATA", "marketplaceIds": []},
    ):
        r = client.post("/reports/2021-06-30/reports", json=bad)
        assert r.status_code == 400
        models.check(REPORTS, "createReport", r)
    r = client.get("/reports/2021-06-30/reports")
    assert r.status_code == 400
    r = client.get("/reports/2021-06-30/reports/1")
    assert r.status_code == 404
    models.check(REPORTS, "getReport", r)
    notes = [
        n for n in sim.state.notifications if n["notificationType"] == "REPORT_PROCESSING_FINISHED"
    ]
    assert len(notes) == 4
    for note in notes:
        models.check_document("ReportProcessingFinishedNotification.json", note)


def test_feeds(sim: SimServer, client: SpClient, models: ModelValidator) -> None:
    r = client.post("/feeds/2021-06-30/documents", json={"contentType": "text/xml; charset=UTF-8"})
    assert r.status_code == 201
    models.check(FEEDS, "createFeedDocument", r)
    order = sim.scenario.orders[0]
    item = order.items[0]
    xml = (
        "<?xml version='1.0'?><AmazonEnvelope><MessageType>OrderAdjustment</MessageType>"
        f"<Message><MessageID>1</MessageID><OrderAdjustment><AmazonOrderID>{order.order_id}"
        f"</AmazonOrderID><AdjustedItem><AmazonOrderItemCode>{item.order_item_id}"
        "</AmazonOrderItemCode><MerchantAdjustmentItemID>x1</MerchantAdjustmentItemID>"
        "<AdjustmentReason>CustomerReturn</AdjustmentReason><ItemPriceAdjustments><Component>"
        f'<Type>Principal</Type><Amount currency="{order.currency}">1.00</Amount></Component>'
        "</ItemPriceAdjustments></AdjustedItem></OrderAdjustment></Message></AmazonEnvelope>"
    )
    upload = httpx.put(
        r.json()["url"], content=xml.encode(), headers={"Content-Type": "text/xml; charset=UTF-8"}
    )
    assert upload.status_code == 200
    r = client.post(
        "/feeds/2021-06-30/feeds",
        json={
            "feedType": "POST_PAYMENT_ADJUSTMENT_DATA",
            "marketplaceIds": [sim.marketplace_id],
            "inputFeedDocumentId": r.json()["feedDocumentId"],
        },
    )
    assert r.status_code == 202
    models.check(FEEDS, "createFeed", r)
    feed_id = r.json()["feedId"]
    r = client.get(f"/feeds/2021-06-30/feeds/{feed_id}")
    models.check(FEEDS, "getFeed", r)
    sim.advance(3)
    r = client.get(f"/feeds/2021-06-30/feeds/{feed_id}")
    models.check(FEEDS, "getFeed", r)
    assert r.json()["processingStatus"] == "DONE"
    r = client.get(f"/feeds/2021-06-30/documents/{r.json()['resultFeedDocumentId']}")
    models.check(FEEDS, "getFeedDocument", r)
    report = gzip.decompress(httpx.get(r.json()["url"]).content)
    assert b"<MessagesSuccessful>1</MessagesSuccessful>" in report
    r = client.get("/feeds/2021-06-30/feeds", params={"feedTypes": "POST_PAYMENT_ADJUSTMENT_DATA"})
    models.check(FEEDS, "getFeeds", r)
    assert [f["feedId"] for f in r.json()["feeds"]] == [feed_id]
    r = client.post(
        "/feeds/2021-06-30/feeds",
        json={
            "feedType": "POST_PAYMENT_ADJUSTMENT_DATA",
            "marketplaceIds": [sim.marketplace_id],
            "inputFeedDocumentId": "nope",
        },
    )
    assert r.status_code == 400
    models.check(FEEDS, "createFeed", r)
    note = sim.state.notifications[-1]
    assert note["notificationType"] == "FEED_PROCESSING_FINISHED"
    models.check_document("FeedProcessingFinishedNotification.json", note)


def test_notifications(sim: SimServer, models: ModelValidator) -> None:
    http = httpx.Client(base_url=sim.base_url)
    creds = sim.credentials
    token = http.post(
        "/auth/o2/token",
        data={
            "grant_type": "client_credentials",
            "scope": "sellingpartnerapi::notifications",
            "client_id": creds["lwa_app_id"],
            "client_secret": creds["lwa_client_secret"],
        },
    ).json()["access_token"]
    headers = {"x-amz-access-token": token}
    arn = "arn:aws:sqs:us-east-1:123456789012:sp-notifications"
    r = http.post(
        "/notifications/v1/destinations",
        headers=headers,
        json={"name": "q", "resourceSpecification": {"sqs": {"arn": arn}}},
    )
    models.check("notifications", "createDestination", r)
    destination_id = r.json()["payload"]["destinationId"]
    r = http.post(
        "/notifications/v1/destinations",
        headers=headers,
        json={"name": "q", "resourceSpecification": {"sqs": {"arn": arn}}},
    )
    assert r.status_code == 409
    models.check("notifications", "createDestination", r)
    r = http.get("/notifications/v1/destinations", headers=headers)
    models.check("notifications", "getDestinations", r)
    assert r.json()["payload"][0]["resource"]["sqs"]["arn"] == arn
    seller = SpClient(sim)
    path = "/notifications/v1/subscriptions/REPORT_PROCESSING_FINISHED"
    r = seller.get(path)
    assert r.status_code == 404
    models.check("notifications", "getSubscription", r)
    r = seller.post(path, json={"payloadVersion": "1.0", "destinationId": destination_id})
    models.check("notifications", "createSubscription", r)
    r = seller.get(path)
    models.check("notifications", "getSubscription", r)
    assert r.json()["payload"]["destinationId"] == destination_id
    r = seller.post(path, json={"payloadVersion": "1.0", "destinationId": "unknown"})
    assert r.status_code == 400


def test_pricing(sim: SimServer, client: SpClient, models: ModelValidator) -> None:
    sku = sim.scenario.catalog[0].sku
    r = client.get(
        f"/products/pricing/v0/listings/{sku}/offers",
        params={"MarketplaceId": sim.marketplace_id, "ItemCondition": "New"},
    )
    models.check("productPricingV0", "getListingOffers", r)
    offer = r.json()["payload"]["Offers"][0]
    assert offer["MyOffer"] is True
    assert offer["SellerFeedbackRating"] == sim.scenario.seller_feedback_rating
    r = client.get(
        f"/products/pricing/v0/listings/{sku}/offers", params={"MarketplaceId": sim.marketplace_id}
    )
    assert r.status_code == 400
    models.check("productPricingV0", "getListingOffers", r)
    sim.advance(1)  # getListingOffers: burst 2
    r = client.get(
        "/products/pricing/v0/listings/NOPE/offers",
        params={"MarketplaceId": sim.marketplace_id, "ItemCondition": "New"},
    )
    assert r.status_code == 404
