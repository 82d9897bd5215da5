"""What template.yaml would create, made by hand on moto (in-process or `moto_server`), and the
demo tenant whose credentials point at the simulator.

Shared by the embedded default (local/embedded.py) and `spconnector local up`, so the demo,
`local invoke` and `sam local invoke` against `local up` see the same names.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spconnector.domain import Budgets, Mode, Money, Tenant
from spconnector.jobs.services import Services, Settings

if TYPE_CHECKING:
    from spconnector.sim import SimServer

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
SENDER = "service@demo-seller.example"
DEMO_TENANT = "demo-us"
BUYER_KEY_SECRET_NAME = "spconnector/local/buyer-history-key"  # noqa: S105 — a name, not a value
DEMO_RECIPIENT = "buyer-messages@demo-seller.example"
CONSOLE_SIGN_IN_PARAMETER_NAME = (
    "/spconnector/local/console-sign-in"  # template: /spconnector/<Stage>/…
)
CONSOLE_KEY_SECRET_NAME = "spconnector/local/console-session-key"  # noqa: S105 — a name


@dataclass(frozen=True)
class ResourceNames:
    table: str = "spconnector"
    bucket: str = "spconnector-data-embedded"
    case_events_queue: str = "case-events"
    actions_queue: str = "actions"
    notifications_queue: str = "notifications"
    tenant_work_queue: str = "tenant-work.fifo"
    mailbox_poll_queue: str = "mailbox-poll.fifo"
    escalation_topic: str = "escalations"
    sender: str = SENDER


@dataclass
class LocalResources:
    """Physical names and URLs of what `create_resources` made."""

    table: str
    bucket: str
    # "case-events" | "actions" | "notifications" | "tenant-work" | "mailbox-poll" → URL
    queues: dict[str, str]
    topic_arn: str
    sender: str
    queue_arns: dict[str, str] = field(default_factory=dict)
    buyer_key_secret: str = ""

    def settings(self, sim: SimServer | None = None) -> Settings:
        return Settings(
            table=self.table,
            bucket=self.bucket,
            case_events_queue=self.queues["case-events"],
            actions_queue=self.queues["actions"],
            work_queue=self.queues["tenant-work"],
            mailbox_poll_queue=self.queues["mailbox-poll"],
            escalation_topic=self.topic_arn,
            sp_api_endpoint=sim.base_url if sim else "",
            lwa_token_url=sim.lwa_token_url if sim else "",
            buyer_key_secret=self.buyer_key_secret,
        )


def create_resources(names: ResourceNames | None = None) -> LocalResources:
    """Table, bucket, queues, topic and a verified SES sender, through `aws.clients.client`
    (so in-process moto under `mock_aws`, or a moto server via SPCONNECTOR_AWS_ENDPOINT)."""
    from spconnector.aws.clients import client
    from spconnector.aws.table import create_table

    names = names or ResourceNames()
    table = create_table(client("dynamodb"), names.table)
    client("s3").create_bucket(Bucket=names.bucket)
    sqs = client("sqs")
    queues = {
        "case-events": sqs.create_queue(QueueName=names.case_events_queue)["QueueUrl"],
        "actions": sqs.create_queue(QueueName=names.actions_queue)["QueueUrl"],
        "notifications": sqs.create_queue(QueueName=names.notifications_queue)["QueueUrl"],
        "tenant-work": sqs.create_queue(
            QueueName=names.tenant_work_queue, Attributes={"FifoQueue": "true"}
        )["QueueUrl"],
        "mailbox-poll": sqs.create_queue(
            QueueName=names.mailbox_poll_queue, Attributes={"FifoQueue": "true"}
        )["QueueUrl"],
    }
    queue_arns = {
        key: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        for key, url in queues.items()
    }
    topic_arn = client("sns").create_topic(Name=names.escalation_topic)["TopicArn"]
    client("ses").verify_email_identity(EmailAddress=names.sender)
    client("sesv2").create_email_identity(EmailIdentity=names.sender)
    # what template.yaml's BuyerHistoryKey generates: a random key, kept in Secrets Manager
    buyer_key = client("secretsmanager").create_secret(
        Name=BUYER_KEY_SECRET_NAME, SecretString=secrets.token_hex(32)
    )["ARN"]
    # what template.yaml's ConsoleSessionKey generates (the console's session/CSRF HMAC key)
    client("secretsmanager").create_secret(
        Name=CONSOLE_KEY_SECRET_NAME, SecretString=secrets.token_hex(32)
    )
    # what template.yaml's ConsoleSignIn holds. There is no Cognito locally: the hosted-UI
    # addresses lead nowhere (port 9, discard), and `spconnector console` signs in with its
    # local login instead; the Lambda handler still starts as it does in AWS.
    client("ssm").put_parameter(
        Name=CONSOLE_SIGN_IN_PARAMETER_NAME,
        Type="String",
        Value=json.dumps(
            {
                "domain": "http://127.0.0.1:9/no-cognito-locally",
                "client_id": "local",
                "issuer": "http://127.0.0.1:9/no-cognito-locally",
                "redirect_uri": "http://127.0.0.1:3000/auth/callback",
                "logout_uri": "http://127.0.0.1:3000/login",
            }
        ),
    )
    return LocalResources(
        buyer_key_secret=buyer_key,
        table=table,
        bucket=names.bucket,
        queues=queues,
        topic_arn=topic_arn,
        sender=names.sender,
        queue_arns=queue_arns,
    )


def add_demo_tenant(
    services: Services, sim: SimServer, *, mode: Mode = Mode.LIVE, sender: str = SENDER
) -> Tenant:
    """The simulated seller as tenant `demo-us`, its LWA credentials in Secrets Manager."""
    from spconnector.aws.secrets import LwaCredentials, put_credentials

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
            approved_sender=sender,
            ses_recipient=DEMO_RECIPIENT,
        )
    )
    push_demo_kb(services, tenant)
    return tenant


def push_demo_kb(services: Services, tenant: Tenant) -> None:
    """The simulated seller's product knowledge base (its product questions get answers)."""
    from pathlib import Path

    from spconnector.jobs.knowledge import kb_store

    text = (Path(__file__).parents[1] / "kb" / "demo.yaml").read_text(encoding="utf-8")
    kb_store(services).push(tenant.tenant_id, text)
