"""A-to-z claims: the record (from Amazon's claim notice), reminders before the deadline, the
evidence pack, and the outcome.

- `record_claim_notice` runs when ProcessCase routes an `a_to_z_claim` notice (the urgent
  task itself is notice_routing's; the record's first message carries the evidence pack).
  One record per order: a redelivered notice changes nothing; a "decided" notice with no
  record yet opens one too, so the outcome has a home.
- `watch` (from SlaWatch) reminds a person 48, 24 and 6 hours before the deadline, once each,
  with the evidence pack's text attached.
- `evidence_pack` gathers what the person pastes into Seller Central (growth.claims).
- `record_outcome` (CLI `spconnector claims outcome`) closes the record; the impact ledger
  gets `claim_opened` and `claim_outcome` events.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spconnector.domain import BuyerMessage, Case, Decision, Tenant, case_id_for
from spconnector.domain.enums import MessageKind
from spconnector.domain.notices import AToZFacts
from spconnector.growth.claims import (
    AToZClaim,
    EvidencePack,
    OrderFacts,
    Outcome,
    RefundLine,
    ThreadEntry,
    blot,
    claim_deadline,
    due_warnings,
)
from spconnector.growth.events import GrowthEvent
from spconnector.jobs.services import Services
from spconnector.observability import get_logger
from spconnector.sp.errors import SpApiError

log = get_logger(__name__)

KIND = "claims"


class UnknownClaim(LookupError):
    pass


def record_claim_notice(
    services: Services, tenant: Tenant, case: Case, notice: BuyerMessage, now: datetime
) -> AToZClaim | None:
    if notice.kind is not MessageKind.A_TO_Z_CLAIM or not case.amazon_order_id:
        return None
    facts = notice.facts if isinstance(notice.facts, AToZFacts) else None
    respond_by, source = claim_deadline(notice.received_at, facts.respond_by if facts else None)
    claim = AToZClaim(
        tenant=tenant.tenant_id,
        amazon_order_id=case.amazon_order_id,
        case_id=case.case_id,
        opened_at=notice.received_at,
        respond_by=respond_by,
        deadline_source=source,
        amount=facts.amount if facts else None,
        claim_reason=facts.claim_reason if facts else None,
    )
    store = services.growth
    if store.put_doc_once(
        tenant.tenant_id, KIND, claim.amazon_order_id, claim.model_dump(mode="json")
    ):
        store.record(
            GrowthEvent(
                tenant=tenant.tenant_id,
                kind="claim_opened",
                amazon_order_id=claim.amazon_order_id,
                at=claim.opened_at,
            )
        )
        log.info("a-to-z claim recorded", extra={"case_id": case.case_id})
        _send_pack(services, tenant, claim, "a_to_z_claim_evidence", "A-to-z claim opened")
    return get_claim(services, tenant, claim.amazon_order_id)


def _send_pack(
    services: Services, tenant: Tenant, claim: AToZClaim, action: str, headline: str
) -> None:
    """The person's task carries the evidence pack as it stands (the CLI prints it fresh)."""
    from spconnector.aws.escalations import EscalationSummary

    tid = tenant.tenant_id
    pack = evidence_pack(services, tenant, claim.amazon_order_id)
    services.escalations.publish(
        EscalationSummary(
            tenant=tid,
            case_id=claim.case_id,
            amazon_order_id=claim.amazon_order_id,
            action=action,
            priority="urgent",
            respond_by=claim.respond_by,
            reasons=(
                headline,
                f"evidence pack: spconnector claims evidence {tid} {claim.amazon_order_id}",
                pack.text()[:1500],
            ),
        )
    )


def get_claim(services: Services, tenant: Tenant, order_id: str) -> AToZClaim | None:
    doc = services.growth.get_doc(tenant.tenant_id, KIND, order_id)
    return AToZClaim.model_validate(doc) if doc else None


def list_claims(services: Services, tenant: Tenant) -> list[AToZClaim]:
    return [AToZClaim.model_validate(d) for d in services.growth.docs(tenant.tenant_id, KIND)]


def record_outcome(
    services: Services, tenant: Tenant, order_id: str, outcome: Outcome, now: datetime
) -> AToZClaim:
    claim = get_claim(services, tenant, order_id)
    if claim is None:
        raise UnknownClaim(f"no A-to-z claim recorded for order {order_id}")
    settled = claim.model_copy(update={"outcome": outcome, "outcome_at": now})
    store = services.growth
    store.put_doc(tenant.tenant_id, KIND, order_id, settled.model_dump(mode="json"))
    store.record(
        GrowthEvent(
            tenant=tenant.tenant_id,
            kind="claim_outcome",
            amazon_order_id=order_id,
            at=now,
            outcome=outcome,
        )
    )
    return settled


