"""Refund use cases: propose, approve, submit in batches, track — exactly once.

How exactly-once holds:
1. A refund's key (tenant, order, adjustment id) is written with a conditional create: the
   same decision delivered twice finds the record already there.
2. Every state change is a compare-and-set on the record's version; a loser re-reads.
3. Before createFeed, the batch is written with a "submitting" mark (its time), and each
   member is moved approved → submitted with the batch id. Only the lease holder for
   (tenant, marketplace) submits, and only while its lease has `create_feed_timeout` left,
   so no earlier holder can still be inside createFeed when a later one recovers.
4. A batch found "submitting" without a feed id is resolved by getFeeds since its mark:
   no adjustment feed of unknown origin → nothing reached Amazon → send the same batch again;
   exactly one → adopt it; more → a person decides (never guess, never resubmit).
5. A refund is sent again only when Amazon's processing report proves it was not applied
   and the error is retryable (or the feed was CANCELLED before processing). It keeps its
   MerchantAdjustmentItemID, so even then Amazon would see a duplicate, not a second refund.

Every refund is confirmed, or it is not, within `confirm_within`:
- FAILED means no money moved: Amazon rejected it (or the retries are used up), or it was
  never sent in time. The order's claim is given back.
- UNKNOWN means the money may have moved: the feed ended FATAL or was never answered, the
  processing report is unreadable or does not add up, Amazon says "duplicate", or recovery
  found several candidate feeds. The order's claim stays: no further automatic refund until
  a person settles it (`settle_unknown`).
Neither is silent (refunds/outcomes.py): `unreported` lists them until `mark_escalated`
records that a person was told (the TrackFeeds job escalates them with the buyer's promise).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from spconnector.domain.enums import FulfillmentChannel, Mode
from spconnector.domain.money import CurrencyMismatch, Money
from spconnector.domain.tenant import Budgets
from spconnector.refunds.fba import feed_refusal, person_task_for
from spconnector.refunds.feed import (
    CONTENT_TYPE,
    FEED_TYPE,
    ReportError,
    ResultKind,
    build_adjustment_feed,
    parse_processing_report,
)
from spconnector.refunds.model import (
    AdjustmentReason,
    BatchMember,
    BatchStatus,
    Refund,
    RefundBatch,
    RefundItem,
    RefundState,
    adjustment_id_for,
)
from spconnector.refunds.ports import Clock, FeedsPort, FeedStatus, RefundLedger
from spconnector.sp.usage_plans import plan_for

CREATE_FEED = "feeds_2021-06-30:createFeed"
_CREATE_FEED_PLAN = plan_for(CREATE_FEED)


@dataclass(frozen=True, slots=True)
class SubmitSettings:
    lease_seconds: float = 300.0
    # createFeed is only started with at least this much lease left; the SP client's deadline
    # for one createFeed call must be shorter.
    create_feed_timeout: float = 60.0
    max_batch: int = 2000
    max_attempts: int = 3
    # Amazon's createdTime and our clock may disagree; look back this far before the mark.
    clock_skew: timedelta = timedelta(minutes=5)
    feed_rate: float = _CREATE_FEED_PLAN.rate
    feed_burst: int = _CREATE_FEED_PLAN.burst
    # The buyer has been told "refunded": a refund not confirmed this long after it was
    # approved (not sent) or sent (no answer) goes to a person.
    confirm_within: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class RefundPorts:
    feeds: FeedsPort
    ledger: RefundLedger
    clock: Clock
    merchant_identifier: str  # the seller id, MerchantIdentifier in the feed header


@dataclass
class SubmitResult:
    lease: bool = True
    batch_id: str | None = None
    feed_id: str | None = None
    submitted: int = 0
    wait_seconds: float = 0.0  # > 0: no createFeed token; call again after this long
    recovered: list[str] = field(default_factory=list)  # what recovery did, one line each
    error: str | None = None


class RefundNotFound(KeyError):
    pass


# ---- propose / approve -------------------------------------------------------------------


def propose(
    ledger: RefundLedger,
    clock: Clock,
    *,
    tenant: str,
    marketplace_id: str,
    amazon_order_id: str,
    case_id: str,
    decision_step: str,
    fulfillment: FulfillmentChannel,
    items: Sequence[RefundItem],
    reason: AdjustmentReason,
) -> Refund:
    """Record the refund a decision asks for. Idempotent: a redelivery returns the record."""
    now = clock.now()
    refund = Refund(
        tenant=tenant,
        marketplace_id=marketplace_id,
        amazon_order_id=amazon_order_id,
        adjustment_id=adjustment_id_for(tenant, case_id, decision_step),
        case_id=case_id,
        decision_step=decision_step,
        fulfillment=fulfillment,
        items=tuple(items),
        reason=reason,
        created_at=now,
        updated_at=now,
    )
    if refund.total.amount <= 0:
        raise ValueError(f"refund for {amazon_order_id} must be positive, not {refund.total}")
    refusal = feed_refusal(fulfillment)
    if refusal is not None:
        refund = refund.advance(
            RefundState.NEEDS_PERSON,
            now,
            failure=refusal,
            person_task=person_task_for(refund, refusal),
        )
    if ledger.create_refund(refund):
        return refund.model_copy(update={"version": 0})
    existing = ledger.get_refund(*refund.key)
    if existing is None:  # pragma: no cover - create said it exists
        raise RefundNotFound(refund.key)
    return existing


def approve(
    ledger: RefundLedger,
    clock: Clock,
    key: tuple[str, str, str],
    *,
    mode: Mode,
    budgets: Budgets,
    spent_today: Money,
    spent_month: Money,
    paused: bool = False,
    approved_by: str | None = None,
) -> Refund:
    """Approve a proposed refund after checking mode and budgets again, now.

    Idempotent: a refund past `proposed` is returned unchanged (a redelivered approval).
    In approve mode without a person's name the refund keeps waiting. A refund that the
    mode or a budget does not allow becomes a task for a person, with the reason.
    """
    while True:
        refund = ledger.get_refund(*key)
        if refund is None:
            raise RefundNotFound(key)
        if refund.state is not RefundState.PROPOSED:
            return refund
        if mode is Mode.APPROVE and approved_by is None:
            return refund
        now = clock.now()
        why = _refusal(refund, mode, budgets, spent_today, spent_month, paused, approved_by)
        if why is None:
            new = refund.advance(RefundState.APPROVED, now, approved_by=approved_by or "policy")
        else:
            new = refund.advance(
                RefundState.NEEDS_PERSON,
                now,
                failure=why,
                person_task=person_task_for(refund, why),
            )
        stored = ledger.replace_refund(new, refund.version)
        if stored is not None:
            return stored


def _refusal(
    refund: Refund,
    mode: Mode,
    budgets: Budgets,
    spent_today: Money,
    spent_month: Money,
    paused: bool,
    approved_by: str | None,
) -> str | None:
    if paused:
        return "the tenant is paused"
    if mode is Mode.SHADOW:
        return "the tenant is in shadow mode: refunds are decided and logged, not carried out"
    total = refund.total
    try:
        limit = budgets.autonomy_limit
        if approved_by is None and limit is not None and total > limit:
            return f"{total} is above the autonomy limit of {limit}"
        if budgets.daily_refunds is not None and spent_today + total > budgets.daily_refunds:
            return f"the daily refund budget {budgets.daily_refunds} would be exceeded"
        if budgets.monthly_refunds is not None and spent_month + total > budgets.monthly_refunds:
            return f"the monthly refund budget {budgets.monthly_refunds} would be exceeded"
    except CurrencyMismatch as exc:
        return f"budget and refund currencies differ ({exc})"
    return None


# ---- submit ------------------------------------------------------------------------------


def submit_pending(
    ports: RefundPorts,
    tenant: str,
    marketplace_id: str,
    *,
    owner: str | None = None,
    settings: SubmitSettings | None = None,
    may_act: bool = True,
) -> SubmitResult:
    """Send every approved refund of (tenant, marketplace) in one adjustment feed.

    `may_act` is the tenant's mode checked now (live or approve, not paused); when False,
    approved refunds wait and only recovery runs. Returns without sending when another worker
    holds the lease or no createFeed token is left (see `wait_seconds`).
    """
    settings = settings or SubmitSettings()
    owner = owner or secrets.token_hex(8)
    ledger = ports.ledger
    now = ports.clock.now()
    if not ledger.acquire_lease(tenant, marketplace_id, owner, now, settings.lease_seconds):
        return SubmitResult(lease=False)
    result = SubmitResult()
    unresolved = _recover(ports, tenant, marketplace_id, owner, settings, result, may_act)
    if unresolved or not may_act:
        ledger.release_lease(tenant, marketplace_id, owner)
        return result
    approved = ledger.refunds_in_state(tenant, marketplace_id, RefundState.APPROVED)
    approved = [r for r in approved if r.batch_id is None][: settings.max_batch]
    if approved:
        wait = _take_token(ports, tenant, settings)
        if wait > 0:
            result.wait_seconds = wait
        else:
            now = ports.clock.now()
            batch = RefundBatch(
                tenant=tenant,
                marketplace_id=marketplace_id,
                batch_id=_batch_id(now),
                members=tuple(
                    BatchMember(
                        amazon_order_id=r.amazon_order_id,
                        adjustment_id=r.adjustment_id,
                        message_id=i,
                    )
                    for i, r in enumerate(approved, start=1)
                ),
                marked_at=now,
                owner=owner,
            )
            if ledger.create_batch(batch):
                _send(ports, batch, owner, settings, result)
    ledger.release_lease(tenant, marketplace_id, owner)
    return result


def _batch_id(now: datetime) -> str:
    # sorts by creation time, which keeps the table readable for a person
    return f"{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"


def _take_token(ports: RefundPorts, tenant: str, settings: SubmitSettings) -> float:
    return ports.ledger.take_token(
        tenant, CREATE_FEED, ports.clock.now(), settings.feed_rate, settings.feed_burst
    )


def _claim(ports: RefundPorts, batch: RefundBatch) -> tuple[RefundBatch, list[Refund]]:
    """Move each member approved → submitted(batch); drop members another batch owns."""
    ledger = ports.ledger
    claimed: list[Refund] = []
    kept: list[BatchMember] = []
    for member in batch.members:
        while True:
            refund = ledger.get_refund(batch.tenant, member.amazon_order_id, member.adjustment_id)
            if refund is None:
                break
            if refund.state is RefundState.SUBMITTED and refund.batch_id == batch.batch_id:
                claimed.append(refund)
                kept.append(member)
                break
            if refund.state is not RefundState.APPROVED or refund.batch_id is not None:
                break
            new = refund.advance(
                RefundState.SUBMITTED,
                ports.clock.now(),
                batch_id=batch.batch_id,
                message_id=member.message_id,
                attempts=refund.attempts + 1,
            )
            stored = ledger.replace_refund(new, refund.version)
            if stored is not None:
                claimed.append(stored)
                kept.append(member)
                break
    if len(kept) != len(batch.members):
        stored_batch = ledger.replace_batch(
            batch.model_copy(update={"members": tuple(kept)}), batch.version
        )
        if stored_batch is None:
            raise RuntimeError(f"batch {batch.batch_id} changed while claiming")
        batch = stored_batch
    return batch, claimed


def _send(
    ports: RefundPorts,
    batch: RefundBatch,
    owner: str,
    settings: SubmitSettings,
    result: SubmitResult,
) -> None:
    ledger = ports.ledger
    batch, refunds = _claim(ports, batch)
    result.batch_id = batch.batch_id
    if not batch.members:
        ledger.replace_batch(
            batch.model_copy(
                update={"status": BatchStatus.ABANDONED, "note": "no member left to send"}
            ),
            batch.version,
        )
        return
    document = build_adjustment_feed(batch, refunds, ports.merchant_identifier)
    document_id, url = ports.feeds.create_feed_document(CONTENT_TYPE)
    ports.feeds.upload_feed_document(url, document, CONTENT_TYPE)
    if not ledger.holds_lease(
        batch.tenant, batch.marketplace_id, owner, ports.clock.now(), settings.create_feed_timeout
    ):
        # Too little lease left to be sure createFeed ends before another worker may recover.
        result.error = "lease too short for createFeed; left for recovery"
        return
    marked = ledger.replace_batch(
        batch.model_copy(update={"create_feed_at": ports.clock.now(), "document_id": document_id}),
        batch.version,
    )
    if marked is None:
        raise RuntimeError(f"batch {batch.batch_id} changed before createFeed")
    batch = marked
    try:
        feed_id = ports.feeds.create_feed(FEED_TYPE, document_id, [batch.marketplace_id])
    except Exception as exc:  # any failure may or may not have created the feed
        result.error = f"createFeed failed ({type(exc).__name__}); recovery will check getFeeds"
        return
    ledger.record_feed(batch.tenant, feed_id, batch.batch_id)
    stored = ledger.replace_batch(
        batch.model_copy(
            update={
                "status": BatchStatus.SUBMITTED,
                "feed_id": feed_id,
                "document_id": document_id,
                "submitted_at": ports.clock.now(),
            }
        ),
        batch.version,
    )
    if stored is None:
        raise RuntimeError(f"batch {batch.batch_id} changed during createFeed")
    result.feed_id = feed_id
    result.submitted = len(batch.members)


# ---- recovery ----------------------------------------------------------------------------


def _recover(
    ports: RefundPorts,
    tenant: str,
    marketplace_id: str,
    owner: str,
    settings: SubmitSettings,
    result: SubmitResult,
    may_act: bool,
) -> bool:
    """Resolve batches left "submitting". True while one is still unresolved.

    Sending a batch again is an act: it waits while the tenant may not act (paused, shadow).
    """
    ledger = ports.ledger
    unresolved = False
    for batch in ledger.open_batches(tenant, marketplace_id):
        if batch.status is not BatchStatus.SUBMITTING:
            continue
        since = batch.marked_at - settings.clock_skew
        feeds = ports.feeds.get_feeds([FEED_TYPE], since, [marketplace_id])
        owners = {f.feed_id: ledger.feed_owner(tenant, f.feed_id) for f in feeds}
        mine = [f for f in feeds if owners[f.feed_id] == batch.batch_id]
        candidates = mine or [
            f
            for f in feeds
            if f.feed_type == FEED_TYPE
            and owners[f.feed_id] is None
            and (not f.marketplace_ids or marketplace_id in f.marketplace_ids)
        ]
        if batch.create_feed_at is None:
            # createFeed was never called for this batch: the feeds found are someone else's.
            candidates = []
        if not candidates and not may_act:
            unresolved = True
            continue
        if not candidates:
            wait = _take_token(ports, tenant, settings)
            if wait > 0:
                result.wait_seconds = wait
                unresolved = True
                continue
            result.recovered.append(f"{batch.batch_id}: no feed since the mark; sent again")
            _send(ports, _remarked(ports, batch, owner), owner, settings, result)
            current = ledger.get_batch(tenant, marketplace_id, batch.batch_id)
            unresolved = unresolved or (
                current is not None and current.status is BatchStatus.SUBMITTING
            )
        elif len(candidates) == 1:
            feed = candidates[0]
            ledger.record_feed(tenant, feed.feed_id, batch.batch_id)
            stored = ledger.replace_batch(
                batch.model_copy(
                    update={
                        "status": BatchStatus.SUBMITTED,
                        "feed_id": feed.feed_id,
                        "submitted_at": feed.created_time,
                        "note": "recovered: "
                        + (
                            "our recorded feed"
                            if mine
                            else "the only adjustment feed since the mark"
                        ),
                    }
                ),
                batch.version,
            )
            if stored is None:
                raise RuntimeError(f"batch {batch.batch_id} changed during recovery")
            result.recovered.append(f"{batch.batch_id}: adopted feed {feed.feed_id}")
        else:
            ids = ", ".join(sorted(f.feed_id for f in candidates))
            for feed in candidates:  # decided here: later recoveries must not count them again
                ledger.record_feed(tenant, feed.feed_id, batch.batch_id)
            _batch_to_unknown(
                ports,
                batch,
                f"after a crash, {len(candidates)} adjustment feeds ({ids}) were found and "
                "none can be proven to be ours",
            )
            result.recovered.append(f"{batch.batch_id}: ambiguous ({ids}); given to a person")
    return unresolved


def _remarked(ports: RefundPorts, batch: RefundBatch, owner: str) -> RefundBatch:
    """Move the mark to now before sending again, so a later recovery looks from here."""
    stored = ports.ledger.replace_batch(
        batch.model_copy(
            update={"marked_at": ports.clock.now(), "owner": owner, "create_feed_at": None}
        ),
        batch.version,
    )
    if stored is None:
        raise RuntimeError(f"batch {batch.batch_id} changed during recovery")
    return stored


def _batch_to_unknown(ports: RefundPorts, batch: RefundBatch, why: str) -> int:
    """Every member's outcome is unknown (a person checks); returns how many were moved."""
    batch, _ = _claim(ports, batch)  # members still approved become part of the decision
    moved = 0
    for member in batch.members:
        moved += _resolve(
            ports, batch, member.amazon_order_id, member.adjustment_id, RefundState.UNKNOWN, why
        )
    _finish(ports, batch, note=why)
    return moved


