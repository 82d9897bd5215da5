"""Small hand-made ledger records for the impact tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from spconnector.domain.enums import Action, Intent
from spconnector.domain.money import Money
from spconnector.impact.ledger import ImpactRecord

T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)


def record(
    order: str,
    action: Action,
    *,
    intent: Intent | None = Intent.DEFECTIVE,
    rating: int | None = None,
    removed: bool = False,
    refund: str | None = None,
    kept: str | None = None,
    currency: str = "USD",
    seconds: float | None = 3600.0,
    met: bool | None = True,
    day: int = 0,
    version: str = "v1",
    tenant: str = "acme",
) -> ImpactRecord:
    decided = T0 + timedelta(days=day)
    return ImpactRecord(
        tenant=tenant,
        case_id=f"{tenant}#order#{order}",
        amazon_order_id=order,
        decided_at=decided,
        action=action,
        intent=intent,
        policy_version=version,
        refund=Money(amount=Decimal(refund), currency=currency) if refund else None,
        goods_kept=Money(amount=Decimal(kept), currency=currency) if kept else None,
        first_response_seconds=seconds,
        met_respond_by=met if seconds is not None else None,
        within_24h=None if seconds is None else seconds <= 86400,
        feedback_rating=rating,
        feedback_at=decided + timedelta(days=3) if rating else None,
        feedback_removed=removed,
    )
