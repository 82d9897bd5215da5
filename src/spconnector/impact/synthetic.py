"""Generated ledgers and snapshots for the demo, the benchmark and the report's tests.

Deterministic for a seed, and lazy: `synthetic_records` yields records one at a time.
Generous actions draw fewer negatives than the rest, as the seeds claim; the rates here are
assumptions for demonstration, not measurements.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from spconnector.domain.enums import Action, Intent
from spconnector.domain.money import Money
from spconnector.impact.feedback import FeedbackSnapshot
from spconnector.impact.ledger import ImpactRecord

# action -> (share of decisions, chance of 1-2 star feedback)
_ACTIONS: tuple[tuple[Action, float, float], ...] = (
    (Action.REFUND_WITHOUT_RETURN, 0.25, 0.010),
    (Action.REFUND_ON_RETURN, 0.15, 0.025),
    (Action.REPLACE, 0.10, 0.015),
    (Action.REQUEST_INFO, 0.15, 0.030),
    (Action.EDUCATE, 0.10, 0.035),
    (Action.DECLINE, 0.05, 0.080),
    (Action.ESCALATE_OWNER, 0.05, 0.050),
    (Action.ACKNOWLEDGE, 0.15, 0.020),
)
_INTENTS = tuple(Intent)


def synthetic_records(
    count: int,
    *,
    tenant: str = "demo-seller",
    seed: int = 7,
    start: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    days: int = 330,
    currency: str = "USD",
    policy_change_every_days: int = 120,
) -> Iterator[ImpactRecord]:
    rng = random.Random(seed)
    weights = [share for _, share, _ in _ACTIONS]
    step = timedelta(days=days) / max(count, 1)
    for index in range(count):
        action, _, negative_chance = rng.choices(_ACTIONS, weights)[0]
        decided_at = start + step * index
        version = f"v{1 + (decided_at - start).days // policy_change_every_days}"
        refund = goods = None
        if action.moves_money:
            price = Decimal(rng.randrange(800, 6000)) / 100
            refund = Money(amount=price, currency=currency)
            if action is Action.REFUND_WITHOUT_RETURN:
                goods = Money(
                    amount=(price * Decimal("0.35")).quantize(Decimal("0.01")), currency=currency
                )
        seconds = rng.expovariate(1 / 5400.0)
        rating = None
        feedback_at = None
        roll = rng.random()
        if roll < negative_chance:
            rating = rng.choice((1, 2))
        elif roll < negative_chance + 0.01:
            rating = 3
        elif roll < negative_chance + 0.15:
            rating = rng.choice((4, 5))
        if rating is not None:
            feedback_at = decided_at + timedelta(days=rng.randrange(1, 20))
        yield ImpactRecord(
            tenant=tenant,
            case_id=f"{tenant}#order#113-{index:07d}-{seed:07d}",
            amazon_order_id=f"113-{index:07d}-{seed:07d}",
            decided_at=decided_at,
            action=action,
            intent=rng.choice(_INTENTS),
            policy_version=version,
            refund=refund,
            goods_kept=goods,
            first_response_seconds=seconds,
            met_respond_by=seconds <= 12 * 3600,
            within_24h=seconds <= 24 * 3600,
            feedback_rating=rating,
            feedback_at=feedback_at,
            feedback_removed=rating is not None and rating <= 2 and rng.random() < 0.1,
        )


def synthetic_snapshots(
    *,
    tenant: str = "demo-seller",
    seed: int = 7,
    start: datetime = datetime(2026, 1, 1, 6, tzinfo=UTC),
    days: int = 330,
) -> Iterator[FeedbackSnapshot]:
    """One snapshot a day: a positive % drifting up as generosity takes hold."""
    rng = random.Random(seed)
    pct = 94.0
    count = 1200
    for day in range(days):
        pct = min(99.5, max(85.0, pct + rng.uniform(-0.05, 0.08)))
        count += rng.randrange(0, 6)
        negatives_30 = rng.randrange(2, 12)
        yield FeedbackSnapshot(
            tenant=tenant,
            taken_at=start + timedelta(days=day),
            positive_pct=round(pct, 1),
            count=count,
            negatives_30d=negatives_30,
            negatives_90d=negatives_30 * 3,
            negatives_365d=negatives_30 * 12,
            negatives_lifetime=negatives_30 * 20,
            order_defect_rate=0.004,
            negative_feedback_count=negatives_30 * 2,
            negative_feedback_rate=0.03,
        )
