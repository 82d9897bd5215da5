"""Negative feedback Amazon would remove: a task for a person, then whether it went.

Every new 1–3★ feedback row is checked against Amazon's removal criteria
(growth.removal.check). A candidate is stored once per feedback row, recorded in the impact
ledger (`removal_candidate`) and handed to a person with the reason, the Seller Central steps
and the order's case history — in the same poll that saw the row. On later polls a candidate
whose row has left the report while it is still young enough to be in it is recorded
`removed`; one still there after OUTCOME_AFTER is recorded `not_removed`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from spconnector.domain import Tenant, case_id_for
from spconnector.domain.enums import FulfillmentChannel
from spconnector.growth.events import GrowthEvent
from spconnector.growth.removal import check
from spconnector.impact.feedback import NON_POSITIVE_MAX_RATING, FeedbackEntry
from spconnector.jobs.growth_store import GrowthStore
from spconnector.jobs.services import Services
from spconnector.observability import get_logger
from spconnector.sp.errors import SpApiError

log = get_logger(__name__)

KIND = "removal"
OUTCOME_AFTER = timedelta(days=14)  # Amazon answers a removal request at once; allow for a person
# The feedback report we request covers at least this much: a younger row missing is gone.
REPORT_SPAN = timedelta(days=60)


def check_new_feedback(
    services: Services,
    tenant: Tenant,
    entries: list[FeedbackEntry],
    seen: frozenset[str],
    now: datetime,
) -> list[dict[str, Any]]:
    """Candidates among the rows not seen before; each handed to a person once."""
    tid = tenant.tenant_id
    store = GrowthStore(services)
    found = []
    for entry in entries:
        if entry.dedup_key in seen or entry.rating > NON_POSITIVE_MAX_RATING:
            continue
        candidate = check(entry.comments, fulfilled_by_amazon=_fba(services, tenant, entry))
        if candidate is None:
            continue
        doc = {
            "feedback_key": entry.dedup_key,
            "amazon_order_id": entry.amazon_order_id,
            "rating": entry.rating,
            "feedback_date": entry.feedback_date.isoformat(),
            "criterion": candidate.criterion,
            "reason": candidate.reason,
            "steps": list(candidate.steps),
            "found_at": now.isoformat(),
            "outcome": None,
        }
        if not store.put_doc_once(tid, KIND, entry.dedup_key, doc):
            continue  # handed over by an earlier poll
        store.record(
            GrowthEvent(
                tenant=tid,
                kind="removal_candidate",
                amazon_order_id=entry.amazon_order_id,
                at=now,
                detail=candidate.criterion,
            )
        )
        _hand_over(services, tenant, entry, doc, now)
        found.append(doc)
    return found


def settle_outcomes(
    services: Services, tenant: Tenant, entries: list[FeedbackEntry], now: datetime
) -> dict[str, int]:
    """Removed (the row left the report) or not (still there after OUTCOME_AFTER)."""
    tid = tenant.tenant_id
    store = GrowthStore(services)
    present = {e.dedup_key for e in entries}
    counts = {"removed": 0, "not_removed": 0}
    for doc in store.docs(tid, KIND):
        if doc.get("outcome"):
            continue
        key = str(doc["feedback_key"])
        found_at = datetime.fromisoformat(str(doc["found_at"]))
        feedback_day = datetime.fromisoformat(str(doc["feedback_date"])).replace(tzinfo=now.tzinfo)
        if key not in present and now - feedback_day < REPORT_SPAN:
            outcome = "removed"
        elif key in present and now - found_at >= OUTCOME_AFTER:
            outcome = "not_removed"
        else:
            continue
        store.put_doc(tid, KIND, key, {**doc, "outcome": outcome, "settled_at": now.isoformat()})
        store.record(
            GrowthEvent(
                tenant=tid,
                kind="removal_outcome",
                amazon_order_id=str(doc["amazon_order_id"]),
                at=now,
                outcome=outcome,
                detail=str(doc["criterion"]),
            )
        )
        counts[outcome] += 1
    return counts


def candidates(services: Services, tenant: Tenant) -> list[dict[str, Any]]:
    return GrowthStore(services).docs(tenant.tenant_id, KIND)


def _fba(services: Services, tenant: Tenant, entry: FeedbackEntry) -> bool | None:
    """The order's channel; None when it cannot be read (the FBA criterion is then not used)."""
    try:
        order = services.sp(tenant).get_order(entry.amazon_order_id)
    except SpApiError as exc:
        log.info("order channel unknown for a feedback row: %s", type(exc).__name__)
        return None
    return bool(order.fulfillment_channel is FulfillmentChannel.FBA)


def _history(services: Services, tenant: Tenant, order_id: str) -> str:
    tid = tenant.tenant_id
    case = services.cases.get(tid, case_id_for(tid, order_id))
    if case is None:
        return "no case for this order: the buyer never wrote to us"
    decisions = services.cases.decisions(tid, case.case_id)
    last = decisions[-1] if decisions else None
    return (
        f"case {case.case_id}: opened {case.opened_at:%Y-%m-%d %H:%M} UTC, status "
        f"{case.status.value}, {len(case.message_ids)} messages, {len(case.return_keys)} returns"
        + (f", last decision {last.action.value} ({last.explanation[:80]})" if last else "")
    )


def _hand_over(
    services: Services, tenant: Tenant, entry: FeedbackEntry, doc: dict[str, Any], now: datetime
) -> None:
    from spconnector.aws.escalations import EscalationSummary

    tid = tenant.tenant_id
    steps = "; ".join(doc["steps"])
    services.escalations.publish(
        EscalationSummary(
            tenant=tid,
            case_id=case_id_for(tid, entry.amazon_order_id),
            amazon_order_id=entry.amazon_order_id,
            action="request_feedback_removal",
            priority="high",
            # Amazon accepts removal requests for 90 days after the feedback; sooner is better
            respond_by=now + timedelta(days=7),
            reasons=(
                f"{entry.rating}★ feedback of {entry.feedback_date}: removal candidate — "
                f"{doc['reason']}",
                f"steps: {steps}",
                _history(services, tenant, entry.amazon_order_id),
            ),
        )
    )
