"""In-memory adapters for every port `Services` exposes: the fakes unit tests and the chaos
harness run jobs on. Each honours its DynamoDB/AWS adapter's contract (conditional writes,
compare-and-set, the two-counter budget step) — tests/unit/contracts checks both the same way.

`in_memory_services()` wires them all into a `Services`; `in_memory_adapters()` makes a
fresh set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spconnector.jobs import ports
from spconnector.kb.store import KbStore
from spconnector.memory.cases import MemoryCaseStore
from spconnector.memory.growth import MemoryGrowthStore
from spconnector.memory.idempotency import MemoryIdempotencyStore
from spconnector.memory.messaging import (
    MemoryCaseEventQueue,
    MemoryEscalations,
    MemoryMailer,
    MemoryQueue,
    MemoryRawMail,
    QueuedMessage,
)
from spconnector.memory.registry import MemoryCheckpointStore, MemoryKbStore, MemoryTenantRegistry
from spconnector.memory.stores import (
    MemoryApprovalRecords,
    MemoryBuyerHistory,
    MemoryImpactStore,
    MemoryOutbox,
    MemoryPendingReports,
    MemoryReportPages,
    MemorySecrets,
    MemorySpendCounters,
)
from spconnector.refunds.ports import RefundLedger
from spconnector.understanding.converse import MemorySpendLedger, SpendLedger

if TYPE_CHECKING:
    from spconnector.domain import Tenant
    from spconnector.jobs.services import Services
    from spconnector.sp.client import SpApi

__all__ = [
    "MemoryApprovalRecords",
    "MemoryBuyerHistory",
    "MemoryCaseEventQueue",
    "MemoryCaseStore",
    "MemoryCheckpointStore",
    "MemoryEscalations",
    "MemoryGrowthStore",
    "MemoryIdempotencyStore",
    "MemoryImpactStore",
    "MemoryKbStore",
    "MemoryMailer",
    "MemoryOutbox",
    "MemoryPendingReports",
    "MemoryQueue",
    "MemoryRawMail",
    "MemoryReportPages",
    "MemorySecrets",
    "MemorySpendCounters",
    "MemoryTenantRegistry",
    "QueuedMessage",
    "in_memory_adapters",
]


def in_memory_adapters(*, clock: Callable[[], datetime], buyer_key: bytes | None) -> dict[str, Any]:
    """A fresh fake for each store of `Services`, by its property name. Each is bound to its
    port's type first, so mypy checks that every fake honours its port's signatures."""
    from spconnector.memory.order_mirror import MemoryOrderMirror
    from spconnector.mirror.store import OrderMirror
    from spconnector.refunds.ledger_memory import MemoryRefundLedger

    tenants: ports.Tenants = MemoryTenantRegistry()
    cases: ports.Cases = MemoryCaseStore(clock)
    checkpoints: ports.Checkpoints = MemoryCheckpointStore()
    raw_mail: ports.RawMail = MemoryRawMail()
    case_events: ports.CaseEvents = MemoryCaseEventQueue("case-events")
    actions: ports.MessageQueue = MemoryQueue("actions")
    work_queue: ports.MessageQueue = MemoryQueue("tenant-work")
    mailbox_poll_queue: ports.MessageQueue = MemoryQueue("mailbox-poll")
    escalations: ports.Escalations = MemoryEscalations()
    mailer: ports.Mailer = MemoryMailer()
    secrets: ports.Secrets = MemorySecrets()
    report_pages: ports.ReportPages = MemoryReportPages()
    outbox: ports.Outbox = MemoryOutbox()
    spend: ports.SpendCounters = MemorySpendCounters()
    buyer_history: ports.BuyerHistoryStore = MemoryBuyerHistory(buyer_key)
    approvals: ports.ApprovalRecords = MemoryApprovalRecords()
    pending_reports: ports.PendingReports = MemoryPendingReports()
    impact: ports.ImpactStore = MemoryImpactStore()
    growth: ports.GrowthStore = MemoryGrowthStore()
    bedrock_spend: SpendLedger = MemorySpendLedger()
    refund_ledger: RefundLedger = MemoryRefundLedger()
    kb: KbStore = MemoryKbStore()
    order_mirror: OrderMirror = MemoryOrderMirror()
    return {
        "tenants": tenants,
        "cases": cases,
        "checkpoints": checkpoints,
        "raw_mail": raw_mail,
        "case_events": case_events,
        "actions": actions,
        "work_queue_adapter": work_queue,
        "mailbox_poll_queue_adapter": mailbox_poll_queue,
        "escalations": escalations,
        "mailer": mailer,
        "secrets": secrets,
        "report_pages": report_pages,
        "buyer_history_key": buyer_key,
        "outbox": outbox,
        "spend": spend,
        "buyer_history": buyer_history,
        "approvals": approvals,
        "pending_reports": pending_reports,
        "impact": impact,
        "growth": growth,
        "bedrock_spend": bedrock_spend,
        "refund_ledger": refund_ledger,
        "kb": kb,
        "order_mirror": order_mirror,
        # one per tenant, as in DynamoDB (Services caches each tenant's configured layer)
        "act_idempotency_store": lambda _tenant: MemoryIdempotencyStore(),
    }


def in_memory_services(
    *,
    clock: Callable[[], datetime] | None = None,
    sp_factory: Callable[[Tenant], SpApi] | None = None,
    buyer_key: bytes | None = b"in-memory buyer key",
) -> Services:
    """A `Services` with every store an in-memory fake, nothing reached over the network but
    the SP-API client `sp_factory` makes: jobs run without AWS."""
    from spconnector.jobs.services import Services, Settings

    services = Services(settings=Settings(), sp_factory=sp_factory)
    if clock is not None:
        services.clock = clock
    services.use(**in_memory_adapters(clock=services.clock, buyer_key=buyer_key))
    return services
