"""Throttling, LWA, lifecycles, the adjustment feed, faults and inspection routes over HTTP."""

from __future__ import annotations

import gzip
import time
import zlib
from typing import Any

import httpx
import pytest

from spconnector.sim import SimServer

from .conftest import SpClient

ADJUSTMENT = "POST_PAYMENT_ADJUSTMENT_DATA"


# -- usage plans ---------------------------------------------------------------------------
def test_empty_bucket_answers_429_without_rate_header(sim: SimServer, client: SpClient) -> None:
    sku = sim.scenario.catalog[0].sku
    params = {"MarketplaceId": sim.marketplace_id, "ItemCondition": "New"}
    answers = [
        client.get(f"/products/pricing/v0/listings/{sku}/offers", params=params) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].headers["x-amzn-RateLimit-Limit"] == "1"
    throttled = answers[2]
    assert "x-amzn-RateLimit-Limit" not in throttled.headers
    assert throttled.json()["errors"][0]["code"] == "QuotaExceeded"
    assert set(throttled.json()["errors"][0]) == {"code", "message", "details"}
    sim.advance(1.1)
    assert client.get(f"/products/pricing/v0/listings/{sku}/offers", params=params).is_success


def test_buckets_are_per_refresh_token(sim: SimServer, client: SpClient) -> None:
    sim.add_refresh_token("Atzr|second-seller-app")
    other = SpClient(sim, "Atzr|second-seller-app")
    path = f"/orders/v0/orders/{sim.scenario.order_ids[0]}"
    assert all(client.get(path).status_code == 200 for _ in range(30))
    assert client.get(path).status_code == 429
    assert other.get(path).status_code == 200


def test_rate_header_is_the_documented_rate(sim: SimServer, client: SpClient) -> None:
    r = client.post("/feeds/2021-06-30/documents", json={"contentType": "text/xml"})
    assert r.headers["x-amzn-RateLimit-Limit"] == "0.5"


# -- LWA -------------------------------------------------------------------------------------
def _token(sim: SimServer, **overrides: str) -> httpx.Response:
    creds = sim.credentials
    form = {
        "grant_type": "refresh_token",
        "refresh_token": creds["refresh_token"],
        "client_id": creds["lwa_app_id"],
        "client_secret": creds["lwa_client_secret"],
        **overrides,
    }
    return httpx.post(sim.lwa_token_url, data=form)


def test_lwa_errors(sim: SimServer) -> None:
    r = _token(sim, client_secret="wrong")
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"
    assert r.json()["error_description"]
    r = _token(sim, refresh_token="Atzr|not-issued")
    assert (r.status_code, r.json()["error"]) == (400, "invalid_grant")
    r = _token(sim, grant_type="password")
    assert r.json()["error"] == "unsupported_grant_type"
    r = _token(sim, grant_type="client_credentials", scope="sellingpartnerapi::everything")
    assert r.json()["error"] == "invalid_scope"
    ok = _token(sim).json()
    assert ok["token_type"] == "bearer" and ok["expires_in"] == 3600


def test_access_token_is_checked(sim: SimServer) -> None:
    path = f"{sim.base_url}/orders/v0/orders/{sim.scenario.order_ids[0]}"
    r = httpx.get(path)
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == "Unauthorized"
    r = httpx.get(path, headers={"x-amz-access-token": "Atza|forged.0000"})
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == "InvalidToken"


def test_tokens_survive_a_restart_with_the_same_seed(sim: SimServer) -> None:
    token = _token(sim).json()["access_token"]
    headers = {"x-amz-access-token": token}
    with SimServer(seed=7) as same, SimServer(seed=8) as other:
        order = same.scenario.order_ids[0]
        assert httpx.get(f"{same.base_url}/orders/v0/orders/{order}", headers=headers).is_success
        r = httpx.get(f"{other.base_url}/orders/v0/orders/{order}", headers=headers)
        assert r.status_code == 403


# -- reports ---------------------------------------------------------------------------------
def _create_report(client: SpClient, sim: SimServer, **spec: Any) -> str:
    body = {"marketplaceIds": [sim.marketplace_id], **spec}
    r = client.post("/reports/2021-06-30/reports", json=body)
    assert r.status_code == 202, r.text
    return str(r.json()["reportId"])


def _report(client: SpClient, report_id: str) -> dict[str, Any]:
    data: dict[str, Any] = client.get(f"/reports/2021-06-30/reports/{report_id}").json()
    return data


def test_report_lifecycle(sim: SimServer, client: SpClient) -> None:
    report_id = _create_report(client, sim, reportType="GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE")
    assert _report(client, report_id)["processingStatus"] == "IN_QUEUE"
    sim.advance(1)
    assert _report(client, report_id)["processingStatus"] == "IN_PROGRESS"
    sim.advance(1.5)
    done = _report(client, report_id)
    assert done["processingStatus"] == "DONE"
    assert done["processingEndTime"] >= done["processingStartTime"] >= done["createdTime"]
    doc = client.get(f"/reports/2021-06-30/documents/{done['reportDocumentId']}").json()
    rows = gzip.decompress(httpx.get(doc["url"]).content).decode().splitlines()
    assert len(rows) == len(sim.scenario.returns_mfn_rows) + 1


