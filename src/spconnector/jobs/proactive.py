"""Proactive messages through the Messaging API, for cases with no buyer mail to answer in.

A return-only case (a row in a returns report, no relay mail) has no thread to reply in. When
the decision is one the buyer must hear about from us — a replacement is on its way, we need
something from them — the only channel is the Messaging API, and only its fixed message types:
`createUnexpectedProblem` ("there was a problem with your order, here is what we do") fits,
and only when `getMessagingActionsForOrder` offers it for the order. Refunds are not sent this
way: Amazon itself tells the buyer about a refund.

At most once per outbox key, with the same discipline as the SES reply: the outbox marker is
claimed before the call, marked sent after it; a marker left "sending" by a crash means we
cannot know whether Amazon took the message, so a person is told instead of sending again.
"""

from __future__ import annotations

from typing import Any

from spconnector.domain import Action, Case, Decision, Tenant
from spconnector.jobs.escalation import escalate
from spconnector.jobs.results import ReplyStatus
from spconnector.jobs.services import Services

# Decisions whose news the buyer does not get from Amazon.
PROACTIVE_ACTIONS = frozenset({Action.REPLACE, Action.REQUEST_INFO})
# The action's name in getMessagingActionsForOrder's `_links.actions[].name`.
UNEXPECTED_PROBLEM = "unexpectedProblem"


def wants_proactive(decision: Decision) -> bool:
    return bool(decision.reply_template) and decision.action in PROACTIVE_ACTIONS


def send_proactive(
    services: Services, tenant: Tenant, case: Case, decision: Decision, outbox_key: str
) -> dict[str, Any]:
    """Send the decision's reply as an unexpectedProblem message, at most once per key.

    Read-only SP-API calls come before the claim, so their failures raise and the whole step
    is simply retried. Returns {"status": ReplyStatus, ...}; a status that `escalates` has
    already been escalated with its reason."""
    from spconnector.replies import ReplyContext, render_reply
    from spconnector.sp.errors import ClientError

    order_id = case.amazon_order_id
    if order_id is None:
        reason = "no order to send a Messaging API message for"
        escalate(services, case, decision, (f"reply not sent: {reason}",))
        return {"status": ReplyStatus.NOT_OFFERED, "reason": reason}
    sp = services.sp(tenant)
    offered = sp.get_messaging_actions(order_id)
    if UNEXPECTED_PROBLEM not in offered:
        reason = f"the Messaging API does not offer {UNEXPECTED_PROBLEM} for this order"
        escalate(services, case, decision, (f"reply not sent: {reason}",))
        return {"status": ReplyStatus.NOT_OFFERED, "reason": reason}
    context = ReplyContext(
        reply_channel="messaging",
        proactive=True,
        amazon_order_id=order_id,
        buyer_locale=sp.get_buyer_locale(order_id),
        marketplace_id=sp.marketplace_id,
        seller_name=tenant.tenant_id,
    )
    rendered = render_reply(decision, context)
    if not rendered.ok:
        findings = tuple(f"{f.code}: {f.message}" for f in rendered.errors)
        escalate(services, case, decision, ("reply failed the lint", *findings))
        return {"status": ReplyStatus.LINT_FAILED, "findings": list(findings)}

    outbox = services.outbox
    claim = outbox.claim(tenant.tenant_id, case.case_id, outbox_key)
    if claim == "sent":
        return {"status": ReplyStatus.ALREADY_SENT, "channel": "messaging"}
    if claim == "unknown":
        reason = "a Messaging API message may have been sent before a crash; check"
        escalate(services, case, decision, (reason,))
        return {"status": ReplyStatus.STATE_UNKNOWN}
    try:
        sp.create_unexpected_problem(order_id, rendered.body)
    except ClientError as exc:
        # Amazon refused the request itself (4xx): nothing was sent and a retry cannot help.
        escalate(services, case, decision, (f"Messaging API refused the message: {exc}",))
        return {"status": ReplyStatus.REJECTED, "reason": str(exc)}
    outbox.done(tenant.tenant_id, case.case_id, outbox_key, f"messaging:{UNEXPECTED_PROBLEM}")
    return {
        "status": ReplyStatus.SENT,
        "channel": "messaging",
        "template": rendered.template,
        "language": rendered.language,
    }
