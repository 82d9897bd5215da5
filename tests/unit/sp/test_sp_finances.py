"""Finances v0 listFinancialEventsByOrderId at the HTTP boundary: the requests against
financesV0.json, Amazon's answers read into what money went back to the buyer."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from spconnector.sp.client import SpApi
from spconnector.sp.errors import InvalidResponse, ServerError
from spconnector.sp.finances import LIST_BY_ORDER, MAX_PAGES
from tests.unit.sp.fake_amazon import FakeAmazon, amazon_error, amazon_json

ORDER = "113-1234567-7654321"
PATH = f"/finances/v0/orders/{ORDER}/financialEvents"


def _charge(kind: str, amount: float, currency: str = "USD") -> dict[str, object]:
    return {
        "ChargeType": kind,
        "ChargeAmount": {"CurrencyCode": currency, "CurrencyAmount": amount},
    }


def _event(*charges: dict[str, object], posted: str = "2026-11-20T10:00:00Z") -> dict[str, object]:
    return {
        "AmazonOrderId": ORDER,
        "PostedDate": posted,
        "ShipmentItemAdjustmentList": [
            {"OrderAdjustmentItemId": "52986411826454", "ItemChargeAdjustmentList": list(charges)}
        ],
    }


def _page(events: dict[str, object], token: str | None = None) -> httpx.Response:
    payload: dict[str, object] = {"FinancialEvents": events}
    if token:
        payload["NextToken"] = token
    return amazon_json(200, {"payload": payload})


def test_refunds_claims_and_chargebacks_are_read_with_their_amounts(
    api: SpApi, amazon: FakeAmazon
) -> None:
    amazon.route(
        "GET",
        PATH,
        _page(
            {
                "ShipmentEventList": [{"AmazonOrderId": ORDER}],  # the sale: not money back
                "RefundEventList": [_event(_charge("Principal", -10.0), _charge("Tax", -2.5))],
                "GuaranteeClaimEventList": [_event(_charge("Principal", -19.99))],
                "ChargebackEventList": [
                    _event(_charge("Principal", -5.0), _charge("Principal", -5.0, "EUR"))
                ],
            }
        ),
    )
    events = api.money_back_events(ORDER)
    assert [(e.kind, e.amount and (e.amount.amount, e.amount.currency)) for e in events] == [
        ("refund", (Decimal("12.5"), "USD")),
        ("A-to-z guarantee claim", (Decimal("19.99"), "USD")),
        ("chargeback", None),  # two currencies: counted, the amount is not stated
    ]
    assert events[0].posted is not None and events[0].posted.isoformat().startswith("2026-11-20")
    assert amazon.operations == ["financesV0:listFinancialEventsByOrderId"]
    sent = amazon.requests[-1].url.params
    assert dict(sent) == {"MaxResultsPerPage": "100"}


def test_an_order_with_no_events_lists_nothing(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route("GET", PATH, amazon_json(200, {"payload": {}}))
    assert api.money_back_events(ORDER) == []


def test_every_page_is_read_with_the_token(api: SpApi, amazon: FakeAmazon) -> None:
    def pages(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("NextToken")
        if token is None:
            return _page({}, "page-2")  # Amazon may answer an empty page with a token
        assert token == "page-2" and request.url.params["MaxResultsPerPage"] == "100"
        return _page({"RefundEventList": [_event(_charge("Principal", -3.0))]})

    amazon.route("GET", PATH, pages)
    assert [e.kind for e in api.money_back_events(ORDER)] == ["refund"]
    assert len(amazon.operations) == 2


def test_a_token_that_never_ends_is_an_invalid_response(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route("GET", PATH, _page({}, "again"))
    with pytest.raises(InvalidResponse):
        api.money_back_events(ORDER)
    assert len(amazon.operations) == MAX_PAGES


def test_an_answer_off_the_model_is_an_invalid_response(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route("GET", PATH, _page({"RefundEventList": "not a list"}))
    with pytest.raises(InvalidResponse) as caught:
        api.money_back_events(ORDER)
    assert caught.value.operation == LIST_BY_ORDER


def test_server_errors_are_retried_then_raised(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route("GET", PATH, amazon_error(503, "ServiceUnavailable", "try later"))
    with pytest.raises(ServerError):
        api.money_back_events(ORDER)
    assert len(amazon.operations) == api.retry.max_attempts
