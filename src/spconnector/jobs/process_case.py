"""ProcessCase: a case event → order context → policy decision → what the tenant's mode allows.

Idempotent: each decision records how many inputs it saw (Case.step: messages, returns, and
later listings of a return that said Amazon paid); an event for inputs already decided does
nothing. Transient SP-API errors raise (SQS retries, then the DLQ); an order Amazon does not
know quarantines the case with that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from spconnector.domain import (
    Action,
    BuyerHistory,
    BuyerMessage,
    Case,
    CaseStatus,
    Decision,
    MessageKind,
    Mode,
    Order,
    ReturnRequest,
    Tenant,
)
from spconnector.jobs import notice_routing
from spconnector.jobs.knowledge import redecide_known_defect
from spconnector.jobs.policies import policy_for
from spconnector.jobs.services import Services
from spconnector.jobs.spent import refund_spend
from spconnector.messages import ActionMessage, CaseEvent
from spconnector.mirror import current_order, order_context
from spconnector.observability import get_logger, tenant_scope
from spconnector.policy import CaseInput, CaseMessage, CaseReturn, TenantState, decide
from spconnector.sp.errors import NotFound

log = get_logger(__name__)


def process_case_event(services: Services, body: CaseEvent | Mapping[str, Any]) -> dict[str, Any]:
    event = CaseEvent.of(body)
    tenant_id, case_id = event.tenant, event.case_id
    with tenant_scope(tenant_id):
        tenant = services.tenants.require(tenant_id)
        if tenant.paused:
            # The case stays open; SlaWatch re-drives open cases once the tenant resumes.
            return {"case_id": case_id, "status": "skipped", "reason": "tenant paused"}
        case = services.cases.get(tenant_id, case_id)
        if case is None:
            raise LookupError(f"case {case_id} not found (event arrived before its case)")
        return _process(services, tenant, case)


def _process(services: Services, tenant: Tenant, case: Case) -> dict[str, Any]:
    tid = tenant.tenant_id
    step = case.step
    previous = services.cases.decisions(tid, case.case_id)
    if previous and previous[-1].case_step is not None and previous[-1].case_step >= step:
        last = previous[-1]
        if case.status in (CaseStatus.OPEN, CaseStatus.DECIDED) and (
            _status_after(tenant, last) is CaseStatus.DECIDED
        ):
            # A crash between recording the decision and queueing its action would otherwise
            # strand it: queue it again (Act runs once per decision, however often it is sent).
            action = ActionMessage(tenant=tid, case_id=case.case_id, decision=len(previous))
            services.actions.send(tid, action.to_body())
            return {"case_id": case.case_id, "status": "already_decided", "action": "resent"}
        return {"case_id": case.case_id, "status": "already_decided"}
    messages = services.cases.messages(tid, case.case_id)
    returns = services.cases.returns(tid, case.case_id)
    unrouted = _unrouted_notices(case, messages, previous)

    order: Order | None = None
    mirrored = False
    if case.amazon_order_id:
        try:
            # the tenant's order mirror first; getOrder only on a miss (issue 19)
            lookup = order_context(
                services.sp(tenant),
                services.order_mirror,
                tid,
                case.amazon_order_id,
                services.now(),
            )
            order, mirrored = lookup.order, lookup.from_mirror
        except NotFound:
            if not unrouted:
                reason = (
                    f"unknown order {case.amazon_order_id}: Amazon does not know it for this seller"
                )
                services.cases.upsert(tid, case.case_id, lambda c: _quarantined(c, case, reason))
                log.warning("case quarantined: unknown order", extra={"case_id": case.case_id})
                return {"case_id": case.case_id, "status": "quarantined", "reason": reason}
            # Amazon's own notice about it: still routed (a claim must never wait unseen)

    now = services.now()
    if order is not None and order.delivered_at is not None:
        # PII is kept 30 days after delivery, which only the order knows (see aws/retention.py).
        services.cases.expire_after_delivery(tid, case.case_id, order.delivered_at, now)
    routed: dict[str, Any] | None = None
    if unrouted:
        for notice in unrouted:  # each notice once, in the order it came
            routed = _route_notice(services, tenant, case, notice, order, previous, step, now)
        # A buyer's message that came with them still gets the policy's answer.
        chosen = _pending_buyer_message(case, messages, previous)
        if chosen is None:
            assert routed is not None
            return routed
        case = services.cases.get(tid, case.case_id) or case
    else:
        # Amazon's notices inform; the policy answers the buyer's own latest message (or, with
        # none, the return report alone). Mail that is not Amazon's nor the buyer's (`other`:
        # a forward, a colleague's note about the order) never stands in for the buyer's.
        chosen = next((m for m in reversed(messages) if m.kind is MessageKind.BUYER_MESSAGE), None)
        if chosen is None:
            chosen = next((m for m in reversed(messages) if not m.kind.is_notice), None)
    case_input = CaseInput.model_validate(
        {
            "tenant": tid,
            "now": now,
            "order": order,
            "message": _case_message(chosen) if chosen is not None else None,
            "return_request": _case_return(returns) if returns else None,
            "buyer_history": _buyer_history(services, tenant, messages, order, now),
            "already_refunded": bool(case.external_refunds),
            "unread_money_notice": bool(case.unread_money_notices),
        }
    )
    spent_today, spent_month = refund_spend(services, tenant, now)
    state = TenantState(
        mode=tenant.mode, spent_today=spent_today, spent_month=spent_month, budgets=tenant.budgets
    )
    policy = policy_for(services, tenant)

    def decided(case_input: CaseInput) -> Decision:
        first = decide(policy, case_input, tenant_state=state)
        return redecide_known_defect(  # a symptom the KB calls a defect is not educated
            services, tenant, case_input, first, lambda c: decide(policy, c, tenant_state=state)
        )

    if chosen is not None and _forward_to_read(case, chosen):
        decision = notice_routing.forwarded_task(case, chosen, now)
    else:
        decision = decided(case_input)
    if mirrored and order is not None and decision.action.moves_money:
        # Money moves on the order as Amazon has it now, not as mirrored: decided again on it
        # when it differs (a change whose ORDER_CHANGE has not arrived yet).
        current: Order | None
        try:
            current = current_order(
                services.sp(tenant), services.order_mirror, tid, order.amazon_order_id, now
            )
        except NotFound:  # Amazon no longer knows it: nothing to pay on, a person looks
            current = None
        if current != order:
            decision = decided(case_input.model_copy(update={"order": current}))
    decision = decision.model_copy(
        update={"tenant": tid, "case_id": case.case_id, "decided_at": now, "case_step": step}
    )
    seq = services.cases.add_decision(tid, case.case_id, decision)
    status = _status_after(tenant, decision)
    services.cases.upsert(tid, case.case_id, lambda c: (c or case).with_status(status))
    if status is CaseStatus.DECIDED:
        action = ActionMessage(tenant=tid, case_id=case.case_id, decision=seq)
        services.actions.send(tid, action.to_body())
    elif status is CaseStatus.AWAITING_APPROVAL:
        _ask_for_approval(services, case, decision)
    log.info(
        "case decided",
        extra={
            "case_id": case.case_id,
            "action": decision.action,
            "rules": list(decision.rules),
            "guards": list(decision.guards),
            "mode": tenant.mode,
            "next": status,
        },
    )
    return {"case_id": case.case_id, "status": status.value, "action": decision.action.value}


def _unrouted_notices(
    case: Case, messages: list[BuyerMessage], previous: list[Decision]
) -> list[BuyerMessage]:
    """The notices no routing decision covers yet, in the order they were ingested (each
    notice yields exactly one decision, so the count tells which are new)."""
    by_id = {m.message_id: m for m in messages}
    notices = [by_id[i] for i in case.message_ids if i in by_id and by_id[i].kind.is_notice]
    routed = sum(1 for d in previous if d.notice is not None)
    return notices[routed:]


def _forward_to_read(case: Case, message: BuyerMessage) -> bool:
    """A forward quoting Amazon's notice that holds this case's refunds (Case.attach_message):
    a person's task, never the policy's answer to it."""
    return (
        message.kind is MessageKind.OTHER
        and message.forwarded is not None
        and message.forwarded.stops_money
        and message.message_id in case.unread_money_notices
    )


def _pending_buyer_message(
    case: Case, messages: list[BuyerMessage], previous: list[Decision]
) -> BuyerMessage | None:
    """The newest buyer message surely ingested after the last decision (a notice may have
    come with it): the last decision saw `case_step` inputs, so a message whose place in the
    case is beyond that was not among them. Counting, not the sender's Date, decides."""
    seen = previous[-1].case_step if previous and previous[-1].case_step is not None else 0
    by_id = {m.message_id: m for m in messages}
    for index in range(len(case.message_ids) - 1, -1, -1):
        found = by_id.get(case.message_ids[index])
        if found is not None and found.kind is MessageKind.BUYER_MESSAGE:
            return found if index >= seen else None
    return None


