"""Reconcile submitted batches from Amazon's processing reports, message by message.

Guarantees (step 5 of submit.py's exactly-once argument, and its "never silent"):
- A refund is sent again only when Amazon's processing report proves it was not applied and
  the error is retryable (or the feed was CANCELLED before processing). It keeps its
  MerchantAdjustmentItemID, so even then Amazon would see a duplicate, not a second refund.
- FATAL, DONE without a report, an unreadable or inconsistent report, or a feed unanswered
  (or getFeed still failing) past `confirm_within`: every member's outcome is UNKNOWN (the
  money may have moved), for a person to settle. A refund that moved no money is FAILED
  and its order's claim given back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from spconnector.refunds.batches import (
    batch_to_unknown,
    finish,
    note_retries_used_up,
    resolve,
    retry,
)
from spconnector.refunds.feed import FEED_TYPE, ReportError, ResultKind, parse_processing_report
from spconnector.refunds.model import BatchMember, BatchStatus, RefundBatch, RefundState
from spconnector.refunds.ports import FeedStatus, RefundPorts
from spconnector.refunds.settings import SubmitSettings


@dataclass
class TrackResult:
    confirmed: int = 0
    failed: int = 0  # no money moved (rejected, retries used up, not sent in time)
    retried: int = 0
    unknown: int = 0  # the money may have moved: a person settles it
    pending_feeds: list[str] = field(default_factory=list)


def track(
    ports: RefundPorts,
    tenant: str,
    marketplace_id: str,
    *,
    settings: SubmitSettings | None = None,
    finished: Mapping[str, FeedStatus] | None = None,
) -> TrackResult:
    """Reconcile submitted batches from Amazon's processing reports.

    `finished` maps feed ids to statuses already known (from FEED_PROCESSING_FINISHED
    notifications); other feeds are asked with getFeed.
    """
    settings = settings or SubmitSettings()
    result = TrackResult()
    for batch in ports.ledger.open_batches(tenant, marketplace_id):
        if batch.status is not BatchStatus.SUBMITTED or batch.feed_id is None:
            continue
        try:
            status = (finished or {}).get(batch.feed_id) or ports.feeds.get_feed(batch.feed_id)
        except Exception as exc:
            # getFeed failing past the deadline must not keep the refunds from a person
            if not _past_deadline(ports, batch, settings):
                raise
            why = (
                f"Amazon's getFeed for feed {batch.feed_id} still fails "
                f"({type(exc).__name__}) {_hours(settings)} after it was sent; "
                "it may have been applied"
            )
            result.unknown += batch_to_unknown(ports, batch, why)
            continue
        _apply_status(ports, batch, status, settings, result)
    return result


def feed_status_from_notification(notification: Mapping[str, Any]) -> FeedStatus:
    """The FeedStatus in a FEED_PROCESSING_FINISHED notification (SQS body, parsed JSON)."""
    payload = notification.get("payload", notification)
    body = payload.get("feedProcessingFinishedNotification", payload)
    return FeedStatus(
        feed_id=str(body["feedId"]),
        feed_type=str(body.get("feedType", FEED_TYPE)),
        processing_status=str(body["processingStatus"]),
        created_time=datetime.fromisoformat(
            str(notification.get("eventTime", "1970-01-01T00:00:00+00:00")).replace("Z", "+00:00")
        ),
        result_feed_document_id=body.get("resultFeedDocumentId"),
    )


def _past_deadline(ports: RefundPorts, batch: RefundBatch, settings: SubmitSettings) -> bool:
    sent_at = batch.submitted_at or batch.marked_at
    return ports.clock.now() - sent_at > settings.confirm_within


def _hours(settings: SubmitSettings) -> str:
    return f"{settings.confirm_within.total_seconds() / 3600:g} hours"


def _apply_status(
    ports: RefundPorts,
    batch: RefundBatch,
    status: FeedStatus,
    settings: SubmitSettings,
    result: TrackResult,
) -> None:
    state = status.processing_status
    if state in ("IN_QUEUE", "IN_PROGRESS"):
        if _past_deadline(ports, batch, settings):
            why = (
                f"Amazon did not finish feed {batch.feed_id} within {_hours(settings)} "
                f"(still {state}); it may yet be applied"
            )
            result.unknown += batch_to_unknown(ports, batch, why)
        else:
            result.pending_feeds.append(batch.feed_id or "")
        return
    outcomes: dict[int, tuple[ResultKind, str | None]] = {}
    if state == "CANCELLED":
        # Cancelled before processing started: nothing was applied, sending again is safe.
        why = "Amazon cancelled the feed before processing it"
        outcomes = {m.message_id: (ResultKind.RETRYABLE, why) for m in batch.members}
    elif state == "DONE" and status.result_feed_document_id:
        data = ports.feeds.get_feed_result_document(status.result_feed_document_id)
        try:
            report = parse_processing_report(data)
        except ReportError as exc:
            why = f"the processing report cannot be read ({exc})"
            result.unknown += batch_to_unknown(ports, batch, why)
            return
        inconsistent = report.inconsistency([m.message_id for m in batch.members])
        if inconsistent is not None:
            result.unknown += batch_to_unknown(ports, batch, inconsistent)
            return
        outcomes = {m.message_id: report.outcome(m.message_id) for m in batch.members}
    else:
        # FATAL (or DONE without a report): Amazon says some, none or all may have been applied.
        why = (
            f"Amazon ended the feed {state}"
            + ("" if state != "DONE" else " without a processing report")
            + "; some adjustments may have been applied — check before refunding again"
        )
        outcomes = {m.message_id: (ResultKind.UNKNOWN, why) for m in batch.members}
    for member in batch.members:
        kind, reason = outcomes[member.message_id]
        counted = _resolve_outcome(ports, batch, member, kind, reason, settings)
        if counted is not None:
            setattr(result, counted, getattr(result, counted) + 1)
    finish(ports, batch, note=f"feed {state}")


def _resolve_outcome(
    ports: RefundPorts,
    batch: RefundBatch,
    member: BatchMember,
    kind: ResultKind,
    reason: str | None,
    settings: SubmitSettings,
) -> str | None:
    order, adjustment = member.amazon_order_id, member.adjustment_id
    if kind is ResultKind.APPLIED:
        done = resolve(ports, batch, order, adjustment, RefundState.CONFIRMED, reason)
        return "confirmed" if done else None
    if kind is ResultKind.UNKNOWN:  # the money may have moved: a person checks
        done = resolve(ports, batch, order, adjustment, RefundState.UNKNOWN, reason)
        return "unknown" if done else None
    failed = resolve(ports, batch, order, adjustment, RefundState.FAILED, reason)
    # The retry is attempted even when another run already marked it failed (it may have
    # stopped before retrying); retry itself only moves a refund failed in this batch.
    if kind is ResultKind.RETRYABLE and retry(ports, batch, order, adjustment, settings):
        return "retried"
    if kind is ResultKind.RETRYABLE:
        note_retries_used_up(ports, batch, order, adjustment, settings)
    # Amazon applied nothing and nothing will be re-sent: the order's claim is given back.
    current = ports.ledger.get_refund(batch.tenant, order, adjustment)
    if current is not None and current.state is RefundState.FAILED:
        ports.ledger.release_order(batch.tenant, order, adjustment)
    return "failed" if failed else None
