"""Refunds that are not confirmed: found, told to a person, and settled by one.

- `expire_unsent`: an approved refund no feed carried within the deadline is failed (nothing
  reached Amazon) and the order's claim is given back.
- `unreported` / `mark_escalated`: every failed or unknown refund is listed until a person
  has been told (at least once: a crash between telling and marking tells again).
- `settle_unknown`: a person who checked Seller Central says whether an unknown outcome's
  money moved; only then may the order be refunded automatically again (when it did not).
- `moved_no_money_for_good` / `mark_budget_returned`: a failed refund nothing can send again
  (never batched, or its batch is closed, so no retry can reach it) may give its budget
  reservation back; once given, `retry` refuses it.
"""

from __future__ import annotations

from datetime import timedelta

from spconnector.refunds.model import BatchStatus, Refund, RefundState
from spconnector.refunds.ports import Clock, RefundLedger
from spconnector.refunds.submit import RefundNotFound, SubmitSettings


def expire_unsent(
    ledger: RefundLedger,
    clock: Clock,
    tenant: str,
    marketplace_id: str,
    settings: SubmitSettings | None = None,
) -> list[Refund]:
    """Approved refunds that no feed carried within the deadline: failed (nothing reached
    Amazon; the tenant was paused, or no feed could be sent), so a person takes over."""
    settings = settings or SubmitSettings()
    now = clock.now()
    expired: list[Refund] = []
    for refund in ledger.refunds_in_state(tenant, marketplace_id, RefundState.APPROVED):
        if refund.batch_id is not None or now - refund.updated_at <= settings.confirm_within:
            continue
        why = f"not sent to Amazon within {_hours(settings.confirm_within)}; no money moved"
        new = refund.advance(RefundState.FAILED, now, failure=why)
        if ledger.replace_refund(new, refund.version) is not None:  # else: sent meanwhile
            ledger.release_order(tenant, refund.amazon_order_id, refund.adjustment_id)
            expired.append(new)
    return expired


def _hours(span: timedelta) -> str:
    return f"{span.total_seconds() / 3600:g} hours"


def unreported(ledger: RefundLedger, tenant: str, marketplace_id: str) -> list[Refund]:
    """Refunds not confirmed (failed or unknown) that no person has been told about yet."""
    return [
        refund
        for state in (RefundState.FAILED, RefundState.UNKNOWN)
        for refund in ledger.refunds_in_state(tenant, marketplace_id, state)
        if refund.escalated_at is None
    ]


def mark_escalated(ledger: RefundLedger, clock: Clock, refund: Refund) -> None:
    """Record that a person was told; the state does not change (no transition)."""
    while True:
        current = ledger.get_refund(*refund.key)
        if current is None or current.escalated_at is not None:
            return
        now = clock.now()
        stored = ledger.replace_refund(
            current.model_copy(update={"escalated_at": now, "updated_at": now}), current.version
        )
        if stored is not None:
            return


class NotSettleable(ValueError):
    """The refund is not waiting for a person to say whether its money moved."""


def settle_unknown(
    ledger: RefundLedger, clock: Clock, key: tuple[str, str, str], *, paid: bool, by: str, note: str
) -> Refund:
    """A person says whether the money of an unknown outcome moved (they checked Seller
    Central). Paid: confirmed, the order stays claimed. Not paid: failed (never re-sent by
    itself), and the order may be refunded automatically again."""
    if not by.strip() or not note.strip():
        raise NotSettleable("say who settles it (--by) and what was checked (--note)")
    while True:
        refund = ledger.get_refund(*key)
        if refund is None:
            raise RefundNotFound(key)
        if refund.state is not RefundState.UNKNOWN:
            raise NotSettleable(
                f"refund {refund.adjustment_id} is {refund.state.value}, not unknown"
            )
        now = clock.now()
        if paid:
            new = refund.advance(
                RefundState.CONFIRMED, now, resolved_by=by, amazon_reason=f"settled: {note}"
            )
        else:
            new = refund.advance(
                RefundState.FAILED,
                now,
                resolved_by=by,
                failure=f"settled as not paid: {note}",
                escalated_at=refund.escalated_at or now,  # the person knows: nothing to tell
            )
        stored = ledger.replace_refund(new, refund.version)
        if stored is None:
            continue
        if not paid:
            ledger.release_order(refund.tenant, refund.amazon_order_id, refund.adjustment_id)
        return stored


def moved_no_money_for_good(ledger: RefundLedger, refund: Refund) -> bool:
    """Failed, and no retry can send it again: a retry moves only a member of a batch still
    being tracked, so a failed refund outside any batch, or in a closed one, stays failed."""
    current = ledger.get_refund(*refund.key)
    if current is None or current.state is not RefundState.FAILED:
        return False
    if current.batch_id is None:
        return True
    batch = ledger.get_batch(current.tenant, current.marketplace_id, current.batch_id)
    return batch is None or batch.status in (BatchStatus.DONE, BatchStatus.ABANDONED)


def mark_budget_returned(ledger: RefundLedger, clock: Clock, refund: Refund) -> None:
    """Record on the refund that its reservation was given back (no state change)."""
    while True:
        current = ledger.get_refund(*refund.key)
        if current is None or current.budget_returned_at is not None:
            return
        stored = ledger.replace_refund(
            current.model_copy(update={"budget_returned_at": clock.now()}), current.version
        )
        if stored is not None:
            return
