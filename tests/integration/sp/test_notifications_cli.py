"""`spconnector notifications subscribe` end to end: registry and secret in moto, SP-API in the
simulator, through the real client and python-amazon-sp-api."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from typer.testing import CliRunner

from spconnector.aws import clients
from spconnector.aws.secrets import LwaCredentials, put_credentials
from spconnector.aws.table import create_table
from spconnector.aws.tenants import TenantRegistry
from spconnector.cli.notifications import app
from spconnector.domain import Tenant
from spconnector.jobs import sp_wiring
from spconnector.sim import SimServer
from spconnector.sp.subscriptions import NOTIFICATION_PAYLOAD_VERSIONS

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:spconnector-notifications"
TABLE = "spconnector-notifications-test"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[SimServer]:
    with mock_aws(), SimServer(seed=7, time_scale=50.0) as sim:
        clients.reset_clients()
        sp_wiring._credentials.cache_clear()
        monkeypatch.setenv("SPCONNECTOR_TABLE", TABLE)
        monkeypatch.setenv("SPCONNECTOR_SP_API_ENDPOINT", sim.base_url)
        monkeypatch.setenv("SPCONNECTOR_LWA_TOKEN_URL", sim.lwa_token_url)
        create_table(boto3.client("dynamodb", region_name="us-east-1"), TABLE)
        secret = put_credentials("acme", LwaCredentials(**sim.credentials))
        TenantRegistry(table=TABLE).add(
            Tenant(
                tenant_id="acme",
                seller_id=sim.seller_id,
                region="na",
                marketplace_ids=(sim.marketplace_id,),
                credentials_secret=secret,
            )
        )
        try:
            yield sim
        finally:
            sp_wiring._credentials.cache_clear()
            clients.reset_clients()


def _subscribe(*args: str) -> tuple[int, dict[str, object] | None, str]:
    result = CliRunner().invoke(app, ["subscribe", *args])
    payload = None
    if result.exit_code == 0 and "--json" in args:
        payload = json.loads(result.stdout)
    return result.exit_code, payload, result.stderr


def test_subscribe_twice_creates_once(world: SimServer) -> None:
    code, first, _ = _subscribe("acme", "--queue-arn", QUEUE_ARN, "--json")
    assert code == 0 and first is not None
    assert first["destination_status"] == "created"
    subs = first["subscriptions"]
    assert isinstance(subs, list)
    assert {s["notification_type"]: s["status"] for s in subs} == dict.fromkeys(
        NOTIFICATION_PAYLOAD_VERSIONS, "created"
    )
    # What the simulator (Amazon) now holds: one destination, our three subscriptions.
    assert [d["resource"]["sqs"]["arn"] for d in world.state.destinations.values()] == [QUEUE_ARN]
    held = world.state.subscriptions
    assert set(held) == set(NOTIFICATION_PAYLOAD_VERSIONS)
    for kind, version in NOTIFICATION_PAYLOAD_VERSIONS.items():
        assert held[kind]["payloadVersion"] == version
        assert held[kind]["destinationId"] == first["destination_id"]
    before = (dict(world.state.destinations), {k: dict(v) for k, v in held.items()})

    code, second, _ = _subscribe("acme", "--queue-arn", QUEUE_ARN, "--json")
    assert code == 0 and second is not None
    assert second["destination_status"] == "reused"
    assert second["destination_id"] == first["destination_id"]
    again = second["subscriptions"]
    assert isinstance(again, list) and {s["status"] for s in again} == {"reused"}
    assert (world.state.destinations, world.state.subscriptions) == before  # nothing new


def test_text_output_names_what_happened(world: SimServer) -> None:
    result = CliRunner().invoke(app, ["subscribe", "acme", "--queue-arn", QUEUE_ARN])
    assert result.exit_code == 0
    assert "(created)" in result.stdout and "ORDER_CHANGE 1.0" in result.stdout


def test_subscription_to_another_destination_is_reported_not_moved(world: SimServer) -> None:
    assert _subscribe("acme", "--queue-arn", QUEUE_ARN)[0] == 0
    other = "arn:aws:sqs:us-east-1:123456789012:other-queue"
    code, _, stderr = _subscribe("acme", "--queue-arn", other)
    assert code == 1
    assert "ORDER_CHANGE is subscribed to destination" in stderr
    assert len(world.state.destinations) == 2  # the new queue's destination exists now
    first_destination = next(iter(world.state.destinations))
    assert world.state.subscriptions["ORDER_CHANGE"]["destinationId"] == first_destination


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--queue-arn", QUEUE_ARN], "no tenant 'nobody'"),
        (["acme", "--queue-arn", "arn:aws:sns:us-east-1:123456789012:topic"], "not an SQS"),
        (["acme", "--queue-arn", QUEUE_ARN + ".fifo"], "FIFO"),
        (["acme", "--queue-arn", "my-queue"], "not an SQS queue ARN"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(
    world: SimServer, args: list[str], message: str
) -> None:
    code, _, stderr = _subscribe(*args)
    assert code == 2
    assert stderr.startswith("error: ") and message in stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not world.state.destinations and not world.state.subscriptions