def watch(services: Services, tenant: Tenant, now: datetime) -> list[str]:
    """Reminders before each open claim's deadline, once per threshold (outbox markers)."""
    tid = tenant.tenant_id
    outbox = services.outbox
    sent = []
    for claim in list_claims(services, tenant):
        for before in due_warnings(claim, now):
            key = f"atoz#{claim.respond_by.isoformat()}#{int(before.total_seconds() // 3600)}h"
            if outbox.claim(tid, claim.case_id, key) != "claimed":
                continue
            hours = max(0.0, (claim.respond_by - now).total_seconds() / 3600)
            headline = (
                "A-to-z claim deadline passed"
                if claim.respond_by <= now
                else f"A-to-z claim: {hours:.0f} h left to answer in Seller Central"
            )
            _send_pack(services, tenant, claim, "answer_a_to_z_claim", headline)
            outbox.done(tid, claim.case_id, key, "escalated")
            sent.append(f"{claim.amazon_order_id}@{key.rsplit('#', 1)[-1]}")
    return sent


def evidence_pack(services: Services, tenant: Tenant, order_id: str) -> EvidencePack:
    tid = tenant.tenant_id
    claim = get_claim(services, tenant, order_id)
    if claim is None:
        raise UnknownClaim(f"no A-to-z claim recorded for order {order_id}")
    notes: list[str] = []
    order = _order_facts(services, tenant, order_id, notes)
    case_id = claim.case_id or case_id_for(tid, order_id)
    messages = services.cases.messages(tid, case_id)
    decisions = services.cases.decisions(tid, case_id)
    thread = [
        ThreadEntry(
            at=m.received_at,
            who="amazon" if m.notification_type else "buyer",
            what=m.kind.value,
            text=""
            if m.notification_type
            else blot(" ".join(m.body.split()), (m.buyer_name,))[:600],
        )
        for m in messages
    ]
    thread += _our_replies(services, tid, case_id, decisions)
    thread.sort(key=lambda t: t.at)
    refunds = tuple(
        RefundLine(
            adjustment_id=r.adjustment_id,
            state=r.state.value,
            amount=r.total,
            feed_id=r.feed_id,
            confirmed=r.state.value == "confirmed",
            amazon_reason=r.amazon_reason,
            updated_at=r.updated_at,
        )
        for r in services.refund_ledger.refunds_for_order(tid, order_id)
    )
    policy_decisions = [d for d in decisions if not d.policy_version.startswith("notice-")]
    last = policy_decisions[-1] if policy_decisions else None
    decision = f"{last.action.value}: {last.explanation}" if last else None
    return EvidencePack(
        claim=claim,
        order=order,
        thread=tuple(thread),
        refunds=refunds,
        decision=decision,
        notes=tuple(notes),
    )


def _order_facts(
    services: Services, tenant: Tenant, order_id: str, notes: list[str]
) -> OrderFacts | None:
    try:
        order = services.sp(tenant).get_order(order_id)
    except SpApiError as exc:
        notes.append(f"order details unavailable ({type(exc).__name__})")
        return None
    return OrderFacts(
        amazon_order_id=order.amazon_order_id,
        purchase_date=order.purchase_date,
        fulfillment_channel=order.fulfillment_channel.value,
        order_status=order.order_status,
        delivered_at=order.delivered_at,
        items=tuple(
            f"{i.quantity} × {i.sku} — {i.title or 'untitled'} at {i.unit_price}"
            for i in order.items
        ),
    )


def _our_replies(
    services: Services, tid: str, case_id: str, decisions: list[Decision]
) -> list[ThreadEntry]:
    outbox = services.outbox
    replies = []
    for n, decision in enumerate(decisions, start=1):
        if not decision.reply_template or decision.decided_at is None:
            continue
        if outbox.state(tid, case_id, f"reply#{n:06d}") != "sent":
            continue
        replies.append(
            ThreadEntry(at=decision.decided_at, who="us", what=f"reply ({decision.reply_template})")
        )
    return replies


def summary(services: Services, tenant: Tenant) -> dict[str, Any]:
    claims = list_claims(services, tenant)
    return {
        "opened": len(claims),
        "open": sum(1 for c in claims if c.outcome is None),
        "outcomes": {
            o: sum(1 for c in claims if c.outcome == o) for o in ("granted", "denied", "withdrawn")
        },
    }
