"""Negative feedback Amazon would remove: a task for a person, then whether it went.

Every new 1–3★ feedback row is checked against Amazon's removal criteria
(growth.removal.check). A candidate is stored once per feedback row, recorded in the impact
ledger (`removal_candidate`) and handed to a person with the reason, the Seller Central steps
and the order's case history — in the same poll that saw the row. Later polls request a
feedback report covering the candidates' days (check_outcomes): a row gone from it is
recorded `removed`; one still there OUTCOME_AFTER after we found it, `not_removed`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from spconnector.domain import Tenant, case_id_for
from spconnector.domain.enums import FulfillmentChannel
from spconnector.growth.events import GrowthEvent
from spconnector.growth.removal import check
from spconnector.impact.feedback import (
    FEEDBACK_REPORT_TYPE,
    NON_POSITIVE_MAX_RATING,
    FeedbackEntry,
    parse_feedback_report,
)
from spconnector.jobs.services import Services
from spconnector.observability import get_logger
from spconnector.sp.errors import SpApiError

log = get_logger(__name__)

KIND = "removal"
KIND_CHECK = "removal-check"
CHECK_AFTER = timedelta(days=2)  # a person has had time to ask Amazon; Amazon decides at once
OUTCOME_AFTER = timedelta(days=14)  # still there this long after we found it: not removed


def check_new_feedback(
    services: Services,
    tenant: Tenant,
    entries: list[FeedbackEntry],
    seen: frozenset[str],
    now: datetime,
) -> list[dict[str, Any]]:
    """Candidates among the rows not seen before; each handed to a person once."""
    tid = tenant.tenant_id
    store = services.growth
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


def check_outcomes(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    """Whether candidates' feedback is gone, from a feedback report of our own that covers
    their dates (PollFeedback's report is incremental: a row missing from it says nothing).

    One such report at a time (its id kept as a document); requested when candidates older
    than CHECK_AFTER wait for an outcome, read on a later poll once Amazon has built it.
    """
    tid = tenant.tenant_id
    store = services.growth
    sp = services.sp(tenant)
    result: dict[str, Any] = {"requested": None, "removed": 0, "not_removed": 0}
    pending = store.get_doc(tid, KIND_CHECK, "pending")
    if pending is not None:
        report = sp.get_report(str(pending["report_id"]))
        if report.processingStatus in ("IN_QUEUE", "IN_PROGRESS"):
            return result
        covered = (
            datetime.fromisoformat(str(pending["start"])),
            datetime.fromisoformat(str(pending["end"])),
        )
        if report.processingStatus == "DONE" and report.reportDocumentId:
            entries = parse_feedback_report(sp.get_report_document(report.reportDocumentId))
            result.update(settle_outcomes(services, tenant, entries.entries, covered, now))
        elif report.processingStatus == "CANCELLED":  # Amazon's "no data": no row is left
            result.update(settle_outcomes(services, tenant, [], covered, now))
        # FATAL: nothing settled; the next poll requests the days again
        store.delete_doc(tid, KIND_CHECK, "pending")
        return result
    waiting = [
        d
        for d in store.docs(tid, KIND)
        if not d.get("outcome") and now - datetime.fromisoformat(str(d["found_at"])) >= CHECK_AFTER
    ]
    if not waiting:
        return result
    start = min(_day(str(d["feedback_date"]), now) for d in waiting) - timedelta(days=1)
    report_id = sp.create_report(FEEDBACK_REPORT_TYPE, start, now, list(tenant.marketplace_ids))
    store.put_doc(
        tid,
        KIND_CHECK,
        "pending",
        {"report_id": report_id, "start": start.isoformat(), "end": now.isoformat()},
    )
    result["requested"] = report_id
    return result


def settle_outcomes(
    services: Services,
    tenant: Tenant,
    entries: list[FeedbackEntry],
    covered: tuple[datetime, datetime],
    now: datetime,
) -> dict[str, int]:
    """Candidates whose feedback day the report covers: gone from it → removed; still in it
    OUTCOME_AFTER after we found them → not removed; otherwise asked again later."""
    tid = tenant.tenant_id
    store = services.growth
    present = {e.dedup_key for e in entries}
    counts = {"removed": 0, "not_removed": 0}
    for doc in store.docs(tid, KIND):
        if doc.get("outcome"):
            continue
        key = str(doc["feedback_key"])
        day = _day(str(doc["feedback_date"]), now)
        if not covered[0] <= day <= covered[1]:
            continue
        found_at = datetime.fromisoformat(str(doc["found_at"]))
        if key not in present:
            outcome = "removed"
        elif now - found_at >= OUTCOME_AFTER:
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


def _day(iso_date: str, now: datetime) -> datetime:
    return datetime.fromisoformat(iso_date).replace(tzinfo=now.tzinfo)


def candidates(services: Services, tenant: Tenant) -> list[dict[str, Any]]:
    return services.growth.docs(tenant.tenant_id, KIND)


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