def test_report_without_data_is_cancelled(sim: SimServer, client: SpClient) -> None:
    report_id = _create_report(
        client,
        sim,
        reportType="GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
        dataStartTime="2021-01-01T00:00:00Z",
        dataEndTime="2021-01-31T00:00:00Z",
    )
    sim.advance(3)
    report = _report(client, report_id)
    assert report["processingStatus"] == "CANCELLED"
    assert "reportDocumentId" not in report


@pytest.mark.parametrize(
    "spec",
    [
        {"dataStartTime": "2026-02-01T00:00:00Z", "dataEndTime": "2026-01-01T00:00:00Z"},
        {"marketplaceIds": ["A1PA6795UKMFR9"]},
    ],
)
def test_broken_report_request_is_fatal(
    sim: SimServer, client: SpClient, spec: dict[str, Any]
) -> None:
    report_id = _create_report(client, sim, reportType="GET_SELLER_FEEDBACK_DATA", **spec)
    sim.advance(3)
    assert _report(client, report_id)["processingStatus"] == "FATAL"


def test_time_scale_speeds_up_processing() -> None:
    with SimServer(seed=7, time_scale=40) as fast:
        client = SpClient(fast)
        report_id = _create_report(client, fast, reportType="GET_SELLER_FEEDBACK_DATA")
        deadline = time.monotonic() + 5
        status = ""
        while time.monotonic() < deadline:
            status = _report(client, report_id)["processingStatus"]
            if status == "DONE":
                break
            time.sleep(0.05)
        assert status == "DONE"


# -- feeds ------------------------------------------------------------------------------------
def _submit_feed(sim: SimServer, client: SpClient, data: bytes) -> str:
    doc = client.post("/feeds/2021-06-30/documents", json={"contentType": "text/xml"}).json()
    assert httpx.put(doc["url"], content=data).status_code == 200
    r = client.post(
        "/feeds/2021-06-30/feeds",
        json={
            "feedType": ADJUSTMENT,
            "marketplaceIds": [sim.marketplace_id],
            "inputFeedDocumentId": doc["feedDocumentId"],
        },
    )
    assert r.status_code == 202, r.text
    return str(r.json()["feedId"])


def _result(sim: SimServer, client: SpClient, feed_id: str) -> tuple[str, str]:
    sim.advance(3)
    feed = client.get(f"/feeds/2021-06-30/feeds/{feed_id}").json()
    doc = client.get(f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}").json()
    return feed["processingStatus"], gzip.decompress(httpx.get(doc["url"]).content).decode()


def _message(n: int, order_id: str, item: str, adj_id: str, amount: str) -> str:
    return (
        f"<Message><MessageID>{n}</MessageID><OrderAdjustment><AmazonOrderID>{order_id}"
        f"</AmazonOrderID><AdjustedItem><AmazonOrderItemCode>{item}</AmazonOrderItemCode>"
        f"<MerchantAdjustmentItemID>{adj_id}</MerchantAdjustmentItemID>"
        "<AdjustmentReason>CustomerReturn</AdjustmentReason><ItemPriceAdjustments>"
        f'<Component><Type>Principal</Type><Amount currency="USD">{amount}</Amount>'
        "</Component></ItemPriceAdjustments></AdjustedItem></OrderAdjustment></Message>"
    )


def _envelope(*messages: str) -> bytes:
    return (
        "<?xml version='1.0'?><AmazonEnvelope><MessageType>OrderAdjustment</MessageType>"
        + "".join(messages)
        + "</AmazonEnvelope>"
    ).encode()


def test_adjustment_feed_reports_each_message(sim: SimServer, client: SpClient) -> None:
    order = next(o for o in sim.scenario.orders if o.status == "Shipped")
    item = order.items[0]
    full = str(item.principal)
    feed_id = _submit_feed(
        sim,
        client,
        _envelope(
            _message(1, order.order_id, item.order_item_id, "ret-1", full),
            _message(2, order.order_id, item.order_item_id, "ret-1", "1.00"),  # duplicate id
            _message(3, order.order_id, item.order_item_id, "ret-2", "0.01"),  # above charge
            _message(4, "111-0000000-0000000", "1", "ret-3", "1.00"),  # unknown order
        ),
    )
    status, report = _result(sim, client, feed_id)
    assert status == "DONE"
    assert "<MessagesProcessed>4</MessagesProcessed>" in report
    assert "<MessagesSuccessful>1</MessagesSuccessful>" in report
    assert "<MessagesWithError>3</MessagesWithError>" in report
    assert "Duplicate adjustment" in report
    assert "exceeds the amount charged" in report
    assert "was not found" in report
    assert sim.state.refund_count(order.order_id) == 1
    assert str(sim.state.refunded(order.order_id)) == full
    refunds = httpx.get(f"{sim.base_url}/_sim/state").json()["refunds"]
    assert refunds[order.order_id]["count"] == 1
    assert refunds[order.order_id]["adjustments"][0]["merchantAdjustmentItemId"] == "ret-1"
    # The same document again: every message is now a duplicate, nothing is refunded twice.
    sim.advance(200)  # createFeed allows one call per two minutes once the burst is spent
    again = _submit_feed(
        sim, client, _envelope(_message(1, order.order_id, item.order_item_id, "ret-1", full))
    )
    _, report = _result(sim, client, again)
    assert "Duplicate adjustment" in report
    assert sim.state.refund_count(order.order_id) == 1


