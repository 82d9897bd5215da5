"""Propose and approve refunds: idempotent, with mode and budgets checked again at approval.

A redelivered decision finds its refund already recorded (a conditional create on the
refund's key); a redelivered approval finds it past `proposed` and changes nothing. A refund
the mode or a budget does not allow becomes a task for a person, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from spconnector.domain.enums import FulfillmentChannel, Mode
from spconnector.domain.money import CurrencyMismatch, Money
from spconnector.domain.tenant import Budgets
from spconnector.refunds.fba import feed_refusal, person_task_for
from spconnector.refunds.model import (
    AdjustmentReason,
    Refund,
    RefundItem,
    RefundState,
    adjustment_id_for,
)
from spconnector.refunds.ports import Clock, RefundLedger


class RefundNotFound(KeyError):
    pass


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
    reserved_at: datetime | None = None,
) -> Refund:
    """Approve a proposed refund after checking mode and budgets again, now.

    `reserved_at`: when the caller reserved the amount against the budgets; kept on the
    approved refund so a refund that later moves no money gives it back to that day/month.
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
            new = refund.advance(
                RefundState.APPROVED,
                now,
                approved_by=approved_by or "policy",
                reserved_at=reserved_at,
            )
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