# ---- track -------------------------------------------------------------------------------


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
        status = (finished or {}).get(batch.feed_id) or ports.feeds.get_feed(batch.feed_id)
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


def _apply_status(
    ports: RefundPorts,
    batch: RefundBatch,
    status: FeedStatus,
    settings: SubmitSettings,
    result: TrackResult,
) -> None:
    state = status.processing_status
    if state in ("IN_QUEUE", "IN_PROGRESS"):
        sent_at = batch.submitted_at or batch.marked_at
        if ports.clock.now() - sent_at > settings.confirm_within:
            hours = f"{settings.confirm_within.total_seconds() / 3600:g} hours"
            why = (
                f"Amazon did not finish feed {batch.feed_id} within {hours} "
                f"(still {state}); it may yet be applied"
            )
            result.unknown += _batch_to_unknown(ports, batch, why)
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
            result.unknown += _batch_to_unknown(ports, batch, why)
            return
        inconsistent = report.inconsistency([m.message_id for m in batch.members])
        if inconsistent is not None:
            result.unknown += _batch_to_unknown(ports, batch, inconsistent)
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
    _finish(ports, batch, note=f"feed {state}")


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
        done = _resolve(ports, batch, order, adjustment, RefundState.CONFIRMED, reason)
        return "confirmed" if done else None
    if kind is ResultKind.UNKNOWN:  # the money may have moved: a person checks
        done = _resolve(ports, batch, order, adjustment, RefundState.UNKNOWN, reason)
        return "unknown" if done else None
    failed = _resolve(ports, batch, order, adjustment, RefundState.FAILED, reason)
    # The retry is attempted even when another run already marked it failed (it may have
    # stopped before retrying); _retry itself only moves a refund failed in this batch.
    if kind is ResultKind.RETRYABLE and _retry(ports, batch, order, adjustment, settings):
        return "retried"
    if kind is ResultKind.RETRYABLE:
        _note_retries_used_up(ports, batch, order, adjustment, settings)
    # Amazon applied nothing and nothing will be re-sent: the order's claim is given back.
    current = ports.ledger.get_refund(batch.tenant, order, adjustment)
    if current is not None and current.state is RefundState.FAILED:
        ports.ledger.release_order(batch.tenant, order, adjustment)
    return "failed" if failed else None


