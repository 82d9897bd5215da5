"""What the console's pages show, read through the same stores the jobs and the CLI use.

Each function takes the person (`Staff`) and returns only what they may see: a tenant they
do not see is never read, and asking for one raises `NotVisible` (the page answers 404).
"""

from __future__ import annotations

import difflib
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from spconnector.console.audit import AuditEntry, AuditLog, assignees
from spconnector.console.identity import Staff
from spconnector.domain import Case, CaseStatus, Decision, Priority

if TYPE_CHECKING:
    from spconnector.jobs.services import Services

# What a person may still work: waiting for a decision, for approval, or handed to a person.
INBOX_STATUSES = (
    CaseStatus.OPEN,
    CaseStatus.DECIDED,
    CaseStatus.AWAITING_APPROVAL,
    CaseStatus.ESCALATED,
)
NEAR_DEADLINE = timedelta(hours=4)
INBOX_PAGE = 200  # rows rendered at once; the count says how many more match
INBOX_READERS = 16  # queries in flight at once for one inbox page
REVIEW_SAMPLE = 10  # automatic decisions per tenant offered for after-the-fact review


class NotVisible(LookupError):
    """The person may not see this tenant or case (answered as 404: it does not exist)."""


def visible_tenants(services: Services, staff: Staff) -> list[str]:
    return staff.visible(t.tenant_id for t in services.tenants.list())


def require_visible(staff: Staff, tenant: str) -> str:
    if not staff.sees(tenant):
        raise NotVisible(tenant)
    return tenant


def tenant_of_case(staff: Staff, case_id: str) -> str:
    tenant, sep, _ = case_id.partition("#")
    if not sep or not staff.sees(tenant):
        raise NotVisible(case_id)
    return tenant


# -- overview ----------------------------------------------------------------------------
@dataclass(frozen=True)
class TenantSummary:
    tenant: str
    mode: str
    paused: bool
    open: int
    near: int
    past: int
    awaiting: int
    spent_today: str | None
    spent_month: str | None
    budget_month: str | None
    positive_pct: float | None
    positive_trend: float | None  # points since the previous snapshot


def overview(services: Services, staff: Staff) -> list[TenantSummary]:
    from spconnector.jobs.spend import refund_spend

    now = services.now()
    impact = services.impact
    rows: list[TenantSummary] = []
    for tenant in services.tenants.list():
        if not staff.sees(tenant.tenant_id):
            continue
        cases = [
            c
            for st in INBOX_STATUSES
            for c in services.cases.list_cases(tenant.tenant_id, status=st)
        ]
        today, month = refund_spend(services, tenant, now)
        snapshots = sorted(impact.snapshots(tenant.tenant_id), key=lambda s: s.taken_at)
        rated = [s.positive_pct for s in snapshots if s.positive_pct is not None]
        budget = tenant.budgets.monthly_refunds
        rows.append(
            TenantSummary(
                tenant=tenant.tenant_id,
                mode=tenant.mode.value,
                paused=tenant.paused,
                open=len(cases),
                near=sum(1 for c in cases if now <= c.respond_by < now + NEAR_DEADLINE),
                past=sum(1 for c in cases if c.respond_by < now),
                awaiting=sum(1 for c in cases if c.status is CaseStatus.AWAITING_APPROVAL),
                spent_today=str(today) if today else None,
                spent_month=str(month) if month else None,
                budget_month=str(budget) if budget else None,
                positive_pct=rated[-1] if rated else None,
                positive_trend=round(rated[-1] - rated[-2], 2) if len(rated) > 1 else None,
            )
        )
    return rows


