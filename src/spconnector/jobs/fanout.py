"""Scheduled work, fanned out per tenant.

One scheduler tick enqueues one unit of work per active tenant on a FIFO queue grouped by
tenant: one slow or broken seller never delays the others, a tenant's failing work retries
alone and ends in the DLQ with its reason, and a paused tenant gets nothing.

The IMAP poll, which parses untrusted mail, has its own queue and function (PollMailbox, whose
role reaches no refund, batch or budget key); every other job runs in TenantWorker. Each
function runs only its own jobs: a work item that reaches the wrong one fails (and ends in
that queue's DLQ) instead of running with the other's rights.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from spconnector.aws.queues import OutboundMessage
from spconnector.domain import Tenant
from spconnector.jobs.services import Services
from spconnector.messages import WorkItem
from spconnector.observability import describe_error, get_logger, tenant_scope

log = get_logger(__name__)

JobFn = Callable[[Services, Tenant, datetime], Mapping[str, Any]]


class UnknownJob(ValueError):
    pass


class MisroutedJob(ValueError):
    """A known job sent to the function that does not run it."""


# Job name (as the schedules and work items spell it) → the module whose `run` does it.
JOB_MODULES = {
    "poll_mailbox": "poll_mailbox",
    "poll_returns": "poll_returns",
    "poll_feedback": "poll_feedback",
    "track_feeds": "track_feeds",
    "sla_watch": "sla_watch",
    "report": "impact_report",
    "solicit": "solicit",
    "sync_orders": "sync_orders",
}
JOB_NAMES = tuple(JOB_MODULES)
# Jobs that read untrusted mail: the mailbox-poll queue and the PollMailbox function.
MAILBOX_JOBS = frozenset({"poll_mailbox"})
WORKER_JOBS = frozenset(JOB_NAMES) - MAILBOX_JOBS


def _job(name: str) -> JobFn:
    # Imported on use: each job pulls in its own adapters, and the scheduler needs none.
    module = importlib.import_module(f"spconnector.jobs.{JOB_MODULES[name]}")
    run: JobFn = module.run
    return run


@dataclass
class FanOutResult:
    job: str
    enqueued: list[str] = field(default_factory=list)
    skipped_paused: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fan_out(services: Services, job: str, *, now: datetime | None = None) -> FanOutResult:
    if job not in JOB_NAMES:
        raise UnknownJob(f"unknown job {job!r}; known: {', '.join(JOB_NAMES)}")
    now = now or services.now()
    result = FanOutResult(job=job)
    messages = []
    for tenant in services.tenants.list():
        if tenant.paused:
            result.skipped_paused.append(tenant.tenant_id)
            continue
        body = WorkItem(job=job, tenant=tenant.tenant_id, tick=now.isoformat()).to_body()
        # the same tick for the same tenant and job is one unit of work, even if resent
        dedup = f"{job}-{tenant.tenant_id}-{now.strftime('%Y%m%dT%H%M')}"
        messages.append(OutboundMessage(body=body, tenant=tenant.tenant_id, dedup_id=dedup))
        result.enqueued.append(tenant.tenant_id)
    if messages:
        queue = services.mailbox_poll_queue() if job in MAILBOX_JOBS else services.work_queue()
        queue.send_batch(messages)
    log.info("fanned out", extra={"job": job, "tenants": len(result.enqueued)})
    return result


def run_work_item(services: Services, body: WorkItem | Mapping[str, Any]) -> Mapping[str, Any]:
    """TenantWorker: run one (job, tenant) unit of any job but the mailbox poll. Raises on
    failure so SQS retries it, then dead-letters it."""
    return _run(services, WorkItem.of(body), WORKER_JOBS, "TenantWorker")


def run_mailbox_poll(services: Services, body: WorkItem | Mapping[str, Any]) -> Mapping[str, Any]:
    """PollMailbox: run one tenant's mailbox poll, and nothing else."""
    return _run(services, WorkItem.of(body), MAILBOX_JOBS, "PollMailbox")


def _run(
    services: Services, item: WorkItem, runs_here: frozenset[str], function: str
) -> Mapping[str, Any]:
    job, tenant_id = item.job, item.tenant
    if job not in JOB_NAMES:
        raise UnknownJob(f"unknown job {job!r}")
    if job not in runs_here:
        raise MisroutedJob(f"job {job!r} does not run in {function}")
    with tenant_scope(tenant_id):
        tenant = services.tenants.require(tenant_id)
        if tenant.paused:
            log.info("tenant paused; work skipped", extra={"job": job})
            return {"job": job, "tenant": tenant_id, "skipped": "paused"}
        try:
            result = _job(job)(services, tenant, services.now())
        except Exception as exc:
            # Logged here, inside the tenant's scope: the batch processor that catches it
            # next knows no tenant, and the DLQ keeps the message but not the reason.
            reason = describe_error(exc)
            log.error("tenant work failed", extra={"job": job, "reason": reason})
            raise
        log.info("tenant work done", extra={"job": job})
        return result
