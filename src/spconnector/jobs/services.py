"""The adapters a job needs, built once from the environment (Lambda, CLI, demo, local runs).

Jobs receive a `Services` and never build clients themselves, so the same job runs on AWS,
on moto + the simulator (demo, tests, `spconnector local invoke`) and on `sam local`.
Every adapter is created on first use: a Lambda that only fans out never imports the
SP-API client.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spconnector.aws.blobs import RawMailStore
    from spconnector.aws.cases import CaseStore
    from spconnector.aws.checkpoints import CheckpointStore
    from spconnector.aws.escalations import EscalationPublisher
    from spconnector.aws.mail import SesMailer
    from spconnector.aws.queues import CaseEventQueue, Queue
    from spconnector.aws.tenants import TenantRegistry
    from spconnector.domain import Tenant
    from spconnector.mirror import OrderMirror


_SP_CLIENTS_LOCK = threading.Lock()
_ACT_PERSISTENCE_LOCK = threading.Lock()


def act_idempotency_pk(tenant_id: str) -> str:
    """Partition of a tenant's Act idempotency records (tenant-prefixed, like its other data;
    before issue 19 every tenant's records shared the one key "idempotency#act")."""
    return f"{tenant_id}#idempotency#act" if tenant_id else "idempotency#act"


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Settings:
    """Names and endpoints, from the environment the template (or env.json) sets."""

    table: str = "spconnector"
    bucket: str = "spconnector-data"
    case_events_queue: str = ""
    actions_queue: str = ""
    work_queue: str = ""
    escalation_topic: str = ""
    sp_api_endpoint: str = ""  # only for the simulator; empty means Amazon's regional endpoint
    lwa_token_url: str = ""
    buyer_key_secret: str = ""  # Secrets Manager secret keying buyer-history records

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            table=env.get("SPCONNECTOR_TABLE", cls.table),
            bucket=env.get("SPCONNECTOR_BUCKET", cls.bucket),
            case_events_queue=env.get("SPCONNECTOR_CASE_EVENTS_QUEUE", ""),
            actions_queue=env.get("SPCONNECTOR_ACTIONS_QUEUE", ""),
            work_queue=env.get("SPCONNECTOR_TENANT_WORK_QUEUE", ""),
            escalation_topic=env.get("SPCONNECTOR_ESCALATION_TOPIC", ""),
            sp_api_endpoint=env.get("SPCONNECTOR_SP_API_ENDPOINT", ""),
            lwa_token_url=env.get("SPCONNECTOR_LWA_TOKEN_URL", ""),
            buyer_key_secret=env.get("SPCONNECTOR_BUYER_KEY_SECRET", ""),
        )


