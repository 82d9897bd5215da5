"""The adapters a job needs, built once from the environment (Lambda, CLI, demo, local runs).

Jobs receive a `Services` and never build clients themselves, so the same job runs on AWS,
on moto + the simulator (demo, tests, `spconnector local invoke`) and on `sam local`.
Every adapter is created on first use: a Lambda that only fans out never imports the
SP-API client.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from spconnector.jobs.settings import Settings as Settings  # re-exported

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.base import (
        BasePersistenceLayer,
    )

    from spconnector.domain import Tenant
    from spconnector.jobs.ports import (
        ApprovalRecords,
        BuyerHistoryStore,
        CaseEvents,
        Cases,
        Checkpoints,
        Escalations,
        GrowthStore,
        ImpactStore,
        Mailer,
        MessageQueue,
        Outbox,
        PendingReports,
        RawMail,
        ReportPages,
        Secrets,
        SpendCounters,
        Tenants,
    )
    from spconnector.kb.store import KbStore
    from spconnector.mirror import OrderMirror
    from spconnector.refunds.ports import RefundLedger
    from spconnector.sp.client import SpApi
    from spconnector.understanding.converse import SpendLedger


_SP_CLIENTS_LOCK = threading.Lock()
_ACT_PERSISTENCE_LOCK = threading.Lock()


def act_idempotency_pk(tenant_id: str) -> str:
    """Partition of a tenant's Act idempotency records (tenant-prefixed, like its other data;
    before issue 19 every tenant's records shared the one key "idempotency#act")."""
    return f"{tenant_id}#idempotency#act" if tenant_id else "idempotency#act"


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    clock: Callable[[], datetime] = _utcnow
    # Overrides for tests and the demo (e.g. a simulator-bound SP-API factory).
    sp_factory: Callable[[Tenant], SpApi] | None = None
    _sp_clients: dict[str, SpApi] = field(default_factory=dict)
    _act_layers: dict[str, Any] = field(default_factory=dict)  # tenant → configured layer
    _lambda_context: Any = None

    @classmethod
    def from_env(cls) -> Services:
        return cls(settings=Settings.from_env())

    def use(self, **adapters: Any) -> None:
        """Swap adapters (the chaos harness wraps them; tests plug in fakes). Each name must
        be one of the stores below; the adapter must honour that store's port."""
        for name, adapter in adapters.items():
            if not isinstance(getattr(type(self), name, None), cached_property):
                raise AttributeError(f"Services has no adapter {name!r}")
            self.__dict__[name] = adapter  # where cached_property keeps its value

    def use_sp(self, tenant_id: str, client: SpApi) -> SpApi | None:
        """Swap one tenant's SP-API client (the chaos harness wraps it); returns the one it
        replaces, if any, so the caller can put it back."""
        with _SP_CLIENTS_LOCK:
            previous = self._sp_clients.get(tenant_id)
            self._sp_clients[tenant_id] = client
        return previous

    def use_sp_factory(self, factory: Callable[[Tenant], SpApi]) -> None:
        """Build every tenant's SP-API client with `factory` from now on (clients built
        before are dropped)."""
        with _SP_CLIENTS_LOCK:
            self.sp_factory = factory
            self._sp_clients.clear()

    def now(self) -> datetime:
        return self.clock()

    def bind_lambda_context(self, context: Any) -> None:
        """Per invocation: SP-API retries stop before the Lambda's time runs out, and
        idempotency records know when an in-progress run has died."""
        self._lambda_context = context
        if context is not None and hasattr(context, "get_remaining_time_in_millis"):
            self._act_idempotency_config.register_lambda_context(context)

    @cached_property
    def tenants(self) -> Tenants:
        from spconnector.aws.tenants import TenantRegistry

        return TenantRegistry(table=self.settings.table)

    @cached_property
    def cases(self) -> Cases:
        from spconnector.aws.cases import CaseStore

        return CaseStore(table=self.settings.table)

    @cached_property
    def checkpoints(self) -> Checkpoints:
        from spconnector.aws.checkpoints import CheckpointStore

        return CheckpointStore(table=self.settings.table)

    @cached_property
    def order_mirror(self) -> OrderMirror:
        from spconnector.aws.order_mirror import DynamoOrderMirror

        return DynamoOrderMirror(table=self.settings.table)

    @cached_property
    def raw_mail(self) -> RawMail:
        from spconnector.aws.blobs import RawMailStore

        return RawMailStore(self.settings.bucket)

    @cached_property
    def case_events(self) -> CaseEvents:
        from spconnector.aws.queues import CaseEventQueue

        return CaseEventQueue(_required(self.settings.case_events_queue, "case events queue"))

    @cached_property
    def actions(self) -> MessageQueue:
        from spconnector.aws.queues import Queue

        return Queue(_required(self.settings.actions_queue, "actions queue"))

    def work_queue(self) -> MessageQueue:
        return self.work_queue_adapter

    @cached_property
    def work_queue_adapter(self) -> MessageQueue:
        from spconnector.aws.queues import Queue

        return Queue(_required(self.settings.work_queue, "tenant work queue"))

    def mailbox_poll_queue(self) -> MessageQueue:
        return self.mailbox_poll_queue_adapter

    @cached_property
    def mailbox_poll_queue_adapter(self) -> MessageQueue:
        from spconnector.aws.queues import Queue

        return Queue(_required(self.settings.mailbox_poll_queue, "mailbox poll queue"))

    @cached_property
    def escalations(self) -> Escalations:
        from spconnector.aws.escalations import EscalationPublisher

        return EscalationPublisher(_required(self.settings.escalation_topic, "escalation topic"))

    @cached_property
    def mailer(self) -> Mailer:
        from spconnector.aws.mail import SesMailer

        return SesMailer()

    def mailer_for(self, tenant: Tenant) -> Mailer:
        """The tenant's choice: its own mailbox over SMTP when `smtp_mailbox` names a secret,
        else SES (`mailer`). The secret is read on every call, so a rotated password is
        used at once; replies are few enough that this costs nothing that matters.

        A secret that is missing, unreadable, not a JSON object or lacking a field raises
        MailboxUnusable (says which tenant and what is wrong, never the content): a person
        must fix it, retrying would not. A transient Secrets Manager error propagates."""
        if not tenant.smtp_mailbox:
            return self.mailer
        from spconnector.aws.smtp_mail import SmtpMailer, SmtpSettings, SmtpSettingsError
        from spconnector.jobs.mailbox_secret import mailbox_secret
        from spconnector.jobs.ports import MailboxUnusable

        data = mailbox_secret(self.secrets, tenant, tenant.smtp_mailbox, "SMTP")
        try:
            return SmtpMailer(SmtpSettings.from_secret(data))
        except SmtpSettingsError as e:
            unusable = f"the SMTP secret of tenant {tenant.tenant_id} ({tenant.smtp_mailbox})"
            raise MailboxUnusable(f"{unusable} is unusable: {e}") from None

    @cached_property
    def secrets(self) -> Secrets:
        from spconnector.aws.wiring import SecretsManagerSecrets

        return SecretsManagerSecrets()

    @cached_property
    def report_pages(self) -> ReportPages:
        from spconnector.aws.wiring import S3ReportPages

        return S3ReportPages(self.settings.bucket)

    @cached_property
    def buyer_history_key(self) -> bytes | None:
        """The HMAC key for buyer-history records; None when none is configured."""
        if not self.settings.buyer_key_secret:
            return None
        return self.secrets.text(self.settings.buyer_key_secret).encode()

    @cached_property
    def outbox(self) -> Outbox:
        from spconnector.aws import wiring

        return wiring.outbox(self.settings.table)

    @cached_property
    def spend(self) -> SpendCounters:
        from spconnector.aws import wiring

        return wiring.spend(self.settings.table)

    @cached_property
    def buyer_history(self) -> BuyerHistoryStore:
        from spconnector.aws import wiring

        return wiring.buyer_history(self.settings.table, self.buyer_history_key)

    @cached_property
    def approvals(self) -> ApprovalRecords:
        from spconnector.aws import wiring

        return wiring.approvals(self.settings.table)

    @cached_property
    def pending_reports(self) -> PendingReports:
        from spconnector.aws import wiring

        return wiring.pending_reports(self.settings.table)

    @cached_property
    def impact(self) -> ImpactStore:
        from spconnector.aws import wiring

        return wiring.impact(self.settings.table, self.now)

    @cached_property
    def bedrock_spend(self) -> SpendLedger:
        """Each tenant's Bedrock spend per month: the monthly cost cap, across containers."""
        from spconnector.aws import wiring

        return wiring.bedrock_spend(self.settings.table)

    @cached_property
    def growth(self) -> GrowthStore:
        """Review-request claims, growth events, A-to-z claim and removal-candidate docs."""
        from spconnector.aws import wiring

        return wiring.growth(self.settings.table)

    @cached_property
    def kb(self) -> KbStore:
        """Each tenant's knowledge-base versions."""
        from spconnector.aws.kb_store import S3KbStore

        return S3KbStore(table=self.settings.table, bucket=self.settings.bucket)

    @cached_property
    def refund_ledger(self) -> RefundLedger:
        from spconnector.aws import wiring

        return wiring.refund_ledger(self.settings.table)

    @cached_property
    def act_idempotency_store(self) -> Callable[[str], BasePersistenceLayer]:
        """Powertools' idempotency records of the Act step, one layer per tenant under
        "<tenant>#idempotency#act" (one hot partition for every tenant's actions before)."""
        from spconnector.aws import wiring

        table = self.settings.table
        return lambda tenant_id: wiring.idempotency_persistence(
            table, act_idempotency_pk(tenant_id)
        )

    @cached_property
    def _act_idempotency(self) -> tuple[Any, Any]:
        """(layer of the demo/unknown-tenant key space, the shared config). Act records
        themselves live under their tenant's key (see _act_persistence)."""
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
        """The configured layer of one tenant's Act records.

        An action's record key is still a function of (tenant, case, decision) alone, so every
        redelivery of an action finds the record its first delivery wrote."""
        with _ACT_PERSISTENCE_LOCK:
            persistence = self._act_layers.get(tenant_id)
            if persistence is None:
                persistence = self.act_idempotency_store(tenant_id)
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

    def sp(self, tenant: Tenant) -> SpApi:
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
