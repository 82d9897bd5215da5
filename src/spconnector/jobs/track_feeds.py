"""TrackFeeds: approved refunds go out in one adjustment feed per tenant and marketplace, and
submitted feeds are reconciled from Amazon's processing reports, message by message.

Every refund that ends not confirmed — rejected, retries used up, never sent in time (failed:
no money moved), or FATAL, unreadable, unanswered, "duplicate" (unknown: the money may have
moved) — is escalated here to a person with the buyer's promise attached (what they were
told, the amount, the order), counted in a metric, and its case stops showing `refunded`.
The refund is marked escalated only after the escalation is published: a crash in between
tells the person twice, never not at all. A batch that never reached Amazon is wound up
`confirm_within` after it was opened (refunds/submission.py), so no refund state waits
without a deadline. An approved refund not yet in a feed whose case's stored return now says
Amazon paid (a later returns report) is not sent: failed, noted as refunded elsewhere, a
person told (`stop_paid_by_amazon`). A failed refund nothing will send again gives its
budget reservation back, once (jobs/spend.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from spconnector.domain import CaseStatus, Mode, Tenant
from spconnector.jobs.services import Services
from spconnector.jobs.spend import give_back_all_unspent
from spconnector.observability import get_logger
from spconnector.refunds.model import Refund, RefundState
from spconnector.refunds.outcomes import expire_unsent, mark_escalated, unreported
from spconnector.refunds.ports import FeedStatus
from spconnector.refunds.submit import RefundPorts, submit_pending, track
from spconnector.sp.feeds_adapter import SpFeeds

log = get_logger(__name__)


def ports_for(services: Services, tenant: Tenant) -> RefundPorts:
    return RefundPorts(
        feeds=SpFeeds(services.sp(tenant)),
        ledger=services.refund_ledger,
        clock=services,  # Services.now() is the refunds Clock
        merchant_identifier=tenant.seller_id,
    )


def run(
    services: Services,
    tenant: Tenant,
    now: datetime,
    *,
    finished: Mapping[str, FeedStatus] | None = None,
) -> dict[str, Any]:
    ports = ports_for(services, tenant)
    summary: dict[str, Any] = {}
    for marketplace_id in tenant.marketplace_ids:
        tracked = track(ports, tenant.tenant_id, marketplace_id, finished=finished)
        expired = expire_unsent(ports.ledger, ports.clock, tenant.tenant_id, marketplace_id)
        expired += stop_paid_by_amazon(services, ports, tenant.tenant_id, marketplace_id)
        may_act = not tenant.paused and tenant.mode is not Mode.SHADOW
        submitted = submit_pending(ports, tenant.tenant_id, marketplace_id, may_act=may_act)
        # after tracking and recovery closed what they could: only then is a failure final
        given_back = give_back_all_unspent(services, tenant.tenant_id, marketplace_id)
        escalated = escalate_unconfirmed(services, tenant, ports, marketplace_id)
        summary[marketplace_id] = {
            "confirmed": tracked.confirmed,
            "failed": tracked.failed + len(expired),
            "unknown": tracked.unknown,
            "escalated": escalated,
            "budget_given_back": given_back,
            "submitted": submitted.submitted,
            "feed_id": submitted.feed_id,
            "wait_seconds": submitted.wait_seconds,
            "error": submitted.error,
        }
    return summary


# How a refund stopped before its feed because Amazon paid starts its failure text.
NOT_SENT_AMAZON_PAID = "not sent to Amazon:"


def stop_paid_by_amazon(
    services: Services, ports: RefundPorts, tenant: str, marketplace_id: str
) -> list[Refund]:
    """Approved refunds not yet in a feed whose case's stored return now says Amazon paid (a
    later returns report, jobs/ingest.ingest_returns): failed, nothing reached Amazon. Each
    is noted as refunded elsewhere and its order's claim given back; the run then gives its
    budget back and tells a person, as for any failed refund. A refund a batch took meanwhile
    is left to its feed (the conditional replace loses)."""
    from spconnector.jobs.refunding import note_paid_by_amazon, paid_by_amazon, paid_reason

    now = ports.clock.now()
    stopped: list[Refund] = []
    for refund in ports.ledger.refunds_in_state(tenant, marketplace_id, RefundState.APPROVED):
        if refund.batch_id is not None:
            continue
        paid = paid_by_amazon(services, tenant, refund.case_id)
        if paid is None:
            continue
        why = f"{NOT_SENT_AMAZON_PAID} {paid_reason(paid)}; no money moved"
        new = refund.advance(RefundState.FAILED, now, failure=why)
        if ports.ledger.replace_refund(new, refund.version) is not None:
            note_paid_by_amazon(services, tenant, refund.amazon_order_id, paid)
            ports.ledger.release_order(tenant, refund.amazon_order_id, refund.adjustment_id)
            stopped.append(new)
    return stopped


def confirmed_refunds(services: Services, tenant: Tenant) -> list[Refund]:
    return [
        refund
        for marketplace_id in tenant.marketplace_ids
        for refund in services.refund_ledger.refunds_in_state(
            tenant.tenant_id, marketplace_id, RefundState.CONFIRMED
        )
    ]


def escalate_unconfirmed(
    services: Services, tenant: Tenant, ports: RefundPorts, marketplace_id: str
) -> int:
    """Tell a person about every failed or unknown refund not yet told; returns how many."""
    from spconnector.impact.metrics import TenantMetrics

    told = 0
    with TenantMetrics(tenant.tenant_id) as metrics:
        for refund in unreported(ports.ledger, tenant.tenant_id, marketplace_id):
            _escalate(services, refund)
            mark_escalated(ports.ledger, ports.clock, refund)
            metrics.refund_not_confirmed(refund.state.value)
            told += 1
    return told


def _escalate(services: Services, refund: Refund) -> None:
    from spconnector.aws.escalations import EscalationSummary, redact, summarize
    from spconnector.domain import Case, Decision

    tid = refund.tenant
    case: Case | None = services.cases.get(tid, refund.case_id)
    decision: Decision | None = None
    seq = _decision_seq(refund.decision_step)
    if case is not None and seq is not None:
        decisions = services.cases.decisions(tid, refund.case_id)
        decision = decisions[seq - 1] if 1 <= seq <= len(decisions) else None
    if refund.state is RefundState.UNKNOWN:
        headline = "refund outcome unknown: the money may have moved; do not refund again"
        ask = "check Seller Central, then settle it: spconnector refunds settle"
    elif (refund.failure or "").startswith(NOT_SENT_AMAZON_PAID):
        headline = "refund not sent: Amazon's returns report says Amazon paid this return"
        ask = "check in Seller Central that the buyer has the money; refund nothing by hand"
    else:
        what = "Amazon rejected the refund" if refund.amazon_reason else "refund not carried out"
        headline = f"{what}: no money moved; the buyer is still owed it"
        # recorded, so the order's next message is not refunded automatically on top
        ask = "refund by hand in Seller Central, then: spconnector refunds mark-external"
    promise = _promise(services, refund, decision, seq)
    reasons = (
        headline,
        refund.failure or refund.amazon_reason or "no reason recorded",
        f"buyer was told: {promise}",
        f"amount {refund.total} on order {refund.amazon_order_id}",
        ask,
    )
    facts = {
        "state": refund.state.value,
        "amount": format(refund.total.amount, "f"),
        "currency": refund.currency,
        "amazon_order_id": refund.amazon_order_id,
        "adjustment_id": refund.adjustment_id,
        "buyer_was_told": promise,
        "why": refund.failure or refund.amazon_reason or "",
    }
    if case is None:  # the case expired (PII TTL): the refund alone says what is owed
        summary = EscalationSummary(
            tenant=tid,
            case_id=refund.case_id,
            amazon_order_id=refund.amazon_order_id,
            action=None,
            priority="high",
            respond_by=None,
            reasons=tuple(redact(r) for r in reasons),
            refund=facts,
        )
    else:
        summary = summarize(case, decision, reasons=reasons).model_copy(update={"refund": facts})
    services.escalations.publish(summary)
    if case is not None and case.status is CaseStatus.REFUNDED:
        services.cases.upsert(tid, refund.case_id, _no_longer_refunded(case))
    log.warning(
        "refund not confirmed; escalated",
        extra={"case_id": refund.case_id, "state": refund.state.value},
    )


def _no_longer_refunded(seen: Any) -> Any:
    def update(current: Any) -> Any:
        case = current or seen
        return (
            case.with_status(CaseStatus.ESCALATED) if case.status is CaseStatus.REFUNDED else case
        )

    return update


def _decision_seq(step: str) -> int | None:
    number = step.removeprefix("decision-")
    return int(number) if number.isdigit() else None


def _promise(services: Services, refund: Refund, decision: Any, seq: int | None) -> str:
    """What the buyer heard about this refund: the reply's template and whether it went out."""

    template = getattr(decision, "reply_template", None)
    if template is None or seq is None:
        return f"nothing by us (no reply for this decision); refund {refund.total}"
    sent = services.outbox.state(refund.tenant, refund.case_id, f"reply#{seq:06d}")
    heard = {"sent": "the reply was sent", "sending": "the reply may have been sent"}.get(
        sent or "", "the reply was not sent"
    )
    return f"'{template}' promising {refund.total} ({heard})"
