"""The SP port: `SpApi` against the simulator in process (spconnector.memory.sp, what the jobs
tests run on) answers as the same client over HTTP to the simulator's server. Each case runs on
both; `test_the_same_calls_give_the_same_answers` also compares the two transcripts whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from spconnector.memory.sp import InProcessAmazon
from spconnector.sim import SimServer
from spconnector.sim.server import SimulatorFront
from spconnector.sp.client import SpApi
from spconnector.sp.credentials import LwaCredentials
from spconnector.sp.errors import AuthError, CorruptDocument, NotFound, ServerError, Throttled
from spconnector.sp.limiter import InProcessLimiter
from spconnector.sp.retry import RetryPolicy

TRANSPORTS = ["in_process", "http"]
RETURNS = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
NO_WAIT = RetryPolicy(max_attempts=2, backoff_base=0.0, sleep=lambda _s: None)
Connect = Callable[..., SpApi]


@pytest.fixture(params=TRANSPORTS)
def amazon(request: pytest.FixtureRequest) -> Iterator[tuple[SimulatorFront, Connect]]:
    if request.param == "in_process":
        local = InProcessAmazon(seed=11, time_scale=60.0)
        yield (
            local,
            lambda **options: local.sp_for(
                _tenant(local), retry=NO_WAIT, limiter=_fast(), **options
            ),
        )
        return
    with SimServer(seed=11, time_scale=60.0) as server:

        def over_http(**options: Any) -> SpApi:
            return SpApi.for_tenant(
                _tenant(server),
                options.pop("credentials", None) or LwaCredentials(**server.credentials),
                endpoint=server.base_url,
                lwa_url=server.lwa_token_url,
                retry=NO_WAIT,
                limiter=_fast(),
                **options,
            )

        yield server, over_http


def _fast() -> InProcessLimiter:
    return InProcessLimiter(time_scale=60.0)  # the simulators' time scale: buckets refill fast


def _tenant(sim: SimulatorFront) -> Any:
    return SimpleNamespace(seller_id=sim.seller_id, marketplace_ids=(sim.marketplace_id,))


def _shipped(sim: SimulatorFront) -> Any:
    return next(o for o in sim.scenario.orders if o.status == "Shipped" and o.delivered_at)


def _finished_report(sim: SimulatorFront, client: SpApi, report_type: str = RETURNS) -> str:
    """Request a report of the last 30 days, let it finish; its document id."""
    now = sim.clock.now()
    report_id = client.create_report(report_type, now - timedelta(days=30), now)
    sim.advance(3600)
    report = client.get_report(report_id)
    assert report.processingStatus == "DONE"
    assert report.reportDocumentId is not None
    return report.reportDocumentId


def test_an_order_and_its_items_are_read(amazon: tuple[SimulatorFront, Connect]) -> None:
    sim, connect = amazon
    order = _shipped(sim)
    read = connect().get_order(order.order_id)
    assert read.amazon_order_id == order.order_id
    assert [i.sku for i in read.items] == [i.sku for i in order.items]


def test_an_unknown_order_is_not_found(amazon: tuple[SimulatorFront, Connect]) -> None:
    _sim, connect = amazon
    with pytest.raises(NotFound):
        connect().get_order("111-0000000-0000000")


def test_refused_credentials_are_an_auth_error(amazon: tuple[SimulatorFront, Connect]) -> None:
    sim, connect = amazon
    wrong = LwaCredentials(**{**sim.credentials, "refresh_token": "Atzr|not-a-grant"})
    client = connect(credentials=wrong)
    with pytest.raises(AuthError):
        client.verify_credentials()


def test_a_message_reaches_amazon_once(amazon: tuple[SimulatorFront, Connect]) -> None:
    sim, connect = amazon
    order = _shipped(sim)
    client = connect()
    assert "unexpectedProblem" in " ".join(client.get_messaging_actions(order.order_id))
    client.create_unexpected_problem(order.order_id, "We are looking into it.")
    sent = [m for m in sim.state.messages_sent if m.order_id == order.order_id]
    assert len(sent) == 1


def test_a_report_is_requested_polled_and_downloaded(
    amazon: tuple[SimulatorFront, Connect],
) -> None:
    sim, connect = amazon
    client = connect()
    document = client.get_report_document(_finished_report(sim, client))
    assert document.decode("utf-8").splitlines()[0]  # a header row, gunzipped


def test_a_feed_is_uploaded_created_and_answered(amazon: tuple[SimulatorFront, Connect]) -> None:
    sim, connect = amazon
    client = connect()
    document_id, url = client.create_feed_document("text/xml; charset=UTF-8")
    client.upload_feed_document(url, b"<AmazonEnvelope/>", "text/xml; charset=UTF-8")
    feed_id = client.create_feed("POST_NOT_A_FEED_THE_SIMULATOR_RUNS", document_id)
    sim.advance(3600)
    feed = client.get_feed(feed_id)
    assert feed.processingStatus == "FATAL"
    assert feed.resultFeedDocumentId is not None
    assert client.get_feed_result_document(feed.resultFeedDocumentId)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("bad_gateway_html", ServerError),
        ("internal_error", ServerError),
        ("empty_throttle", Throttled),
    ],
)
def test_amazons_failures_become_the_same_typed_errors(
    amazon: tuple[SimulatorFront, Connect], fault: str, error: type[Exception]
) -> None:
    sim, connect = amazon
    client = connect()
    client.verify_credentials()  # the token endpoint draws no faults; take the token first
    sim.set_faults(**{fault: 1.0})
    with pytest.raises(error):
        client.get_order(_shipped(sim).order_id)


def test_a_truncated_document_is_corrupt(amazon: tuple[SimulatorFront, Connect]) -> None:
    sim, connect = amazon
    client = connect()
    document_id = _finished_report(sim, client)
    sim.set_faults(truncated_gzip=1.0)
    with pytest.raises(CorruptDocument):
        client.get_report_document(document_id)


def test_money_amazon_moved_back_is_listed(amazon: tuple[SimulatorFront, Connect]) -> None:
    sim, connect = amazon
    client = connect()
    noticed = {order_id for _list, order_id, _amount, _posted in sim.scenario.money_backs}
    order = next(
        o for o in sim.scenario.orders if o.status == "Shipped" and o.order_id not in noticed
    )
    assert client.money_back_events(order.order_id) == []
    posted = sim.clock.now() - timedelta(hours=1)
    sim.state.money_backs[order.order_id] = [("ChargebackEventList", Decimal("7.50"), posted)]
    [event] = client.money_back_events(order.order_id)
    assert (event.kind, event.amount and event.amount.amount) == ("chargeback", Decimal("7.50"))


def test_without_the_finance_role_finances_is_refused(
    amazon: tuple[SimulatorFront, Connect],
) -> None:
    sim, connect = amazon
    sim.state.finance_role = False
    with pytest.raises(AuthError) as caught:
        connect().money_back_events(_shipped(sim).order_id)
    assert caught.value.status == 403


def _transcript(sim: SimulatorFront, client: SpApi) -> list[Any]:
    """Calls a job makes, with what each answered (feed and report ids are drawn per run)."""
    order = _shipped(sim)
    out: list[Any] = [client.get_order(order.order_id).model_dump(mode="json")]
    out.append(client.get_order_items(order.order_id))
    out.append(sorted(client.get_messaging_actions(order.order_id)))
    out.append(client.get_buyer_locale(order.order_id))
    for _list, order_id, _amount, _posted in sim.scenario.money_backs:
        out.append([(e.kind, str(e.amount), e.posted) for e in client.money_back_events(order_id)])
    document_id = _finished_report(sim, client, "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA")
    out.append(client.get_report_document(document_id))
    return out


def test_the_same_calls_give_the_same_answers() -> None:
    local = InProcessAmazon(seed=11, time_scale=60.0)
    with SimServer(seed=11, time_scale=60.0, now=local.clock.now()) as server:
        over_http = SpApi.for_tenant(
            _tenant(server),
            LwaCredentials(**server.credentials),
            endpoint=server.base_url,
            lwa_url=server.lwa_token_url,
        )
        assert _transcript(server, over_http) == _transcript(local, local.sp_for(_tenant(local)))
