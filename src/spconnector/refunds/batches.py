"""Moves of a batch's members, each a compare-and-set on the refund record.

Guarantees: a member moves only while it is still in the state (and batch) the move expects;
a lost compare-and-set re-reads and decides again, so two workers applying one outcome move
each refund once. A refund is sent again (back to approved) only after its batch proved it
was not applied, and at most `max_attempts` times.
"""

from __future__ import annotations

from spconnector.refunds.fba import person_task_for
from spconnector.refunds.model import (
    BatchMember,
    BatchStatus,
    Refund,
    RefundBatch,
    RefundState,
)
from spconnector.refunds.ports import RefundPorts
from spconnector.refunds.settings import SubmitSettings


def claim(ports: RefundPorts, batch: RefundBatch) -> tuple[RefundBatch, list[Refund]]:
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


def batch_to_unknown(ports: RefundPorts, batch: RefundBatch, why: str) -> int:
    """Every member's outcome is unknown (a person checks); returns how many were moved."""
    batch, _ = claim(ports, batch)  # members still approved become part of the decision
    moved = 0
    for member in batch.members:
        moved += resolve(
            ports, batch, member.amazon_order_id, member.adjustment_id, RefundState.UNKNOWN, why
        )
    finish(ports, batch, note=why)
    return moved


def note_retries_used_up(
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


def resolve(
    ports: RefundPorts,
    batch: RefundBatch,
    amazon_order_id: str,
    adjustment_id: str,
    target: RefundState,
    reason: str | None,
    *,
    from_amazon: bool = True,
) -> bool:
    """Move a member still submitted in this batch; False if someone already did. The reason
    is Amazon's (`amazon_reason`) unless `from_amazon` is False (the batch never reached it)."""
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
            if from_amazon:
                changes["amazon_reason"] = reason
            changes["failure"] = reason
        else:
            changes["failure"] = reason
        if target is RefundState.UNKNOWN:
            changes["person_task"] = person_task_for(refund, reason or "unknown outcome")
        new = refund.advance(target, ports.clock.now(), **changes)
        if ledger.replace_refund(new, refund.version) is not None:
            return True


def retry(
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
        if refund.budget_returned_at is not None:
            return False  # its reservation was given back: sending it would pass the budget
        new = refund.advance(
            RefundState.APPROVED, ports.clock.now(), batch_id=None, message_id=None
        )
        if ledger.replace_refund(new, refund.version) is not None:
            return True


def fail_unsent(ports: RefundPorts, batch: RefundBatch, why: str) -> int:
    """Members of a batch that never reached Amazon (createFeed never called for it): failed,
    no money moved, each order's claim given back; the batch abandoned. Idempotent: a
    crash part way is finished by the next call. Returns how many were moved now."""
    ledger = ports.ledger
    moved = 0
    for member in batch.members:
        order, adjustment = member.amazon_order_id, member.adjustment_id
        if resolve(ports, batch, order, adjustment, RefundState.FAILED, why, from_amazon=False):
            moved += 1
        current = ledger.get_refund(batch.tenant, order, adjustment)
        if (
            current is not None
            and current.state is RefundState.FAILED
            and current.batch_id == batch.batch_id
        ):
            ledger.release_order(batch.tenant, order, adjustment)
    finish(ports, batch, note=why, status=BatchStatus.ABANDONED)
    return moved


def finish(
    ports: RefundPorts, batch: RefundBatch, note: str, status: BatchStatus = BatchStatus.DONE
) -> None:
    while True:
        current = ports.ledger.get_batch(batch.tenant, batch.marketplace_id, batch.batch_id)
        if current is None or current.status in (BatchStatus.DONE, BatchStatus.ABANDONED):
            return
        stored = ports.ledger.replace_batch(
            current.model_copy(
                update={
                    "status": status,
                    "finished_at": ports.clock.now(),
                    "note": note if current.note is None else f"{current.note}; {note}",
                }
            ),
            current.version,
        )
        if stored is not None:
            return