@pytest.mark.parametrize("data", [b"<AmazonEnvelope><broken", b""])
def test_malformed_feed_is_fatal(sim: SimServer, client: SpClient, data: bytes) -> None:
    feed_id = _submit_feed(sim, client, data)
    status, report = _result(sim, client, feed_id)
    assert status == "FATAL"
    assert "<ResultMessageCode>5001</ResultMessageCode>" in report
    assert sim.state.adjustments == {}


def test_feed_notification_reaches_the_callback(sim: SimServer, client: SpClient) -> None:
    received: list[dict[str, Any]] = []
    sim.on_notification(received.append)
    feed_id = _submit_feed(sim, client, b"<x/>")
    sim.advance(3)
    body = received[-1]["payload"]["feedProcessingFinishedNotification"]
    assert (body["feedId"], body["processingStatus"]) == (feed_id, "FATAL")
    listed = httpx.get(f"{sim.base_url}/_sim/notifications").json()
    assert listed[-1]["payload"]["feedProcessingFinishedNotification"]["feedId"] == feed_id


# -- faults and inspection --------------------------------------------------------------------
def test_bad_gateway_fault_returns_html(sim: SimServer, client: SpClient) -> None:
    r = httpx.post(f"{sim.base_url}/_sim/faults", json={"502_html": 1.0})
    assert r.json()["502_html"] == 1.0
    r = client.get(f"/orders/v0/orders/{sim.scenario.order_ids[0]}")
    assert r.status_code == 502
    assert r.headers["content-type"].startswith("text/html")
    assert r.text.startswith("<html>")
    httpx.post(f"{sim.base_url}/_sim/faults", json={"502_html": 0.0, "500": 1.0})
    r = client.get(f"/orders/v0/orders/{sim.scenario.order_ids[0]}")
    assert r.status_code == 500
    assert r.json()["errors"][0]["code"] == "InternalFailure"
    sim.set_faults(internal_error=0.0, empty_throttle=1.0)
    r = client.get(f"/orders/v0/orders/{sim.scenario.order_ids[0]}")
    assert (r.status_code, r.content) == (429, b"")
    sim.set_faults()
    assert client.get(f"/orders/v0/orders/{sim.scenario.order_ids[0]}").status_code == 200


def test_truncated_gzip_fault(sim: SimServer, client: SpClient) -> None:
    report_id = _create_report(client, sim, reportType="GET_V2_SELLER_PERFORMANCE_REPORT")
    sim.advance(3)
    doc_id = _report(client, report_id)["reportDocumentId"]
    url = client.get(f"/reports/2021-06-30/documents/{doc_id}").json()["url"]
    sim.set_faults(truncated_gzip=1.0)
    with pytest.raises((EOFError, zlib.error, OSError)):
        gzip.decompress(httpx.get(url).content)
    sim.set_faults(truncated_gzip=0.0)
    assert gzip.decompress(httpx.get(url).content).startswith(b"{")


def test_fault_settings_are_validated(sim: SimServer) -> None:
    r = httpx.post(f"{sim.base_url}/_sim/faults", json={"500": 2})
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "InvalidInput"
    assert httpx.get(f"{sim.base_url}/_sim/faults").json()["500"] == 0.0


def test_slow_fault_delays_answers(sim: SimServer, client: SpClient) -> None:
    sim.set_faults(slow_ms=150, slow_rate=1.0)
    started = time.monotonic()
    client.get(f"/orders/v0/orders/{sim.scenario.order_ids[0]}")
    assert time.monotonic() - started >= 0.15


def test_unknown_path_is_amazon_shaped(sim: SimServer, client: SpClient) -> None:
    r = client.get("/nothing/here")
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "NotFound"


def test_concurrent_clients(sim: SimServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def hit(_: int) -> int:
        with httpx.Client(base_url=sim.base_url) as http:
            return sum(http.get("/_sim/orders").status_code == 200 for _ in range(20))

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(hit, range(8))) == 160
