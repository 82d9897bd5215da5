"""Shared pieces for the jobs functional tests: the embedded environment (simulator + moto),
relay mail written the way Amazon forwards it, and readers for what the jobs sent out
(SES mail, SNS escalations)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from itertools import count
from typing import Any

import pytest

from spconnector.local.embedded import Embedded, embedded
from spconnector.sim.relay_mail import ses_stored
from tests.chaos.moto_speed import faster_moto

SEED = 7
TIME_SCALE = 60.0
_serial = count(1)


@dataclass
class JobsEnv:
    """The embedded environment plus what a test needs to observe the jobs' effects."""

    env: Embedded
    escalation_queue: str
    _used: set[str] = field(default_factory=set)

    @property
    def services(self) -> Any:
        return self.env.services

    @property
    def tenant(self) -> Any:
        return self.env.services.tenants.require(self.env.tenant.tenant_id)

    @property
    def tid(self) -> str:
        return self.env.tenant.tenant_id

    def now(self) -> datetime:
        return self.env.services.now()

    def drain(self, queue: str) -> list[dict[str, Any]]:
        return self.env.drain(queue)

    def escalations(self) -> list[dict[str, Any]]:
        """Escalation summaries published to SNS since the last call (via an SQS subscriber)."""
        return [json.loads(n["Message"]) for n in self.env.drain(self.escalation_queue)]

    def sent_mail(self) -> list[Any]:
        """Every mail SES accepted in this environment (moto keeps them)."""
        from moto.core.models import DEFAULT_ACCOUNT_ID
        from moto.ses.models import ses_backends

        return list(ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages)

    def order(self, *, channel: str, max_total: float = 1e9, min_total: float = 0.0) -> Any:
        """A delivered scenario order of one fulfillment channel ("MFN"/"AFN") within a total."""
        for order in self.env.sim.scenario.orders:
            total = sum(float(i.unit_price) * i.quantity for i in order.items)
            if (
                order.fulfillment_channel == channel
                and order.delivered_at is not None
                and order.status == "Shipped"
                and min_total <= total <= max_total
                and order.order_id not in self._used
                # Amazon refunded it (or granted a claim) behind a scenario notice: the
                # Finances check refuses it, so it is no order to refund in a test
                and order.order_id not in {o for _l, o, _a, _p in self.env.sim.scenario.money_backs}
            ):
                self._used.add(order.order_id)
                return order
        raise LookupError(f"no unused {channel} order within {min_total}..{max_total}")


@contextmanager
def jobs_world() -> Iterator[JobsEnv]:
    """An embedded environment, moto sped up as for the chaos runs (tests/chaos/moto_speed.py:
    the same results, sooner)."""
    with (
        warnings.catch_warnings(),
        faster_moto(),
        embedded(seed=SEED, time_scale=TIME_SCALE) as env,
    ):
        warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")
        yield _wrap(env)


@pytest.fixture(scope="module")
def jobs_env() -> Iterator[JobsEnv]:
    """One embedded environment per test module (tests use distinct orders)."""
    with jobs_world() as env:
        yield env


