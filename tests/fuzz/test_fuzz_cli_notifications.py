"""Fuzz: `notifications subscribe` — hostile tenant ids and --queue-arn values (FIFO, other
services, partitions, regions and accounts, queue names over 80 characters or with hostile
characters, near misses of a good ARN), missing options. The registry is wiring.py's in-memory
one (held to the DynamoDB registry's contract by tests/unit/contracts), the credentials are
in moto's Secrets Manager, and SP-API is the simulator over HTTP on 127.0.0.1, reached
through the real client, so a good tenant and ARN really create (then reuse) the destination
and subscriptions. Tenants: one with working credentials, one whose secret does not exist,
one whose secret is not credentials. Each input prints its result or exits 1 (the world:
AWS or Amazon) or 2 (the user's mistake) with one line, or Click's usage message; never a
traceback, never over a second of CPU. One input in MAIN_SHARE goes through the console
script's main(); the rest call the command function as main() would."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from hypothesis import given

from spconnector.aws.secrets import LwaCredentials, put_credentials
from spconnector.cli.notifications import subscribe
from spconnector.domain import Tenant
from spconnector.jobs import sp_wiring
from spconnector.sim import SimServer
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import extra_argument, run_command, run_main
from tests.fuzz.grammar import junk, pick, value
from tests.fuzz.wiring import TENANT, CliServices

SUBSCRIBE_INPUTS = 20_000
MAIN_SHARE = 0.1
WORKING = "notify"  # credentials the simulator accepts
BROKEN = "broken"  # a secret that is not LWA credentials
# TENANT (wiring.py): its secret does not exist
QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:spconnector-notifications"
GOOD_ARNS = [
    QUEUE_ARN,
    "arn:aws:sqs:eu-west-1:123456789012:other_queue-2",
    "arn:aws-cn:sqs:cn-north-1:123456789012:" + "q" * 80,
]
BAD_ARNS = [
    "arn:aws:sqs:us-east-1:123456789012:spconnector-notifications.fifo",
    "arn:aws:sns:us-east-1:123456789012:topic",
    "arn:aws:sqs:us-east-1:12345678901:q",
    "arn:aws:sqs:US-EAST-1:123456789012:q",
    "arn:aws:sqs:us-east-1:123456789012:" + "q" * 81,
    "arn:aws:sqs:us-east-1:123456789012:q\n",
    "https://sqs.us-east-1.amazonaws.com/123456789012/spconnector-notifications",
]

subscribe_tally = Tally(SUBSCRIBE_INPUTS)


@pytest.fixture(scope="module")
def sim() -> Iterator[SimServer]:
    with SimServer(seed=7, time_scale=50.0) as server:
        yield server


def _wire(wired: CliServices, sim: SimServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry the command builds is the world's; the tenants' secrets are moto's."""
    monkeypatch.setattr(
        "spconnector.aws.tenants.TenantRegistry", lambda **_: wired.services.tenants
    )
    monkeypatch.setenv("SPCONNECTOR_SP_API_ENDPOINT", sim.base_url)
    monkeypatch.setenv("SPCONNECTOR_LWA_TOKEN_URL", sim.lwa_token_url)
    sp_wiring._credentials.cache_clear()
    secret = put_credentials(WORKING, LwaCredentials(**sim.credentials))
    from spconnector.aws.clients import client

    broken = client("secretsmanager").create_secret(Name="broken", SecretString='{"a": 1}')
    for tenant_id, secret_id in ((WORKING, secret), (BROKEN, broken["ARN"])):
        wired.services.tenants.add(
            Tenant(
                tenant_id=tenant_id,
                seller_id=sim.seller_id,
                region="na",
                marketplace_ids=(sim.marketplace_id,),
                credentials_secret=secret_id,
            )
        )


def _arn(rnd: random.Random) -> str:
    roll = rnd.random()
    # A good one reaches the simulator for the working tenant: a new SP-API client (its
    # HTTP transports, ~70 ms) and a round trip per call, so rarely (~60 full runs of 20,000).
    if roll < 0.01:
        return pick(rnd, GOOD_ARNS)
    if roll < 0.5:
        return value(rnd, BAD_ARNS)
    if roll < 0.8:  # a good ARN with one piece replaced by a hostile or empty one
        parts = QUEUE_ARN.split(":")
        parts[rnd.randrange(len(parts))] = value(rnd, [""])
        return ":".join(parts)
    arn = pick(rnd, GOOD_ARNS + BAD_ARNS)
    at = rnd.randrange(len(arn) + 1)
    return arn[:at] + junk(rnd, 6) + arn[at + rnd.randrange(3) :]


@fuzz_settings(SUBSCRIBE_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_notifications_subscribe(
    cli_services: CliServices,
    sim: SimServer,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
) -> None:
    rnd = random.Random(seed)
    if cli_services.services.tenants.get(WORKING) is None:  # once per test, not per batch
        _wire(cli_services, sim, monkeypatch)
    for _ in range(BATCH):
        tenant = value(rnd, [WORKING, WORKING, BROKEN, TENANT, "newco"])
        arn = _arn(rnd)
        as_json = rnd.random() < 0.5
        if rnd.random() < MAIN_SHARE:
            args = ["notifications", "subscribe"]
            args += [tenant] if rnd.random() < 0.95 else []
            args += ["--queue-arn", arn] if rnd.random() < 0.95 else []
            args += ["--json"] if as_json else []
            subscribe_tally.run(run_main, extra_argument(rnd, args))
        else:
            subscribe_tally.run(run_command, subscribe, tenant, arn, as_json)


def test_fuzz_cli_notifications_ran_their_inputs() -> None:
    subscribe_tally.check()
    for outcome in ("exit 0", "exit 1", "exit 2"):
        assert subscribe_tally.outcomes.get(outcome, 0) > 0, subscribe_tally.outcomes
