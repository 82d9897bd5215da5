"""SlaWatch: escalate cases before their deadline, and re-drive cases nothing has decided.

Amazon expects an answer within 24 hours, weekends included. A case still unanswered close
to its `respond_by` goes to a person (once per deadline). An open case with inputs but no
decision — e.g. its event was lost to a crash, or the tenant was paused — gets its case event
published again, so nothing waits forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from spconnector.domain import CaseStatus, Tenant
from spconnector.jobs.services import Services
from spconnector.messages import CaseEvent, CaseEventKind
from spconnector.observability import tenant_scope

WARN_BEFORE = timedelta(hours=2)
REDRIVE_AFTER = timedelta(minutes=15)
_WAITING = (CaseStatus.OPEN, CaseStatus.DECIDED, CaseStatus.AWAITING_APPROVAL)


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    from spconnector.aws.escalations import summarize

    tid = tenant.tenant_id
    escalated: list[str] = []
    redriven: list[str] = []
    outbox = services.outbox
    with tenant_scope(tid):
        for status in _WAITING:
            for case in services.cases.list_cases(tid, status=status):
                if case.respond_by - now <= WARN_BEFORE:
                    key = f"sla#{case.respond_by.isoformat()}"
                    if outbox.claim(tid, case.case_id, key) == "claimed":
                        late = "overdue" if case.respond_by <= now else "due soon"
                        reason = f"answer {late}: respond by {case.respond_by:%Y-%m-%d %H:%M} UTC"
                        services.escalations.publish(summarize(case, None, reasons=(reason,)))
                        outbox.done(tid, case.case_id, key, "escalated")
                        escalated.append(case.case_id)
                if status is CaseStatus.OPEN and now - case.opened_at >= REDRIVE_AFTER:
                    decisions = services.cases.decisions(tid, case.case_id)
                    step = case.step
                    if not decisions or (decisions[-1].case_step or 0) < step:
                        redrive = CaseEvent(
                            tenant=tid, case_id=case.case_id, event=CaseEventKind.REDRIVE
                        )
                        services.case_events.publish_event(redrive)
                        redriven.append(case.case_id)
        from spconnector.jobs.claims import watch as watch_claims

        claim_reminders = watch_claims(services, tenant, now)
    return {"escalated": escalated, "redriven": redriven, "claim_reminders": claim_reminders}