# -- inbox -------------------------------------------------------------------------------
@dataclass(frozen=True)
class InboxFilters:
    tenant: str = ""
    priority: str = ""
    intent: str = ""
    status: str = ""
    assignee: str = ""

    @classmethod
    def from_query(cls, query: dict[str, str]) -> InboxFilters:
        return cls(**{k: str(query.get(k, "") or "") for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class InboxRow:
    case: Case
    assignee: str
    seconds_left: int


@dataclass(frozen=True)
class Inbox:
    rows: list[InboxRow]
    total: int
    tenants: list[str]
    filters: InboxFilters
    assignees: list[str] = field(default_factory=list)


def inbox(services: Services, audit: AuditLog, staff: Staff, filters: InboxFilters) -> Inbox:
    """Every open case of the person's tenants, least time left on the SLA clock first
    (ties by case id); the first INBOX_PAGE rows, and how many matched."""
    tenants = visible_tenants(services, staff)
    chosen = [filters.tenant] if filters.tenant else tenants
    chosen = [require_visible(staff, t) for t in chosen]
    statuses = [CaseStatus(filters.status)] if filters.status else list(INBOX_STATUSES)
    if any(st not in INBOX_STATUSES for st in statuses):
        statuses = []
    now = services.now()
    # An agency's inbox is one query per tenant and status (and one audit query per tenant):
    # asked side by side, so 50 sellers cost about one round trip, not 250 in a row.
    cases = services.cases  # made once, here, not by the first thread to ask
    with ThreadPoolExecutor(max_workers=INBOX_READERS) as pool:
        audits = list(pool.map(lambda t: audit.for_tenant(t, actions=("reassign",)), chosen))
        listed = list(
            pool.map(
                lambda ts: cases.list_cases(ts[0], status=ts[1]),
                [(t, st) for t in chosen for st in statuses],
            )
        )
    assigned: dict[str, str] = {}
    for entries in audits:
        assigned.update(assignees(entries))
    matched: list[Case] = []
    for found in listed:
        if filters.priority:
            found = [c for c in found if c.priority.value == filters.priority]
        if filters.intent:
            found = [c for c in found if (c.latest_intent or "") == filters.intent]
        if filters.assignee:
            found = [c for c in found if assigned.get(c.case_id) == filters.assignee]
        matched.extend(found)
    # C-level key: 10,000 cases sort in a few milliseconds (bench/console.py)
    matched.sort(key=attrgetter("respond_by", "case_id"))
    rows = [
        InboxRow(
            case=c,
            assignee=assigned.get(c.case_id, ""),
            seconds_left=int((c.respond_by - now).total_seconds()),
        )
        for c in matched[:INBOX_PAGE]
    ]
    return Inbox(
        rows=rows,
        total=len(matched),
        tenants=tenants,
        filters=filters,
        assignees=sorted(set(assigned.values())),
    )


# -- case page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CasePage:
    case: Case
    tenant_mode: str
    messages: list[Any]
    decisions: list[Decision]
    draft: Any  # RenderedReply of the latest decision, or None
    draft_error: str | None
    refunds: list[Any]
    tasks: list[str]
    feedback: list[Any]
    audit: list[AuditEntry]
    approvals: list[dict[str, str]]
    assignee: str
    may_act: bool


def case_page(services: Services, audit: AuditLog, staff: Staff, case_id: str) -> CasePage:
    from spconnector.jobs.act import draft_reply

    tenant_id = tenant_of_case(staff, case_id)
    case = services.cases.get(tenant_id, case_id)
    if case is None:
        raise NotVisible(case_id)
    tenant = services.tenants.require(tenant_id)
    messages = services.cases.messages(tenant_id, case_id)
    decisions = services.cases.decisions(tenant_id, case_id)
    draft, draft_error = None, None
    buyer = [m for m in messages if m.buyer_address]
    if decisions and decisions[-1].reply_template and buyer:
        try:
            draft, _context, _grounded = draft_reply(
                services, tenant, case, decisions[-1], buyer[-1]
            )
        except Exception as exc:  # a template that cannot render: the person writes it
            draft_error = f"{type(exc).__name__}: {exc}"
    refunds = (
        services.refund_ledger.refunds_for_order(tenant_id, case.amazon_order_id)
        if case.amazon_order_id
        else []
    )
    refunds = [r for r in refunds if r.case_id == case_id]
    trail = audit.for_case(tenant_id, case_id)
    tasks = [
        r.person_task or r.failure or f"refund {r.state.value}"
        for r in refunds
        if r.state.value in ("needs_person", "unknown", "failed")
    ]
    if case.status is CaseStatus.ESCALATED and decisions:
        tasks.append(decisions[-1].explanation)
    return CasePage(
        case=case,
        tenant_mode=tenant.mode.value,
        messages=messages,
        decisions=decisions,
        draft=draft,
        draft_error=draft_error,
        refunds=refunds,
        tasks=tasks,
        feedback=_feedback_for(services, tenant_id, case),
        audit=trail,
        approvals=_approvals(services, tenant_id, case_id),
        assignee=assignees(trail).get(case_id, ""),
        may_act=staff.may_act(tenant_id),
    )


def _approvals(services: Services, tenant: str, case_id: str) -> list[dict[str, str]]:
    return [
        {"verdict": v.verdict, "by": v.by, "at": v.at.isoformat()}
        | ({"reason": v.reason} if v.reason else {})
        for v in services.approvals.verdicts(tenant, case_id)
    ]


def _feedback_for(services: Services, tenant: str, case: Case) -> list[Any]:
    """Impact records of this case's order: what the decision did, and the feedback that
    followed it."""
    if not case.amazon_order_id:
        return []
    return list(services.impact.ledger.records_for_order(tenant, case.amazon_order_id))


# -- review queue ------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewItem:
    case: Case
    decision: Decision
    reviews: list[AuditEntry]


_AUTOMATIC_OUTCOMES = (CaseStatus.ANSWERED, CaseStatus.REFUNDED, CaseStatus.ESCALATED)


def review_queue(
    services: Services, audit: AuditLog, staff: Staff, tenant: str
) -> list[ReviewItem]:
    """A stable sample of decisions carried out without a person, for after-the-fact review.

    The sample is a hash of the case id, not random per request: everyone sees the same
    cases, and a reviewed case stays in the list with its verdict.
    """
    require_visible(staff, tenant)
    decided = [
        c for st in _AUTOMATIC_OUTCOMES for c in services.cases.list_cases(tenant, status=st)
    ]
    decided.sort(key=lambda c: hashlib.sha256(c.case_id.encode()).hexdigest())
    reviews = audit.for_tenant(tenant, actions=("review",))
    items: list[ReviewItem] = []
    for case in decided:
        if len(items) >= REVIEW_SAMPLE:
            break
        decisions = services.cases.decisions(tenant, case.case_id)
        if not decisions or decisions[-1].needs_approval:
            continue
        items.append(
            ReviewItem(
                case=case,
                decision=decisions[-1],
                reviews=[r for r in reviews if r.case_id == case.case_id],
            )
        )
    return items


# -- policies ----------------------------------------------------------------------------
@dataclass(frozen=True)
class PolicyPage:
    tenant: str
    active: Any  # PolicyVersion | None
    history: list[Any]
    diff: list[str]
    diff_from: int | None
    diff_to: int | None
    reviews: dict[str, list[AuditEntry]]  # policy version → reviews of its decisions


def policy_page(
    services: Services,
    audit: AuditLog,
    staff: Staff,
    tenant: str,
    *,
    diff_from: int | None = None,
    diff_to: int | None = None,
) -> PolicyPage:
    require_visible(staff, tenant)
    history = services.tenants.policy_history(tenant)
    active = services.tenants.current_policy(tenant)
    by_seq = {v.seq: v for v in history}
    if diff_to is None and active is not None:
        diff_to = active.seq
    if diff_from is None and diff_to is not None:
        diff_from = max((s for s in by_seq if s < diff_to), default=None)
    diff: list[str] = []
    if diff_from in by_seq and diff_to in by_seq:
        old, new = by_seq[diff_from], by_seq[diff_to]
        diff = list(
            difflib.unified_diff(
                old.text.splitlines(),
                new.text.splitlines(),
                fromfile=f"#{old.seq} {old.version}",
                tofile=f"#{new.seq} {new.version}",
                lineterm="",
            )
        )
    reviews: dict[str, list[AuditEntry]] = {}
    for entry in audit.for_tenant(tenant, actions=("review",)):
        reviews.setdefault(entry.detail.get("policy_version", "?"), []).append(entry)
    return PolicyPage(
        tenant=tenant,
        active=active,
        history=sorted(history, key=lambda v: v.seq, reverse=True),
        diff=diff,
        diff_from=diff_from,
        diff_to=diff_to,
        reviews=reviews,
    )


def seconds_left(moment: datetime, now: datetime) -> int:
    return int((moment - now).total_seconds())


PRIORITIES = [p.value for p in Priority]