def _note_retries_used_up(
    ports: RefundPorts,
    batch: RefundBatch,
    amazon_order_id: str,
    adjustment_id: str,
    settings: SubmitSettings,
) -> None:
    while True:
        refund = ports.ledger.get_refund(batch.tenant, amazon_order_id, adjustment_id)
        if (
            refund is None
            or refund.state is not RefundState.FAILED
            or refund.batch_id != batch.batch_id
            or refund.attempts < settings.max_attempts
            or "retries used up" in (refund.failure or "")
        ):
            return
        failure = f"{refund.failure}; retries used up ({refund.attempts} feeds)"
        if ports.ledger.replace_refund(
            refund.model_copy(update={"failure": failure}), refund.version
        ):
            return


def _resolve(
    ports: RefundPorts,
    batch: RefundBatch,
    amazon_order_id: str,
    adjustment_id: str,
    target: RefundState,
    reason: str | None,
) -> bool:
    """Move a member still submitted in this batch; False if someone already did."""
    ledger = ports.ledger
    while True:
        refund = ledger.get_refund(batch.tenant, amazon_order_id, adjustment_id)
        if (
            refund is None
            or refund.state is not RefundState.SUBMITTED
            or refund.batch_id != batch.batch_id
        ):
            return False
        changes: dict[str, object] = {"feed_id": batch.feed_id}
        if target is RefundState.CONFIRMED:
            changes["amazon_reason"] = reason
        elif target is RefundState.FAILED:
            changes["amazon_reason"] = reason
            changes["failure"] = reason
        else:
            changes["failure"] = reason
        if target is RefundState.UNKNOWN:
            changes["person_task"] = person_task_for(refund, reason or "unknown outcome")
        new = refund.advance(target, ports.clock.now(), **changes)
        if ledger.replace_refund(new, refund.version) is not None:
            return True


def _retry(
    ports: RefundPorts,
    batch: RefundBatch,
    amazon_order_id: str,
    adjustment_id: str,
    settings: SubmitSettings,
) -> bool:
    ledger = ports.ledger
    while True:
        refund = ledger.get_refund(batch.tenant, amazon_order_id, adjustment_id)
        if refund is None or refund.state is not RefundState.FAILED:
            return False
        if refund.batch_id != batch.batch_id or refund.attempts >= settings.max_attempts:
            return False
        new = refund.advance(
            RefundState.APPROVED, ports.clock.now(), batch_id=None, message_id=None
        )
        if ledger.replace_refund(new, refund.version) is not None:
            return True


def _finish(ports: RefundPorts, batch: RefundBatch, note: str) -> None:
    while True:
        current = ports.ledger.get_batch(batch.tenant, batch.marketplace_id, batch.batch_id)
        if current is None or current.status in (BatchStatus.DONE, BatchStatus.ABANDONED):
            return
        stored = ports.ledger.replace_batch(
            current.model_copy(
                update={
                    "status": BatchStatus.DONE,
                    "finished_at": ports.clock.now(),
                    "note": note if current.note is None else f"{current.note}; {note}",
                }
            ),
            current.version,
        )
        if stored is not None:
            return
