"""Act: carry out one decision — reply to the buyer, record the refund, escalate.

Guarantees:
- A reply is sent at most once per (case, decision). Duplicate deliveries of the same action
  are absorbed by Powertools idempotency (keyed on tenant, case, decision). Underneath it an
  outbox marker is written *before* sending: if a crash leaves it "sending", we cannot know
  whether SES took the mail, so the case is escalated to a person instead of sent again.
- A reply that fails the tone/compliance lint is never sent: the case is escalated with the
  findings.
- A tenant whose SMTP secret is unusable (missing, unreadable, wrong fields) sends nothing: the
  case is escalated with a reason naming the tenant and what is wrong (never the secret's
  content), the outbox is left unclaimed, and the action completes (no retry, no DLQ).
- Refunds are only proposed and approved here (a conditional write keyed (tenant, order,
  adjustment)); the TrackFeeds job batches approved refunds into feeds. Mode and budgets are
  checked again now, not only at decide time, and so is the case's stored return: one that a
  later returns report showed Amazon paid stops the refund (automatic, approved by a person,
  or a person's task to refund on arrival), notes it as made elsewhere and tells a person
  (jobs/refunding.refused_as_settled_by_amazon).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from spconnector.domain import Action, BuyerMessage, Case, CaseStatus, Decision, Mode, Tenant
from spconnector.jobs.escalation import escalate, one_task
from spconnector.jobs.ports import MailboxUnusable
from spconnector.jobs.results import RefundOutcome, ReplyStatus
from spconnector.jobs.services import Services
from spconnector.jobs.spend import refund_spend
from spconnector.messages import ActionMessage
from spconnector.observability import get_logger, tenant_scope

log = get_logger(__name__)

_ESCALATIONS = (Action.ESCALATE_OWNER, Action.ESCALATE_REVIEW)


class TenantPaused(RuntimeError):
    """The action waits: SQS delivers it again (and, past its receive count, to the DLQ, from
    which an operator redrives it after `tenants resume`)."""


def act_on(services: Services, body: ActionMessage | Mapping[str, Any]) -> dict[str, Any]:
    action = ActionMessage.of(body)
    tenant = services.tenants.require(action.tenant)
    # Checked before the idempotency layer: a "skipped" result must not be remembered, or the
    # action would never run after the tenant resumes.
    if tenant.paused:
        raise TenantPaused(f"tenant {tenant.tenant_id} is paused; the action waits")
    # keyed on [tenant, case_id, decision] of this dict (see Services.idempotent_act)
    return services.idempotent_act(_act, action.to_dict())


def _act(services: Services, body: Mapping[str, Any]) -> dict[str, Any]:
    action = ActionMessage.of(body)
    tenant_id, case_id, seq = action.tenant, action.case_id, action.decision
    with tenant_scope(tenant_id):
        tenant = services.tenants.require(tenant_id)
        case = services.cases.get(tenant_id, case_id)
        decisions = services.cases.decisions(tenant_id, case_id)
        if case is None or not 1 <= seq <= len(decisions):
            raise LookupError(f"decision {seq} of case {case_id} not found")
        decision = decisions[seq - 1]
        if tenant.paused:
            raise TenantPaused(f"tenant {tenant_id} is paused; the action waits")
        if tenant.mode is Mode.APPROVE and not action.approved_by:
            # switched to approve after deciding: a person decides now
            return _await_approval(services, case, decision, "the tenant is in approve mode")
        if tenant.mode is Mode.SHADOW:
            # switched to shadow after deciding: nothing is carried out, for good
            services.cases.upsert(
                tenant_id, case_id, lambda c: (c or case).with_status(CaseStatus.CLOSED)
            )
            return {"case_id": case_id, "status": "skipped", "reason": "tenant in shadow mode"}
        return carry_out(services, tenant, case, decision, seq, approved_by=action.approved_by)


def carry_out(
    services: Services,
    tenant: Tenant,
    case: Case,
    decision: Decision,
    seq: int,
    *,
    approved_by: str | None = None,
    reply_text: str | None = None,
) -> dict[str, Any]:
    """Used by the Act Lambda and by `spconnector cases approve` (approved_by set; the
    console may pass a person's edit of the reply as `reply_text`). Whatever it hands to a
    person goes out as one escalation with every reason (see jobs/escalation.one_task)."""
    with one_task(services, case, decision):
        return _carry_out(services, tenant, case, decision, seq, approved_by, reply_text)


def _carry_out(
    services: Services,
    tenant: Tenant,
    case: Case,
    decision: Decision,
    seq: int,
    approved_by: str | None,
    reply_text: str | None,
) -> dict[str, Any]:
    from spconnector.jobs.proactive import send_proactive, wants_proactive
    from spconnector.jobs.refunding import record_refund, refused_as_settled_by_amazon

    tid = tenant.tenant_id
    outcome: dict[str, Any] = {"case_id": case.case_id, "action": decision.action.value}
    messages = services.cases.messages(tid, case.case_id)
    # The reply answers the buyer's newest message, never one of Amazon's notices beside it.
    latest = next((m for m in reversed(messages) if not m.kind.is_notice), None)
    final = CaseStatus.ANSWERED
    tasks: list[str] = []  # work for a person beside the reply

    if decision.action.moves_money and decision.refund is not None:
        settled = (
            refused_as_settled_by_amazon(services, tenant, case, None)
            if decision.refund.requires_return
            else None
        )
        if settled is not None:
            # a later returns report says Amazon paid: no task to refund on arrival either
            refund_outcome: dict[str, Any] = {"state": RefundOutcome.REFUSED, "reason": settled}
        elif decision.refund.requires_return:
            # Money moves when the item is back, not now; the reply says so. Until returns are
            # matched to their delivery automatically, a person refunds on arrival.
            refund_outcome = {
                "state": RefundOutcome.AWAITING_RETURN,
                "amount": format(decision.refund.amount, "f"),
                "currency": decision.refund.currency,
            }
            tasks.append(f"task: refund {decision.refund.money} once the return arrives")
        else:
            refund_outcome = record_refund(services, tenant, case, decision, seq, approved_by)
        if refund_outcome["state"].awaits_approval:
            # Waiting for a person (approve mode): nothing is promised to the buyer yet.
            outcome["refund"] = refund_outcome
            return outcome | _await_approval(services, case, decision, "refund needs approval")
        outcome["refund"] = refund_outcome
        if refund_outcome["state"].held:
            # refused now, or (a late redelivery) already failed or unknown: never "refunded"
            escalate(services, case, decision, (f"refund: {refund_outcome['reason']}",))
            final = CaseStatus.ESCALATED
        elif refund_outcome["state"] is not RefundOutcome.AWAITING_RETURN:
            final = CaseStatus.REFUNDED

    if decision.action in _ESCALATIONS:
        escalate(services, case, decision, (decision.explanation,))
        final = CaseStatus.ESCALATED

    if decision.action is Action.REPLACE:
        # No SP-API call ships a replacement for a merchant order: the reply promises it and a
        # person gets the task, so the promise is kept.
        tasks += ["task: ship a replacement", decision.explanation]
        outcome["replacement"] = "task for a person: ship the replacement"

    refund_held = "refund" in outcome and outcome["refund"]["state"].held
    if decision.reply_template and latest is not None and refund_held:
        # The template tells the buyer the refund is made; it is not: the person answers.
        outcome["reply"] = {"status": ReplyStatus.HELD, "detail": "refund left to a person"}
    elif decision.reply_template and latest is not None:
        reply = send_reply(services, tenant, case, decision, f"reply#{seq:06d}", latest, reply_text)
        outcome["reply"] = reply
        if reply["status"].escalates:
            final = CaseStatus.ESCALATED
        elif reply.get("kb", {}).get("state") == "handed_over":
            final = CaseStatus.ESCALATED  # a holding reply: a person writes the answer
    elif wants_proactive(decision):
        # No mail to answer in: the Messaging API, if Amazon offers it for this order.
        reply = send_proactive(services, tenant, case, decision, f"reply#{seq:06d}")
        outcome["reply"] = reply
        if reply["status"].escalates:
            final = CaseStatus.ESCALATED
    elif decision.reply_template:
        outcome["reply"] = {
            "status": ReplyStatus.NO_BUYER_MESSAGE,
            "detail": "return-only case: Amazon informs the buyer",
        }

    final = _finish(services, case, decision, seq, latest, outcome, final, tasks)
    services.cases.upsert(tid, case.case_id, lambda c: (c or case).with_status(final))
    outcome["status"] = final.value
    _measure(services, tenant, case, decision, outcome)
    log.info("acted", extra={"case_id": case.case_id, "action": decision.action, "status": final})
    return outcome


def _finish(
    services: Services,
    case: Case,
    decision: Decision,
    seq: int,
    latest: BuyerMessage | None,
    outcome: dict[str, Any],
    final: CaseStatus,
    tasks: list[str],
) -> CaseStatus:
    """The one place a carried-out decision ends, and the rule it ends by: a buyer's message
    ends in a reply that reached the buyer or with a person (told why); a return-only case in
    a reply, a refund (or the task to make it) or a person; one of Amazon's notices in a
    person's task or a record.
    Nothing ends "answered" that no one answered. Returns the case's final status."""
    replied = "reply" in outcome and ReplyStatus(outcome["reply"]["status"]).reached_buyer
    with_person = final is CaseStatus.ESCALATED
    if decision.notice is not None:
        # Amazon's notice asks nothing of the buyer: a task (escalated above) or a record.
        if not with_person and not replied:
            final = CaseStatus.CLOSED
    elif latest is not None and not replied and not with_person:
        tasks.append(_unanswered_reason(decision, seq))
        outcome["unanswered"] = "no reply for this decision: a person answers the buyer"
        final = CaseStatus.ESCALATED
    elif (
        latest is None
        and final is CaseStatus.ANSWERED
        and not replied
        and not decision.action.moves_money  # a refund on return: its task is a person's
    ):
        # a return-only case: nobody heard from us and no money moved
        tasks.append("no buyer message to answer in")
        final = CaseStatus.ESCALATED
    if tasks:
        escalate(services, case, decision, tuple(tasks))
    return final


def _unanswered_reason(decision: Decision, seq: int) -> str:
    rule = f", rule {decision.rules[0]}" if decision.rules else ""
    on = "a follow-up on this case" if seq > 1 else "the buyer's message"
    why = (
        "a reply that did not reach the buyer"
        if decision.reply_template
        else "a decision without a reply template"
    )
    return (
        f"no reply for this decision ({decision.action.value}{rule}) on {on}: {why}; "
        "answer the buyer in Seller Central"
    )


def draft_reply(
    services: Services, tenant: Tenant, case: Case, decision: Decision, message: BuyerMessage
) -> tuple[Any, Any, Any]:
    """(RenderedReply, ReplyContext, grounding) of the reply a decision would send now: what
    `send_reply` sends, and what the console shows a person before they approve or edit it."""
    from spconnector.jobs.knowledge import ground_reply
    from spconnector.replies import ReplyContext, render_reply

    # the knowledge base answers product questions and supplies educate tips (or hands over)
    grounded = ground_reply(services, tenant, case, decision, message)
    context = ReplyContext(
        marketplace_id=_marketplace_id(message),
        amazon_order_id=case.amazon_order_id,
        buyer_name=message.buyer_name,
        language=message.language if message.language in ("en", "de", "fr", "es", "it") else None,
        seller_name=tenant.tenant_id,
    ).model_copy(update=grounded.context)
    return render_reply(grounded.decision, context), context, grounded


def send_reply(
    services: Services,
    tenant: Tenant,
    case: Case,
    decision: Decision,
    outbox_key: str,
    message: BuyerMessage,
    reply_text: str | None = None,
) -> dict[str, Any]:
    """Render, lint and send one reply in the buyer's relay thread, at most once per
    `outbox_key`. A reply that fails the lint, or whose earlier attempt may have been sent,
    is escalated instead. `reply_text` is a person's edit of the body (the console): it is
    linted as strictly as a template's and sent in its place."""
    from spconnector.aws.mail import OutgoingMail
    from spconnector.replies.render import with_edited_body

    tid = tenant.tenant_id
    if not tenant.approved_sender or not message.buyer_address:
        reason = "no approved sender address" if not tenant.approved_sender else "no relay alias"
        escalate(services, case, decision, (f"reply not sent: {reason}",))
        return {"status": ReplyStatus.NO_SENDER, "reason": reason}
    rendered, context, grounded = draft_reply(services, tenant, case, decision, message)
    decision = grounded.decision
    kb = {"kb": grounded.outcome} if grounded.outcome else {}
    if reply_text is not None:
        rendered = with_edited_body(rendered, reply_text, context)
    if not rendered.ok:
        findings = tuple(f"{f.code}: {f.message}" for f in rendered.errors)
        escalate(services, case, decision, ("reply failed the lint", *findings, *grounded.handover))
        return {"status": ReplyStatus.LINT_FAILED, "findings": list(findings)}

    try:  # before the claim: a bad SMTP secret sends nothing and leaves the outbox untouched
        mailer = services.mailer_for(tenant)
    except MailboxUnusable as e:
        # A retry cannot cure it: a person gets the case (the buyer's mail stays on it) and,
        # once the secret is fixed, sends the reply through the console (the outbox is free).
        reason = str(e)
        log.warning("smtp mailbox unusable", extra={"case_id": case.case_id, "reason": reason})
        escalate(services, case, decision, (f"reply not sent: {reason}",))
        return {"status": ReplyStatus.MAILBOX_UNUSABLE, "reason": reason}
    outbox = services.outbox
    key = outbox_key
    claim = outbox.claim(tid, case.case_id, key)
    if claim == "sent":
        return {"status": ReplyStatus.ALREADY_SENT}
    if claim == "unknown":
        escalate(services, case, decision, ("a reply may have been sent before a crash; check",))
        return {"status": ReplyStatus.STATE_UNKNOWN}
    mail = OutgoingMail(
        sender=tenant.approved_sender,
        to=message.buyer_address,
        subject=reply_subject(rendered.subject),
        text=rendered.body,
        in_reply_to=message.message_id,
        references=(message.message_id,),
    )
    ses_id = mailer.send(mail)
    outbox.done(tid, case.case_id, key, ses_id)
    if grounded.handover:  # the holding reply went out: a person writes the answer
        escalate(services, case, decision, grounded.handover)
    return {
        "status": ReplyStatus.SENT,
        "template": rendered.template,
        "language": rendered.language,
        **kb,
    }


def _await_approval(services: Services, case: Case, decision: Decision, why: str) -> dict[str, Any]:
    services.cases.upsert(
        case.tenant, case.case_id, lambda c: (c or case).with_status(CaseStatus.AWAITING_APPROVAL)
    )
    escalate(services, case, decision, ("needs approval", why))
    return {"case_id": case.case_id, "status": CaseStatus.AWAITING_APPROVAL.value, "reason": why}


def _measure(
    services: Services, tenant: Tenant, case: Case, decision: Decision, outcome: dict[str, Any]
) -> None:
    """One impact record per decision carried out, and the tenant's metrics."""
    from spconnector.impact.ledger import ImpactRecord, record_decision
    from spconnector.impact.metrics import TenantMetrics

    now = services.now()
    # "already_sent": an earlier attempt sent it and crashed before getting here — the buyer
    # has the answer and nothing was counted yet (a duplicate delivery never re-runs this).
    replied = "reply" in outcome and ReplyStatus(outcome["reply"]["status"]).reached_buyer
    record = ImpactRecord.from_decision(
        decision,
        case,
        first_response_at=now if replied else None,
        decided_at=decision.decided_at or now,
    )
    if knowledge := outcome.get("reply", {}).get("kb", {}).get("state"):
        record = record.model_copy(update={"knowledge": knowledge})
    record_decision(services.impact.ledger, record)
    with TenantMetrics(tenant.tenant_id) as metrics:
        if replied:
            metrics.reply_sent()
            metrics.first_response((now - case.opened_at).total_seconds())
        refund = outcome.get("refund", {})
        if refund and RefundOutcome(refund["state"]).issued:
            # counted when approved for the next adjustment feed
            metrics.refund_issued(Decimal(refund["amount"]), refund["currency"])
            budget = tenant.budgets.monthly_refunds
            _today, month = refund_spend(services, tenant, now)
            if budget is not None and month is not None and budget.amount > 0:
                metrics.refund_budget_used_pct(float(month.amount / budget.amount * 100))
        if replied and now > case.respond_by:
            metrics.sla_breach()


def reply_subject(ours: str) -> str:
    """The reply's Subject from our own rendered (and linted) subject, never the buyer's: a
    double-encoded buyer subject, decoded once by intake, is decoded again by EmailMessage on
    CPython 3.12.1 and can carry a CR/LF that becomes a header of its own. Control characters
    go, and "=?" is broken so nothing in it can read as an RFC 2047 encoded word."""
    from spconnector.replies.sanitize import strip_control

    clean = " ".join(strip_control(ours).replace("=?", "= ?").split())[:200]
    return clean if clean.lower().startswith("re:") else f"Re: {clean}"


def _marketplace_id(message: BuyerMessage) -> str | None:
    from spconnector.domain.marketplaces import by_domain

    market = by_domain(message.marketplace) if message.marketplace else None
    return market.marketplace_id if market else None