@dataclass
class Services:
    settings: Settings
    clock: Callable[[], datetime] = _utcnow
    # Overrides for tests and the demo (e.g. a simulator-bound SP-API factory).
    sp_factory: Callable[[Tenant], Any] | None = None
    _sp_clients: dict[str, Any] = field(default_factory=dict)
    _act_layers: dict[str, Any] = field(default_factory=dict)  # tenant → idempotency layer
    _lambda_context: Any = None

    @classmethod
    def from_env(cls) -> Services:
        return cls(settings=Settings.from_env())

    def now(self) -> datetime:
        return self.clock()

    def bind_lambda_context(self, context: Any) -> None:
        """Per invocation: SP-API retries stop before the Lambda's time runs out, and
        idempotency records know when an in-progress run has died."""
        self._lambda_context = context
        if context is not None and hasattr(context, "get_remaining_time_in_millis"):
            self._act_idempotency_config.register_lambda_context(context)

    @cached_property
    def tenants(self) -> TenantRegistry:
        from spconnector.aws.tenants import TenantRegistry

        return TenantRegistry(table=self.settings.table)

    @cached_property
    def cases(self) -> CaseStore:
        from spconnector.aws.cases import CaseStore

        return CaseStore(table=self.settings.table)

    @cached_property
    def checkpoints(self) -> CheckpointStore:
        from spconnector.aws.checkpoints import CheckpointStore

        return CheckpointStore(table=self.settings.table)

    @cached_property
    def order_mirror(self) -> OrderMirror:
        from spconnector.aws.order_mirror import DynamoOrderMirror

        return DynamoOrderMirror(table=self.settings.table)

    @cached_property
    def raw_mail(self) -> RawMailStore:
        from spconnector.aws.blobs import RawMailStore

        return RawMailStore(self.settings.bucket)

    @cached_property
    def case_events(self) -> CaseEventQueue:
        from spconnector.aws.queues import CaseEventQueue

        return CaseEventQueue(_required(self.settings.case_events_queue, "case events queue"))

    @cached_property
    def actions(self) -> Queue:
        from spconnector.aws.queues import Queue

        return Queue(_required(self.settings.actions_queue, "actions queue"))

    def work_queue(self) -> Queue:
        from spconnector.aws.queues import Queue

        return Queue(_required(self.settings.work_queue, "tenant work queue"))

    @cached_property
    def escalations(self) -> EscalationPublisher:
        from spconnector.aws.escalations import EscalationPublisher

        return EscalationPublisher(_required(self.settings.escalation_topic, "escalation topic"))

    @cached_property
    def mailer(self) -> SesMailer:
        from spconnector.aws.mail import SesMailer

        return SesMailer()

    @cached_property
    def buyer_history_key(self) -> bytes | None:
        """The HMAC key for buyer-history records; None when none is configured."""
        if not self.settings.buyer_key_secret:
            return None
        from spconnector.aws.clients import client

        secret = client("secretsmanager").get_secret_value(SecretId=self.settings.buyer_key_secret)
        return str(secret["SecretString"]).encode()

    @cached_property
    def refund_ledger(self) -> Any:
        from spconnector.aws.clients import client
        from spconnector.refunds.ledger_dynamodb import DynamoRefundLedger

        return DynamoRefundLedger(client("dynamodb"), table=self.settings.table)

    @cached_property
    def _act_idempotency(self) -> tuple[Any, Any]:
        """(persistence layer of the demo/unknown-tenant key space, the shared config).
        Act records themselves live under their tenant's key (see _act_persistence)."""
        return self._act_persistence(""), self._act_idempotency_config

    @cached_property
    def _act_idempotency_config(self) -> Any:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

        return IdempotencyConfig(
            # one action message = one (tenant, case, decision); the hash includes the tenant
            event_key_jmespath="[tenant, case_id, decision]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=7 * 24 * 3600,
        )

    def _act_persistence(self, tenant_id: str) -> Any:
        """The idempotency records of one tenant's actions, under "<tenant>#idempotency#act".

        One partition per tenant instead of one for every action of every tenant (a hot key):
        an action's record key is still a function of (tenant, case, decision) alone, so every
        redelivery of an action finds the record its first delivery wrote, as before."""
        with _ACT_PERSISTENCE_LOCK:
            persistence = self._act_layers.get(tenant_id)
            if persistence is None:
                from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

                from spconnector.aws.clients import client

                persistence = DynamoDBPersistenceLayer(
                    table_name=self.settings.table,
                    key_attr="pk",
                    sort_key_attr="sk",
                    static_pk_value=act_idempotency_pk(tenant_id),
                    expiry_attr="expires_at",
                    boto3_client=client("dynamodb"),
                )
                # Configured now, before any thread shares it: Powertools' configure() marks
                # the layer configured before it sets the key expression, so a second thread
                # running meanwhile would hash the whole body instead of (tenant, case,
                # decision) — another key for the same action. (The name is set again, to
                # the same value, on each call.)
                persistence.configure(
                    self._act_idempotency_config,
                    f"{__name__}.Services.idempotent_act.<locals>.run",
                )
                self._act_layers[tenant_id] = persistence
        return persistence

    def idempotent_act(
        self, fn: Callable[[Services, Any], dict[str, Any]], body: Any
    ) -> dict[str, Any]:
        """Run an Act step once per (tenant, case, decision), however often SQS delivers it."""
        from aws_lambda_powertools.utilities.idempotency import idempotent_function

        persistence = self._act_persistence(str(dict(body).get("tenant", "")))
        config = self._act_idempotency_config

        @idempotent_function(  # type: ignore[untyped-decorator]
            data_keyword_argument="body", persistence_store=persistence, config=config
        )
        def run(body: dict[str, Any]) -> dict[str, Any]:
            return fn(self, body)

        result: dict[str, Any] = run(body=dict(body))
        return result

    def sp(self, tenant: Tenant) -> Any:
        """The tenant's SP-API client (one per tenant per container; never shared across)."""
        client = self._sp_clients.get(tenant.tenant_id)
        if client is None:
            if self.sp_factory is not None:
                made = self.sp_factory(tenant)
            else:
                from spconnector.jobs.sp_wiring import sp_client_for

                made = sp_client_for(tenant, self.settings)
            # Threads (CLI, local runs, the bench) may make one at the same moment: the first
            # stored wins and every caller uses it, so a tenant never has two clients with
            # two rate-limiter buckets. Made outside the lock: it may read a secret.
            with _SP_CLIENTS_LOCK:
                client = self._sp_clients.setdefault(tenant.tenant_id, made)
        context = self._lambda_context
        if context is not None and hasattr(context, "get_remaining_time_in_millis"):
            from spconnector.sp.deadline import Deadline

            client.deadline = Deadline.from_lambda_context(context)
        return client


class MissingSetting(RuntimeError):
    pass


def _required(value: str, what: str) -> str:
    if not value:
        raise MissingSetting(f"no {what} configured (see template.yaml / env.json)")
    return value