def _route_notice(
    services: Services,
    tenant: Tenant,
    case: Case,
    notice: BuyerMessage,
    order: Order | None,
    previous: list[Decision],
    step: int,
    now: datetime,
) -> dict[str, Any]:
    """An Amazon notice: a task for a person or a note on the case — never the policy."""
    tid = tenant.tenant_id
    if notice.kind is MessageKind.REFUND_NOTICE and case.amazon_order_id:
        # Amazon (or the seller) already refunded: the refund ledger's order claim makes any
        # automatic refund for this order impossible, whatever a policy decides or a person
        # approves later. Here, not at ingest: the function that parses untrusted mail may not
        # write refund records (template.yaml). Repeated on a redelivery on purpose.
        services.refund_ledger.mark_external_refund(
            tid,
            case.amazon_order_id,
            getattr(notice.facts, "amount", None),
            source=f"amazon_notice:{notice.message_id}",
        )
    decision = notice_routing.route(case, notice, order, previous, now).model_copy(
        update={"case_step": step}
    )
    seq = services.cases.add_decision(tid, case.case_id, decision)
    if notice.kind is MessageKind.A_TO_Z_CLAIM:
        from spconnector.jobs.claims import record_claim_notice

        record_claim_notice(services, tenant, case, notice, now)  # once per order
    if notice_routing.needs_no_person(decision):
        # Nothing to answer: a case the notice opened closes; an open one stays as it was.
        services.cases.upsert(
            tid,
            case.case_id,
            lambda c: (
                (c or case).with_status(CaseStatus.CLOSED)
                if (c or case).status is CaseStatus.OPEN and len((c or case).message_ids) == 1
                else (c or case)
            ),
        )
        status = CaseStatus.CLOSED
    else:
        status = _status_after(tenant, decision)
        services.cases.upsert(tid, case.case_id, lambda c: (c or case).with_status(status))
        if status is CaseStatus.DECIDED:
            action = ActionMessage(tenant=tid, case_id=case.case_id, decision=seq)
            services.actions.send(tid, action.to_body())
        elif status is CaseStatus.AWAITING_APPROVAL:
            _ask_for_approval(services, case, decision)
    log.info(
        "notice routed",
        extra={
            "case_id": case.case_id,
            "kind": notice.kind,
            "notification_type": notice.notification_type,
            "action": decision.action,
            "next": status,
        },
    )
    return {"case_id": case.case_id, "status": status.value, "action": decision.action.value}


