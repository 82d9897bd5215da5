"""Finances v0 listFinancialEventsByOrderId through the real python-amazon-sp-api client,
over HTTP, to the simulator: every request validated against financesV0.json on the way out,
every answer against its response schema, every page read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from spconnector.sim import SimServer
from spconnector.sp.client import SpApi
from spconnector.sp.errors import AuthError, Throttled
from spconnector.sp.finances import LIST_BY_ORDER
from spconnector.sp.retry import RetryPolicy
from spconnector.sp.usage_plans import USAGE_PLANS
from tests.integration.sim.conftest import ModelValidator, SpClient
from tests.integration.sp.clients import CheckedTransport, make_api
from tests.unit.sp.model_check import ModelCatalog

FINANCES = "financesV0"


@pytest.fixture(scope="module")
def validator(sp_api_models: Path) -> ModelValidator:
    return ModelValidator(sp_api_models)


class ValidatedTransport(CheckedTransport):
    """Requests checked by the catalog, and each Finances answer by its response schema."""

    def __init__(self, catalog: ModelCatalog, validator: ModelValidator, sim_url: str) -> None:
        super().__init__(catalog, sim_url)
        self._validator = validator
        self.pages = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path.startswith("/finances/") and response.read():
            # (a throttled answer may have no body at all, as Amazon's 429s often do)
            self._validator.check(FINANCES, "listFinancialEventsByOrderId", response)
            self.pages += 1
        return response


@pytest.fixture
def api(
    sim: SimServer, catalog: ModelCatalog, validator: ModelValidator
) -> Iterator[tuple[SpApi, ValidatedTransport]]:
    transport = ValidatedTransport(catalog, validator, sim.base_url)
    client, _ = make_api(
        sim,
        catalog,
        transport,
        retry=RetryPolicy(backoff_base=0.01, backoff_cap=0.05, max_attempts=2),
    )
    yield client, transport
    client.close()


def _shipped(sim: SimServer) -> str:
    noticed = {order for _list, order, _amount, _posted in sim.scenario.money_backs}
    return next(
        o.order_id
        for o in sim.scenario.orders
        if o.status == "Shipped" and o.shipped_at and o.order_id not in noticed
    )


def _add(sim: SimServer, order_id: str, name: str, amount: str) -> None:
    posted = sim.clock.now() - timedelta(minutes=1)
    sim.simulator.state.money_backs.setdefault(order_id, []).append((name, Decimal(amount), posted))


def test_usage_plan_matches_the_model(sp_api_models: Path) -> None:
    model = json.loads((sp_api_models / "financesV0.json").read_text())
    op = model["paths"]["/finances/v0/orders/{orderId}/financialEvents"]["get"]
    plan = USAGE_PLANS[LIST_BY_ORDER]
    assert f"| {plan.rate:g} | {plan.burst} |" in op["description"]


def test_a_shipped_order_without_refunds_lists_no_money_back(
    sim: SimServer, api: tuple[SpApi, ValidatedTransport]
) -> None:
    client, transport = api
    assert client.money_back_events(_shipped(sim)) == []
    assert transport.count(LIST_BY_ORDER, 200) == 1


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("RefundEventList", "refund"),
        ("GuaranteeClaimEventList", "A-to-z guarantee claim"),
        ("ChargebackEventList", "chargeback"),
    ],
)
def test_each_kind_of_money_back_is_read(
    sim: SimServer, api: tuple[SpApi, ValidatedTransport], name: str, kind: str
) -> None:
    client, _ = api
    order_id = _shipped(sim)
    _add(sim, order_id, name, "12.34")
    [event] = client.money_back_events(order_id)
    assert event.kind == kind
    assert event.amount is not None and event.amount.amount == Decimal("12.34")
    assert event.amount.currency == sim.scenario.currency


def test_the_scenarios_own_notices_have_their_money_moves(
    sim: SimServer, api: tuple[SpApi, ValidatedTransport]
) -> None:
    client, _ = api
    now = sim.clock.now()
    assert sim.scenario.money_backs, "the scenario sends refund / A-to-z notices"
    for name, order_id, amount, posted in sim.scenario.money_backs:
        events = client.money_back_events(order_id)
        if posted > now:
            continue  # a claim Amazon has not granted yet
        assert [e.amount.amount for e in events if e.amount] == [amount], name


def test_every_page_is_read(
    sim: SimServer, api: tuple[SpApi, ValidatedTransport], validator: ModelValidator
) -> None:
    client, transport = api
    order_id = _shipped(sim)
    for n in range(130):  # more than one page of 100
        _add(sim, order_id, "ChargebackEventList", f"{n + 1}.00")
    events = client.money_back_events(order_id)
    assert len(events) == 130
    assert transport.pages == 2
    # a page of one, by hand: the token carries the rest
    by_hand = SpClient(sim)
    path = f"/finances/v0/orders/{order_id}/financialEvents"
    first = by_hand.get(path, params={"MaxResultsPerPage": "1"})
    validator.check(FINANCES, "listFinancialEventsByOrderId", first)
    page = first.json()["payload"]
    assert list(page["FinancialEvents"]) == ["ShipmentEventList"] and page["NextToken"]
    second = by_hand.get(path, params={"MaxResultsPerPage": "1", "NextToken": page["NextToken"]})
    assert list(second.json()["payload"]["FinancialEvents"]) == ["ChargebackEventList"]
    bad = by_hand.get(path, params={"NextToken": "not-a-token"})
    assert bad.status_code == 400
    validator.check(FINANCES, "listFinancialEventsByOrderId", bad)


def test_without_the_finance_role_it_is_a_403(
    sim: SimServer, api: tuple[SpApi, ValidatedTransport]
) -> None:
    client, transport = api
    httpx.post(f"{sim.base_url}/_sim/finances/role", json={"granted": False}).raise_for_status()
    with pytest.raises(AuthError) as caught:
        client.money_back_events(_shipped(sim))
    assert caught.value.status == 403
    assert transport.count(LIST_BY_ORDER, 403) == 1, "a 403 is not retried"


def test_throttling_raises_after_the_retries(
    sim: SimServer, api: tuple[SpApi, ValidatedTransport]
) -> None:
    client, transport = api
    order_id = _shipped(sim)
    client.money_back_events(order_id)  # the token is fetched before the faults
    sim.set_faults(empty_throttle=1.0)
    with pytest.raises(Throttled):
        client.money_back_events(order_id)
    assert transport.count(LIST_BY_ORDER, 429) == client.retry.max_attempts
