"""Follow-up after a new 1–3★ feedback: solve the problem first, then (neutrally) the buyer may
update their feedback — never an incentive (the replies lint enforces it).

Live tenant with a relay thread for the order → the `feedback_follow_up` reply is sent once
per feedback row. Otherwise (approve or shadow mode, no thread to answer in) a person gets
the case. Either way the case ends in a terminal state.
"""

from __future__ import annotations

from typing import Any

from spconnector.domain import Case, CaseStatus, Mode, Tenant
from spconnector.impact.follow_up import FollowUp
from spconnector.jobs.services import Services
from spconnector.refunds.model import RefundState

_MONEY_MOVED = (RefundState.APPROVED, RefundState.SUBMITTED, RefundState.CONFIRMED)


def follow_up_on_feedback(
    services: Services, tenant: Tenant, follow_up: FollowUp
) -> dict[str, Any]:
    from spconnector.aws.escalations import summarize
    from spconnector.jobs.act import send_reply

    tid = tenant.tenant_id
    case: Case = follow_up.case
    # Merge, never overwrite: a message that arrived since the rule read the case stays.
    services.cases.upsert(tid, case.case_id, lambda current: _raised(current, case))
    if tenant.mode is Mode.SHADOW:
        services.cases.upsert(
            tid, case.case_id, lambda c: (c or case).with_status(CaseStatus.CLOSED)
        )
        return {"case_id": case.case_id, "status": "closed", "reason": "shadow mode"}
    messages = services.cases.messages(tid, case.case_id)
    decisions = services.cases.decisions(tid, case.case_id)
    latest = messages[-1] if messages else None
    if tenant.mode is Mode.LIVE and latest is not None and latest.buyer_address and decisions:
        # Mention money only when it moved for this case; never next to the feedback sentence
        # as if one bought the other (the lint checks the wording, this checks the facts).
        refunded = case.amazon_order_id is not None and any(
            r.state in _MONEY_MOVED
            for r in services.refund_ledger.refunds_for_order(tid, case.amazon_order_id)
        )
        decision = decisions[-1].model_copy(
            update={
                "reply_template": "feedback_follow_up",
                "refund": decisions[-1].refund if refunded else None,
            }
        )
        key = f"followup#{follow_up.feedback_key}"
        reply = send_reply(services, tenant, case, decision, key, latest)
        if reply["status"].reached_buyer:
            services.cases.upsert(
                tid, case.case_id, lambda c: (c or case).with_status(CaseStatus.ANSWERED)
            )
            return {"case_id": case.case_id, "status": "answered", "reply": reply}
        # send_reply escalated it (lint findings, unknown earlier attempt, no sender)
    else:
        reason = f"{follow_up.reason}; follow up with the buyer (template feedback_follow_up)"
        services.escalations.publish(summarize(case, None, reasons=(reason,)))
    services.cases.upsert(
        tid, case.case_id, lambda c: (c or case).with_status(CaseStatus.ESCALATED)
    )
    return {"case_id": case.case_id, "status": "escalated"}


def _raised(current: Case | None, follow_up_case: Case) -> Case:
    if current is None:
        return follow_up_case
    return current.model_copy(
        update={
            "priority": follow_up_case.priority,
            "respond_by": min(current.respond_by, follow_up_case.respond_by),
            "kinds": tuple(dict.fromkeys((*current.kinds, *follow_up_case.kinds))),
            "status": CaseStatus.OPEN if current.status.is_terminal else current.status,
        }
    )
