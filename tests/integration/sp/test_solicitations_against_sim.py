"""Review requests through the real python-amazon-sp-api client, over HTTP, to the simulator.

Every request is validated against Amazon's solicitations model on the way out; the
simulator answers as Amazon does: the action is offered only inside the 5–30 day window and
only once, and outside it the create call gets Amazon's 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from spconnector.sim import SimServer
from spconnector.sim.solicitations import NOT_AVAILABLE, OUTSIDE_WINDOW, in_window, window
from spconnector.sp.client import SpApi
from spconnector.sp.errors import AuthError, NotFound
from spconnector.sp.usage_plans import USAGE_PLANS
from tests.integration.sp.clients import CheckedTransport, make_api
from tests.unit.sp.model_check import ModelCatalog


@pytest.fixture
def api(sim: SimServer, catalog: ModelCatalog) -> Iterator[tuple[SpApi, CheckedTransport]]:
    client, transport = make_api(sim, catalog)
    yield client, transport
    client.close()


def _orders(sim: SimServer) -> tuple[str, str, str]:
    now = sim.clock.now()
    shipped = [o for o in sim.scenario.orders if o.status == "Shipped"]
    inside = next(o for o in shipped if in_window(o, now))
    early = next(o for o in shipped if window(o)[0] > now)
    late = next((o for o in shipped if window(o)[1] < now), None)
    return inside.order_id, early.order_id, late.order_id if late else ""


def test_usage_plans_match_the_model(sp_api_models: Path) -> None:
    import json

    model = json.loads((sp_api_models / "solicitations.json").read_text())
    for ops in model["paths"].values():
        for op in ops.values():
            if isinstance(op, dict) and "operationId" in op:
                plan = USAGE_PLANS[f"solicitations:{op['operationId']}"]
                assert f"| {plan.rate:g} | {plan.burst} |" in op["description"]


def test_offered_inside_the_window_then_sent_once(
    sim: SimServer, api: tuple[SpApi, CheckedTransport]
) -> None:
    client, transport = api
    inside, _, _ = _orders(sim)
    assert client.review_request_offered(inside) is True
    client.create_review_request(inside)
    assert inside in sim.state.solicitations_sent
    # once per order: no longer offered, and a second request gets Amazon's 403
    assert client.review_request_offered(inside) is False
    with pytest.raises(AuthError) as second:
        client.create_review_request(inside)
    assert second.value.status == 403 and second.value.code == "Unauthorized"
    assert second.value.amazon_message == NOT_AVAILABLE
    assert (
        transport.count("solicitations:createProductReviewAndSellerFeedbackSolicitation", 201) == 1
    )
    # the create call is not retried on a 403: exactly one refused attempt
    assert (
        transport.count("solicitations:createProductReviewAndSellerFeedbackSolicitation", 403) == 1
    )


def test_outside_the_window_amazon_refuses(
    sim: SimServer, api: tuple[SpApi, CheckedTransport]
) -> None:
    client, _ = api
    _, early, late = _orders(sim)
    assert client.review_request_offered(early) is False
    with pytest.raises(AuthError) as refused:
        client.create_review_request(early)
    assert refused.value.amazon_message == OUTSIDE_WINDOW
    if late:
        assert client.review_request_offered(late) is False
    # the window opens as time passes: the same order is offered once it is 5 days delivered
    opens = window(sim.scenario.order(early))[0]  # type: ignore[arg-type]
    sim.simulator.advance((opens - sim.clock.now()).total_seconds() + 60)
    assert client.review_request_offered(early) is True
    client.create_review_request(early)
    # and closes 30 days after the latest delivery date
    sim.simulator.advance(timedelta(days=40).total_seconds())
    assert client.review_request_offered(early) is False


def test_unknown_order_is_not_found(api: tuple[SpApi, CheckedTransport]) -> None:
    client, _ = api
    with pytest.raises(NotFound):
        client.review_request_offered("999-0000000-0000000")


def test_shipped_orders_lists_pages_without_buyer_data(
    sim: SimServer, api: tuple[SpApi, CheckedTransport]
) -> None:
    client, _ = api
    since = sim.clock.now() - timedelta(days=60)
    found = client.shipped_orders(since)
    expected = {
        o.order_id
        for o in sim.scenario.orders
        if o.status == "Shipped" and o.purchase_date >= since
    }
    assert {o.amazon_order_id for o in found} == expected
    assert all(o.latest_delivery is not None for o in found)


def test_raw_responses_validate_against_the_model(sim: SimServer, sp_api_models: Path) -> None:
    from tests.integration.sim.conftest import ModelValidator, SpClient

    models = ModelValidator(sp_api_models)
    http = SpClient(sim)
    inside, early, _ = _orders(sim)
    query = {"marketplaceIds": sim.marketplace_id}
    for order in (inside, early):
        response = http.get(f"/solicitations/v1/orders/{order}", params=query)
        assert response.status_code == 200
        models.check("solicitations", "getSolicitationActionsForOrder", response)
    refused = http.post(
        f"/solicitations/v1/orders/{early}/solicitations/productReviewAndSellerFeedback",
        params=query,
    )
    assert refused.status_code == 403
    models.check("solicitations", "createProductReviewAndSellerFeedbackSolicitation", refused)
    assert refused.json()["errors"][0]["code"] == "Unauthorized"
    assert http.get("/_sim/solicitations").json() == {}  # nothing accepted
    http.http.close()
