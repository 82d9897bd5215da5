"""The embedded default: the SP-API simulator and moto in this process, no AWS account.

`EmbeddedEnvironment` starts both, creates what template.yaml would (table, bucket, queues,
topic, a verified sender) and a demo tenant whose credentials secret points at the simulator,
and yields `Services` wired to them. The demo, the end-to-end tests and
`spconnector local invoke` all run through it, so they exercise the same code as the Lambdas.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spconnector.domain import Budgets, Mode, Money, Tenant
from spconnector.jobs.services import Services, Settings

if TYPE_CHECKING:
    from spconnector.sim import SimServer

REGION = "us-east-1"
SENDER = "service@demo-seller.example"
DEMO_TENANT = "demo-us"


class MissingLocalExtra(RuntimeError):
    pass


@dataclass
class Embedded:
    services: Services
    sim: SimServer
    tenant: Tenant
    queues: dict[str, str]
    bucket: str
    topic_arn: str

    def drain(self, queue: str, limit: int = 10_000) -> list[dict[str, Any]]:
        """Receive and delete every message on a queue (as SQS would hand them to a Lambda)."""
        import json

        from spconnector.aws.clients import client

        sqs = client("sqs")
        url = self.queues[queue]
        bodies: list[dict[str, Any]] = []
        while len(bodies) < limit:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
            messages = got.get("Messages", [])
            if not messages:
                break
            for m in messages:
                bodies.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return bodies


@contextmanager
def embedded(
    *,
    seed: int = 7,
    time_scale: float = 1.0,
    mode: Mode = Mode.LIVE,
    now: datetime | None = None,
) -> Iterator[Embedded]:
    try:
        from moto import mock_aws
    except ImportError as exc:  # moto is in the [local] and [dev] extras, not the Lambda layer
        raise MissingLocalExtra(
            "the embedded default needs moto: pip install 'spconnector[local]'"
        ) from exc
    from spconnector.aws.clients import client, reset_clients
    from spconnector.aws.secrets import LwaCredentials, put_credentials
    from spconnector.aws.table import create_table
    from spconnector.sim import SimServer

    with ExitStack() as stack:
        saved = {k: os.environ.get(k) for k in _ENV_KEYS}
        stack.callback(_restore_env, saved)
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "embedded",
                "AWS_SECRET_ACCESS_KEY": "embedded",
                "AWS_DEFAULT_REGION": REGION,
            }
        )
        os.environ.pop("SPCONNECTOR_AWS_ENDPOINT", None)
        stack.enter_context(mock_aws())
        reset_clients()
        stack.callback(reset_clients)
        sim = stack.enter_context(SimServer(seed=seed, time_scale=time_scale, now=now))

        table = create_table(client("dynamodb"), "spconnector")
        bucket = "spconnector-data-embedded"
        client("s3").create_bucket(Bucket=bucket)
        sqs = client("sqs")
        queues = {
            name: sqs.create_queue(QueueName=name)["QueueUrl"]
            for name in ("case-events", "actions", "notifications")
        }
        queues["tenant-work"] = sqs.create_queue(
            QueueName="tenant-work.fifo", Attributes={"FifoQueue": "true"}
        )["QueueUrl"]
        topic_arn = client("sns").create_topic(Name="escalations")["TopicArn"]
        client("ses").verify_email_identity(EmailAddress=SENDER)
        client("sesv2").create_email_identity(EmailIdentity=SENDER)

        settings = Settings(
            table=table,
            bucket=bucket,
            case_events_queue=queues["case-events"],
            actions_queue=queues["actions"],
            work_queue=queues["tenant-work"],
            escalation_topic=topic_arn,
            sp_api_endpoint=sim.base_url,
            lwa_token_url=sim.lwa_token_url,
        )
        services = Services(settings=settings, clock=lambda: sim.simulator.clock.now())
        creds = sim.credentials
        secret = put_credentials(
            DEMO_TENANT,
            LwaCredentials(
                lwa_app_id=creds["lwa_app_id"],
                lwa_client_secret=creds["lwa_client_secret"],
                refresh_token=creds["refresh_token"],
            ),
        )
        tenant = services.tenants.add(
            Tenant(
                tenant_id=DEMO_TENANT,
                seller_id=sim.seller_id,
                region="na",
                marketplace_ids=(sim.marketplace_id,),
                mode=mode,
                budgets=Budgets(
                    autonomy_limit=Money.of("75", "USD"),
                    daily_refunds=Money.of("400", "USD"),
                    monthly_refunds=Money.of("3000", "USD"),
                ),
                credentials_secret=secret,
                approved_sender=SENDER,
                ses_recipient="buyer-messages@demo-seller.example",
            )
        )
        yield Embedded(
            services=services,
            sim=sim,
            tenant=tenant,
            queues=queues,
            bucket=bucket,
            topic_arn=topic_arn,
        )


_ENV_KEYS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "SPCONNECTOR_AWS_ENDPOINT",
)


def _restore_env(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
