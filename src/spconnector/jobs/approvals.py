"""Approvals: a person approves or denies what a decision proposed, recorded with who and when.

A case waits in `awaiting_approval` when the tenant's mode is `approve` or a guard asked for a
person (autonomy limit, budget, final-sale item, …). Approving carries the decision out now —
the same path the Act Lambda takes, with the approver's name on the refund (which lifts the
autonomy limit but never the budgets). Denying closes the case with the reason. Each is
recorded once (a conditional write): a second approve or deny of the same decision is refused.

An Amazon notice that speaks of a refund, a claim or a chargeback but could not be read as one
stops every automatic refund for its order (Case.unread_money_notices) until a person says
they have read it (`notices_read`); from then on the policy decides the order's refunds again,
with its usual guards (Amazon's Finances check included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spconnector.domain import Case, CaseStatus, Decision
from spconnector.domain.tenant import TENANT_ID_PATTERN
from spconnector.jobs.services import Services
from spconnector.observability import tenant_scope


class ApprovalError(ValueError):
    """The case cannot be approved or denied (not waiting, already settled, unknown)."""


@dataclass(frozen=True)
class Waiting:
    case: Case
    decision: Decision
    seq: int


def tenant_of(case_id: str) -> str:
    """The case id's tenant; a case id whose first part is no tenant id is the person's typo,
    refused here in one line (the stores would raise a bare ValueError on it)."""
    tenant, sep, _rest = case_id.partition("#")
    if not sep or not re.fullmatch(TENANT_ID_PATTERN, tenant):
        raise ApprovalError(
            f"{case_id[:200]!r} is not a case id (expected <tenant>#order#<order id>)"
        )
    return tenant


def waiting(services: Services, case_id: str) -> Waiting:
    tenant = tenant_of(case_id)
    case = services.cases.get(tenant, case_id)
    if case is None:
        raise ApprovalError(f"no case {case_id}")
    if case.status is not CaseStatus.AWAITING_APPROVAL:
        raise ApprovalError(f"case {case_id} is {case.status.value}, not awaiting approval")
    decisions = services.cases.decisions(tenant, case_id)
    if not decisions:
        raise ApprovalError(f"case {case_id} has no decision to approve")
    return Waiting(case=case, decision=decisions[-1], seq=len(decisions))


def approve(
    services: Services, case_id: str, *, by: str, reply_text: str | None = None
) -> dict[str, Any]:
    """`reply_text`: the approver's edit of the reply body (the console), linted before it
    goes; a failing edit is never sent (the case is escalated with the findings)."""
    from spconnector.jobs.act import carry_out

    item = waiting(services, case_id)
    tenant = services.tenants.require(item.case.tenant)
    with tenant_scope(tenant.tenant_id):
        _record(services, item, "approved", by=by, reason=None, at=services.now())
        outcome = carry_out(
            services,
            tenant,
            item.case,
            item.decision,
            item.seq,
            approved_by=by,
            reply_text=reply_text,
        )
    return {"case_id": case_id, "approved_by": by, **outcome}


def deny(services: Services, case_id: str, *, by: str, reason: str) -> dict[str, Any]:
    if not reason.strip():
        raise ApprovalError("a denial needs a reason")
    item = waiting(services, case_id)
    with tenant_scope(item.case.tenant):
        _record(services, item, "denied", by=by, reason=reason, at=services.now())
        services.cases.upsert(
            item.case.tenant, case_id, lambda c: (c or item.case).with_status(CaseStatus.CLOSED)
        )
    return {"case_id": case_id, "denied_by": by, "reason": reason, "status": "closed"}


def notices_read(services: Services, case_id: str, *, by: str) -> dict[str, Any]:
    """A person has read the case's unread money notices: the stop they set is lifted."""
    tenant = tenant_of(case_id)
    case = services.cases.get(tenant, case_id)
    if case is None:
        raise ApprovalError(f"no case {case_id}")
    if not case.unread_money_notices:
        raise ApprovalError(f"case {case_id} has no unread Amazon notice about money")
    with tenant_scope(tenant):
        services.cases.upsert(
            tenant, case_id, lambda c: (c or case).model_copy(update={"unread_money_notices": ()})
        )
    return {"case_id": case_id, "read_by": by, "notices": list(case.unread_money_notices)}


def _record(
    services: Services, item: Waiting, verdict: str, *, by: str, reason: str | None, at: datetime
) -> None:
    standing = services.approvals.record(
        item.case.tenant, item.case.case_id, item.seq, verdict, by=by, reason=reason, at=at
    )
    if standing is None:
        return
    if verdict == "approved" and standing == "approved":
        return  # an approval whose carrying out failed half-way: run it again (idempotent)
    raise ApprovalError(
        f"decision {item.seq} of {item.case.case_id} was already approved or denied"
    ) from None