def _wrap(env: Embedded) -> JobsEnv:
    from spconnector.aws.clients import client

    sqs = client("sqs")
    url = sqs.create_queue(QueueName="escalations-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    client("sns").subscribe(TopicArn=env.topic_arn, Protocol="sqs", Endpoint=arn)
    env.queues["escalations-inbox"] = url
    return JobsEnv(env=env, escalation_queue="escalations-inbox")


def relay_mail(
    order_id: str | None,
    body: str,
    *,
    received_at: datetime,
    buyer_name: str = "Jane Doe",
    alias: str | None = None,
    subject: str | None = None,
    to: str = "seller-support@example.com",
    message_id: str | None = None,
) -> bytes:
    """A buyer message as Amazon's relay forwards it (see COMMON.md)."""
    n = next(_serial)
    mail = EmailMessage()
    alias = alias or f"relay{n:04d}zz9q@marketplace.amazon.com"
    mail["From"] = f'"{buyer_name} - Amazon Marketplace" <{alias}>'
    mail["To"] = to
    if subject is None:
        subject = f"Inquiry from Amazon customer {buyer_name}" + (
            f" (Order: {order_id})" if order_id else ""
        )
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or f"<0100018c{n:08d}-functional@email.amazonses.com>"
    mail["Date"] = format_datetime(received_at)
    footer = (
        "For Your Information: To help arbitrate disputes and preserve trust and safety, we "
        "retain all messages buyers and sellers send through Buyer-Seller Messaging for two "
        "years.\n\n"
    )
    if order_id:
        footer += f"Order ID: {order_id}\nItem: Something  ASIN: B000000001  Quantity: 1\n"
    mail.set_content(
        "------------- Begin message -------------\n\n"
        f"{body}\n\n"
        "------------- End message -------------\n\n" + footer,
        cte="quoted-printable",
    )
    # As SES stores it: its Received header names the envelope recipient, its verdicts pass.
    return ses_stored(mail.as_bytes(), alias.rpartition("@")[2], received_at, parseaddr(to)[1])


def recent(env: JobsEnv, hours: float = 1.0) -> datetime:
    return env.now() - timedelta(hours=hours)


def ingest(env: JobsEnv, order_id: str | None, body: str, **mail: Any) -> tuple[str, list[Any]]:
    """Ingest one relay mail; returns its case id and the case events it published."""
    from spconnector.jobs.ingest import ingest_email

    mail.setdefault("received_at", recent(env))
    outcome = ingest_email(env.services, env.tenant, relay_mail(order_id, body, **mail))
    assert outcome.status in ("ingested", "duplicate"), outcome
    assert outcome.case_id is not None
    return outcome.case_id, env.drain("case-events")


@pytest.fixture
def mode(jobs_env: JobsEnv) -> Iterator[Any]:
    """Set the demo tenant's mode (or pause it) for one test; restored afterwards."""
    from spconnector.domain import Mode

    registry = jobs_env.services.tenants
    original = registry.require(jobs_env.tid)

    def set_mode(value: Mode | None = None, *, paused: bool | None = None) -> None:
        changes: dict[str, Any] = {}
        if value is not None:
            changes["mode"] = value
        if paused is not None:
            changes["paused"] = paused
        registry.update(jobs_env.tid, **changes)

    yield set_mode
    registry.update(jobs_env.tid, mode=original.mode, paused=original.paused)


@pytest.fixture
def faults(jobs_env: JobsEnv) -> Iterator[Any]:
    """Set the simulator's faults for one test (`faults(feed_fatal=1.0)`); all off afterwards."""
    sim = jobs_env.env.sim
    yield sim.set_faults
    sim.set_faults()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Outside Lambda there is no context: Powertools idempotency warns it cannot see time left.
    for item in items:
        if "functional/jobs" in str(item.fspath):
            item.add_marker(
                pytest.mark.filterwarnings("ignore:Couldn't determine the remaining time")
            )


def pace_sp_client_to_the_simulator(env: JobsEnv) -> None:
    """The tenant's real SP-API client, its rate limiter paced to the simulator's clock.

    The simulator refills its buckets TIME_SCALE times faster than real time; the embedded
    wiring paces the client in real time, which is correct but slow (the client would sleep
    for tokens the simulator already has). Only waiting changes, not what is sent."""
    from spconnector.aws.clients import client
    from spconnector.aws.secrets import SecretsManagerCredentials
    from spconnector.sp.client import SpApi
    from spconnector.sp.limiter import InProcessLimiter

    settings = env.services.settings
    credentials = SecretsManagerCredentials(client("secretsmanager"))

    def factory(tenant: Any) -> Any:
        return SpApi.for_tenant(
            tenant,
            credentials.get(tenant.credentials_secret),
            endpoint=settings.sp_api_endpoint,
            lwa_url=settings.lwa_token_url,
            limiter=InProcessLimiter(time_scale=TIME_SCALE),
        )

    env.services.use_sp_factory(factory)
