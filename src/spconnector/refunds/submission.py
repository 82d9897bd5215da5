"""Submit approved refunds in one adjustment feed per (tenant, marketplace), and recover
batches a crash left "submitting" — never sending a refund twice.

Guarantees (steps 3 and 4 of submit.py's exactly-once argument):
- Before createFeed, the batch is written with a "submitting" mark (its time), and each member
  is moved approved → submitted with the batch id. Only the lease holder for (tenant,
  marketplace) submits, and only while its lease has `create_feed_timeout` left, so no earlier
  holder can still be inside createFeed when a later one recovers.
- A batch found "submitting" without a feed id is resolved by getFeeds since its mark: no
  adjustment feed of unknown origin → nothing reached Amazon → send the same batch again;
  exactly one → adopt it; more → a person decides (never guess, never resubmit).
- A batch still "submitting" `confirm_within` after it was opened (however often it was sent
  again) is wound up, never sent again: if createFeed was never called since its last mark,
  nothing reached Amazon and its members are failed (the order's claim given back); if it
  was, the members' outcome is unknown. Either way each is escalated with the buyer's
  promise (jobs/track_feeds.py). The batch's `expired_at` is set first, a compare-and-set
  that a stale sender's createFeed mark loses, so no createFeed follows the decision.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from spconnector.refunds.batches import batch_to_unknown, claim, fail_unsent
from spconnector.refunds.feed import CONTENT_TYPE, FEED_TYPE, build_adjustment_feed
from spconnector.refunds.model import BatchMember, BatchStatus, RefundBatch, RefundState
from spconnector.refunds.ports import RefundPorts
from spconnector.refunds.settings import SubmitSettings


@dataclass
class SubmitResult:
    lease: bool = True
    batch_id: str | None = None
    feed_id: str | None = None
    submitted: int = 0
    wait_seconds: float = 0.0  # > 0: no createFeed token; call again after this long
    recovered: list[str] = field(default_factory=list)  # what recovery did, one line each
    error: str | None = None


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
        wait = ports.feeds.take_create_feed_token()
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
                opened_at=now,
                owner=owner,
            )
            if ledger.create_batch(batch):
                _send(ports, batch, owner, settings, result)
    ledger.release_lease(tenant, marketplace_id, owner)
    return result


def _batch_id(now: datetime) -> str:
    # sorts by creation time, which keeps the table readable for a person
    return f"{now:%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"


def _send(
    ports: RefundPorts,
    batch: RefundBatch,
    owner: str,
    settings: SubmitSettings,
    result: SubmitResult,
) -> None:
    ledger = ports.ledger
    batch, refunds = claim(ports, batch)
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
    # Deadlines first, without asking Amazon: a getFeeds that keeps failing must not keep a
    # batch from its deadline.
    for batch in ledger.open_batches(tenant, marketplace_id):
        if batch.status is BatchStatus.SUBMITTING and _past_deadline(ports, batch, settings):
            result.recovered.append(_wind_up(ports, batch, settings))
    for batch in ledger.open_batches(tenant, marketplace_id):
        if batch.status is not BatchStatus.SUBMITTING:
            continue
        if _past_deadline(ports, batch, settings):
            unresolved = True  # its wind-up lost a race this run: never sent again
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
            wait = ports.feeds.take_create_feed_token()
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
            batch_to_unknown(
                ports,
                batch,
                f"after a crash, {len(candidates)} adjustment feeds ({ids}) were found and "
                "none can be proven to be ours",
            )
            result.recovered.append(f"{batch.batch_id}: ambiguous ({ids}); given to a person")
    return unresolved


def _past_deadline(ports: RefundPorts, batch: RefundBatch, settings: SubmitSettings) -> bool:
    if batch.expired_at is not None:
        return True  # decided before (a crash stopped the wind-up): finish it
    opened = batch.opened_at or batch.marked_at
    return ports.clock.now() - opened > settings.confirm_within


def _wind_up(ports: RefundPorts, batch: RefundBatch, settings: SubmitSettings) -> str:
    """End a batch that missed its deadline to reach Amazon; one line saying what was done."""
    hours = f"{settings.confirm_within.total_seconds() / 3600:g} hours"
    if batch.expired_at is None:
        stored = ports.ledger.replace_batch(
            batch.model_copy(update={"expired_at": ports.clock.now()}), batch.version
        )
        if stored is None:
            # another worker moved it (its createFeed mark, or its own wind-up): next run
            return f"{batch.batch_id}: changed while expiring; looked at again next run"
        batch = stored
    if batch.create_feed_at is not None:
        why = (
            f"createFeed was called for batch {batch.batch_id} but no feed of it was found "
            f"within {hours}; the refund may have been applied"
        )
        batch_to_unknown(ports, batch, why)
        return f"{batch.batch_id}: past its deadline after createFeed; given to a person"
    why = f"not sent to Amazon within {hours} (createFeed never called); no money moved"
    fail_unsent(ports, batch, why)
    return f"{batch.batch_id}: past its deadline, never sent; members failed"


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