def _buyer_history(
    services: Services,
    tenant: Tenant,
    messages: list[BuyerMessage],
    order: Order | None,
    now: datetime,
) -> BuyerHistory:
    alias = next((m.buyer_address for m in reversed(messages) if m.buyer_address), None)
    if alias is None or order is None:
        return BuyerHistory()  # unknown buyer: no history, the frequency guard cannot bite
    return services.buyer_history.history(tenant.tenant_id, alias, now, order.currency)


def _status_after(tenant: Tenant, decision: Decision) -> CaseStatus:
    if tenant.mode is Mode.SHADOW:
        return CaseStatus.CLOSED  # decided and logged only: the seller answers as before
    if tenant.mode is Mode.APPROVE or decision.needs_approval:
        return CaseStatus.AWAITING_APPROVAL
    return CaseStatus.DECIDED


def _ask_for_approval(services: Services, case: Case, decision: Decision) -> None:
    from spconnector.aws.escalations import summarize

    reasons = ("needs approval", *decision.guards)
    services.escalations.publish(summarize(case, decision, reasons=reasons))


def _quarantined(current: Case | None, fallback: Case, reason: str) -> Case:
    return (current or fallback).quarantine(reason)


def _case_message(message: BuyerMessage) -> CaseMessage:
    return CaseMessage(
        subject=message.subject,
        body=message.body,
        received_at=message.received_at,
        intent=message.intent,
        kind=message.kind,
        wants=message.understanding.wants if message.understanding else None,
        signals=message.understanding.signals if message.understanding else frozenset(),
        understanding_version=(
            message.understanding.model_version if message.understanding else None
        ),
        confidence=message.understanding.confidence if message.understanding else None,
        intent_probabilities=(
            message.understanding.intent_probabilities if message.understanding else {}
        ),
    )


def _case_return(returns: list[ReturnRequest]) -> CaseReturn:
    """The latest return row, and whether any row of the case says Amazon pays it."""
    ret = returns[-1]
    settled = next((s for r in returns if (s := r.settled_by_amazon)), None)
    return CaseReturn.model_validate(
        {
            "reason_code": ret.reason_code,
            "in_policy": ret.in_policy,
            "quantity": ret.quantity,
            "sku": ret.sku,
            "request_date": ret.request_date,
            "a_to_z_claim": bool(ret.a_to_z_claim),
            "settled_by_amazon": settled,
        }
    )


def is_refund(decision: Decision) -> bool:
    return decision.action in (Action.REFUND_WITHOUT_RETURN, Action.REFUND_ON_RETURN)
