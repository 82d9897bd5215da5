"""What a person does from the console. Each action checks the person may act on the case's
tenant, calls the same job as the CLI (`jobs.approvals` for approve/deny), and writes an audit
entry with the person's identity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spconnector.console.audit import AuditEntry, AuditLog
from spconnector.console.identity import Staff
from spconnector.console.queries import INBOX_STATUSES, NotVisible, tenant_of_case
from spconnector.domain import CaseStatus

if TYPE_CHECKING:
    from spconnector.jobs.services import Services

MAX_TEXT = 5000  # a reason, a note, an edited reply: longer is a mistake (or an attack)


class ActionRefused(PermissionError):
    """The person may see this tenant but not act on it (a seller viewer): 403."""


class ActionInvalid(ValueError):
    """The action cannot be done as asked (no reason, not waiting, …): 400 with the reason."""


def _actor(staff: Staff, case_id: str) -> str:
    tenant = tenant_of_case(staff, case_id)
    if not staff.may_act(tenant):
        raise ActionRefused(f"{staff.user} may only read {tenant}")
    return tenant


def _text(value: str | None, what: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ActionInvalid(f"{what} is empty")
    if len(text) > MAX_TEXT:
        raise ActionInvalid(f"{what} is longer than {MAX_TEXT} characters")
    return text


def _audit(
    services: Services,
    audit: AuditLog,
    staff: Staff,
    tenant: str,
    case_id: str | None,
    action: str,
    **detail: str,
) -> None:
    audit.record(
        AuditEntry(
            tenant=tenant,
            case_id=case_id,
            at=services.now(),
            by=staff.user,
            action=action,
            detail={k: v for k, v in detail.items() if v},
        )
    )


def approve(
    services: Services, audit: AuditLog, staff: Staff, case_id: str, *, reply_text: str | None
) -> dict[str, Any]:
    from spconnector.jobs.approvals import ApprovalError
    from spconnector.jobs.approvals import approve as approve_case

    tenant = _actor(staff, case_id)
    edited = _text(reply_text, "the reply", required=False) or None
    try:
        outcome = approve_case(services, case_id, by=staff.user, reply_text=edited)
    except ApprovalError as exc:
        raise ActionInvalid(str(exc)) from exc
    reply = outcome.get("reply", {})
    _audit(
        services,
        audit,
        staff,
        tenant,
        case_id,
        "approve",
        reply_edited="yes" if edited else "",
        reply=str(reply.get("status", "")),
        status=str(outcome.get("status", "")),
    )
    return outcome


def deny(
    services: Services, audit: AuditLog, staff: Staff, case_id: str, *, reason: str
) -> dict[str, Any]:
    from spconnector.jobs.approvals import ApprovalError
    from spconnector.jobs.approvals import deny as deny_case

    tenant = _actor(staff, case_id)
    why = _text(reason, "the reason")
    try:
        outcome = deny_case(services, case_id, by=staff.user, reason=why)
    except ApprovalError as exc:
        raise ActionInvalid(str(exc)) from exc
    _audit(services, audit, staff, tenant, case_id, "deny", reason=why)
    return outcome


def reassign(services: Services, audit: AuditLog, staff: Staff, case_id: str, *, to: str) -> None:
    tenant = _actor(staff, case_id)
    _existing(services, tenant, case_id)
    _audit(services, audit, staff, tenant, case_id, "reassign", to=_text(to, "the assignee"))


def note(services: Services, audit: AuditLog, staff: Staff, case_id: str, *, text: str) -> None:
    tenant = _actor(staff, case_id)
    _existing(services, tenant, case_id)
    _audit(services, audit, staff, tenant, case_id, "note", text=_text(text, "the note"))


def no_response_needed(
    services: Services, audit: AuditLog, staff: Staff, case_id: str, *, reason: str
) -> None:
    """Close the case without a reply. Amazon's own "no response needed" can only be set in
    Seller Central: the audit entry and the page say so, so the person sets it there too."""
    from spconnector.jobs.approvals import deny as deny_case

    tenant = _actor(staff, case_id)
    why = _text(reason, "the reason", required=False) or "no response needed"
    case = _existing(services, tenant, case_id)
    if case.status not in INBOX_STATUSES:
        raise ActionInvalid(f"case {case_id} is {case.status.value}: nothing left to answer")
    if case.status is CaseStatus.AWAITING_APPROVAL:
        deny_case(services, case_id, by=staff.user, reason=f"no response needed: {why}")
    else:
        services.cases.upsert(tenant, case_id, lambda c: (c or case).with_status(CaseStatus.CLOSED))
    _audit(
        services,
        audit,
        staff,
        tenant,
        case_id,
        "no_response_needed",
        reason=why,
        reminder="also mark it in Seller Central: only there does Amazon's metric see it",
    )


def notices_read(services: Services, audit: AuditLog, staff: Staff, case_id: str) -> None:
    """The person read the Amazon notices about money intake could not read: the stop on
    automatic refunds for the order is lifted (jobs.approvals.notices_read)."""
    from spconnector.jobs.approvals import ApprovalError
    from spconnector.jobs.approvals import notices_read as mark_read

    tenant = _actor(staff, case_id)
    try:
        outcome = mark_read(services, case_id, by=staff.user)
    except ApprovalError as exc:
        raise ActionInvalid(str(exc)) from None
    _audit(
        services,
        audit,
        staff,
        tenant,
        case_id,
        "notices_read",
        notices=str(len(outcome["notices"])),
    )


def review(
    services: Services, audit: AuditLog, staff: Staff, case_id: str, *, verdict: str, text: str
) -> None:
    """After-the-fact review of an automatic decision: thumbs up/down and a note, kept with
    the policy version that decided (the policy page shows them by version)."""
    tenant = _actor(staff, case_id)
    if verdict not in ("up", "down"):
        raise ActionInvalid("a review is thumbs up or thumbs down")
    _existing(services, tenant, case_id)
    decisions = services.cases.decisions(tenant, case_id)
    if not decisions:
        raise ActionInvalid(f"case {case_id} has no decision to review")
    _audit(
        services,
        audit,
        staff,
        tenant,
        case_id,
        "review",
        verdict=verdict,
        note=_text(text, "the note", required=False),
        policy_version=decisions[-1].policy_version,
    )


def lint_reply(services: Services, staff: Staff, case_id: str, text: str) -> list[Any]:
    """The lint findings of a person's edit, as `send_reply` would judge it (read-only)."""
    from spconnector.jobs.act import draft_reply
    from spconnector.replies.render import with_edited_body

    tenant = tenant_of_case(staff, case_id)
    case = _existing(services, tenant, case_id)
    decisions = services.cases.decisions(tenant, case_id)
    buyer = [m for m in services.cases.messages(tenant, case_id) if m.buyer_address]
    if not decisions or not decisions[-1].reply_template or not buyer:
        raise ActionInvalid("this case has no reply to edit")
    rendered, context, _ = draft_reply(
        services, services.tenants.require(tenant), case, decisions[-1], buyer[-1]
    )
    edited = with_edited_body(rendered, _text(text, "the reply", required=False), context)
    return list(edited.findings)


def _existing(services: Services, tenant: str, case_id: str) -> Any:
    case = services.cases.get(tenant, case_id)
    if case is None:
        raise NotVisible(case_id)
    return case
