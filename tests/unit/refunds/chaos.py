"""A chaos harness for the refund act path (used by test_chaos and the DynamoDB variant).

One run: a seeded random world of orders and refund decisions; approval messages delivered
in random order, some twice; workers that crash (a BaseException, like a killed process)
before or after any port call or ledger write; concurrent workers on threads; an in-memory
Amazon with 5xx faults that may or may not have taken effect, cancelled and FATAL feeds,
retryable message errors and, now and then, another tool's adjustment feed. Then the faults
stop and the system is left to settle; the run returns what must hold.
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from spconnector.domain.enums import FulfillmentChannel, Mode
from spconnector.domain.money import Money
from spconnector.domain.tenant import Budgets
from spconnector.refunds.clock import ManualClock
from spconnector.refunds.ledger_memory import MemoryRefundLedger
from spconnector.refunds.model import (
    AdjustmentReason,
    RefundItem,
    RefundState,
    adjustment_id_for,
    merchant_adjustment_item_id,
)
from spconnector.refunds.ports import RefundLedger
from spconnector.refunds.submit import (
    RefundPorts,
    SubmitSettings,
    approve,
    propose,
    submit_pending,
    track,
)
from spconnector.sp.errors import SpApiError
from spconnector.sp.memory_feeds import FeedFaults, MemoryFeeds
from tests.unit.refunds.support import MARKET, SELLER, TENANT, order_id


class Crash(BaseException):
    """The process dies here: nothing after this line of the worker runs."""


class Chaos:
    def __init__(self, seed: int, probability: float) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.probability = probability
        self.crashes = 0

    def maybe(self) -> None:
        with self._lock:
            hit = self.probability > 0 and self._rng.random() < self.probability
            if hit:
                self.crashes += 1
        if hit:
            raise Crash()


class Crashing:
    """Wraps a port: every call may crash just before it, or just after it took effect."""

    def __init__(self, inner: Any, chaos: Chaos) -> None:
        self._inner = inner
        self._chaos = chaos

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self._chaos.maybe()
            out = attr(*args, **kwargs)
            self._chaos.maybe()
            return out

        return call


@dataclass
class Planned:
    n: int
    step: str
    amount: Decimal
    fulfillment: FulfillmentChannel
    code: str

    @property
    def key(self) -> tuple[str, str, str]:
        case = f"{TENANT}#order#{order_id(self.n)}"
        return (TENANT, order_id(self.n), adjustment_id_for(TENANT, case, self.step))


@dataclass
class RunOutcome:
    seed: int
    problems: list[str] = field(default_factory=list)
    crashes: int = 0
    resent: int = 0  # refunds sent in more than one feed (proven not applied first)
    states: dict[str, int] = field(default_factory=dict)


SETTINGS = SubmitSettings(lease_seconds=300, create_feed_timeout=60, max_attempts=3)


def run_once(
    seed: int,
    ledger_factory: Callable[[], RefundLedger] = MemoryRefundLedger,
    *,
    threads: bool = True,
) -> RunOutcome:
    rng = random.Random(seed)
    clock = ManualClock()
    outcome = RunOutcome(seed)

    # ---- the world
    orders: dict[str, dict[str, Decimal]] = {}
    plans: list[Planned] = []
    for n in range(1, rng.randint(2, 9)):
        code = f"{n:014d}"
        amount = Decimal(rng.randint(100, 5000)) / 100
        kind = rng.random()
        if kind < 0.05:
            pass  # unknown order: Amazon rejects it
        elif kind < 0.12:
            orders[order_id(n)] = {code: amount / 2 + 1}  # asks more than was charged
        else:
            orders[order_id(n)] = {code: Decimal(1000)}
        fulfillment = FulfillmentChannel.FBA if rng.random() < 0.12 else FulfillmentChannel.MFN
        plans.append(Planned(n, "decide-1", amount, fulfillment, code))
        if rng.random() < 0.2:
            plans.append(Planned(n, "decide-2", amount / 3, fulfillment, code))

    faults = FeedFaults(
        server_error=rng.choice([0.0, 0.05, 0.15]),
        cancelled=rng.choice([0.0, 0.0, 0.15]),
        fatal=rng.choice([0.0, 0.0, 0.0, 0.1]),
        retryable_message=rng.choice([0.0, 0.1]),
    )
    amazon = MemoryFeeds(
        clock=clock,
        orders=orders,
        processing_seconds=rng.choice([30.0, 90.0, 400.0]),
        dedupe=rng.random() < 0.5,  # off: a second send would move money twice
        faults=faults,
        seed=seed,
    )
    ledger = ledger_factory()
    chaos = Chaos(seed + 1, rng.choice([0.0, 0.03, 0.08]))
    crashing = RefundPorts(
        feeds=Crashing(amazon, chaos),
        ledger=Crashing(ledger, chaos),
        clock=clock,
        merchant_identifier=SELLER,
    )
    calm = RefundPorts(feeds=amazon, ledger=ledger, clock=clock, merchant_identifier=SELLER)
    budget = rng.choice([None, Money.of(60, "USD")])
    budgets = Budgets(daily_refunds=budget, autonomy_limit=rng.choice([None, Money.of(40, "USD")]))

    def deliver(ports: RefundPorts, plan: Planned) -> None:
        """One approval message: propose (idempotent) then approve, as the Act λ does."""
        refund = propose(
            ports.ledger,
            clock,
            tenant=TENANT,
            marketplace_id=MARKET,
            amazon_order_id=order_id(plan.n),
            case_id=f"{TENANT}#order#{order_id(plan.n)}",
            decision_step=plan.step,
            fulfillment=plan.fulfillment,
            items=[
                RefundItem(
                    amazon_order_item_code=plan.code,
                    principal=Money.of(plan.amount, "USD").rounded(),
                )
            ],
            reason=AdjustmentReason.GENERAL_ADJUSTMENT,
        )
        spent = Money.zero("USD")
        for other in ledger.refunds_in_state(TENANT, MARKET, RefundState.CONFIRMED):
            spent = spent + other.total
        approve(
            ports.ledger,
            clock,
            refund.key,
            mode=Mode.LIVE,
            budgets=budgets,
            spent_today=spent,
            spent_month=spent,
        )

    def guarded(work: Callable[[], object]) -> None:
        # the process died or the call failed; SQS or the scheduler runs it again
        with contextlib.suppress(Crash, SpApiError):
            work()

    # ---- phase 1: chaos
    inbox = list(plans) + [p for p in plans if rng.random() < 0.3]  # duplicate deliveries
    rng.shuffle(inbox)
    for _ in range(rng.randint(4, 12)):
        roll = rng.random()
        if roll < 0.35 and inbox:
            plan = inbox.pop()
            guarded(partial(deliver, crashing, plan))
        elif roll < 0.55:
            guarded(lambda: submit_pending(crashing, TENANT, MARKET, settings=SETTINGS))
        elif roll < 0.7:
            guarded(lambda: track(crashing, TENANT, MARKET, settings=SETTINGS))
        elif roll < 0.9 and threads:
            workers = [
                threading.Thread(
                    target=guarded,
                    args=(
                        (lambda: submit_pending(crashing, TENANT, MARKET, settings=SETTINGS))
                        if i % 2 == 0
                        else (lambda: track(crashing, TENANT, MARKET, settings=SETTINGS)),
                    ),
                )
                for i in range(rng.randint(2, 4))
            ]
            if inbox:
                plan = inbox.pop()
                workers.append(
                    threading.Thread(target=guarded, args=(partial(deliver, crashing, plan),))
                )
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
        elif roll < 0.93:
            amazon.external_feed(MARKET, b"<AmazonEnvelope/>")
        clock.advance(rng.choice([0, 5, 60, 130, 400]))

    # ---- phase 2: faults stop; every message is delivered until it succeeds; time passes
    chaos.probability = 0.0
    amazon.faults = FeedFaults()
    for plan in plans:
        deliver(calm, plan)  # SQS redelivers every message until one attempt succeeds
    for _ in range(40):
        clock.advance(SETTINGS.lease_seconds + 1)
        submit_pending(calm, TENANT, MARKET, settings=SETTINGS)
        clock.advance(500)
        track(calm, TENANT, MARKET, settings=SETTINGS)
        refunds = [ledger.get_refund(*p.key) for p in plans]
        if all(r is not None and r.state.is_terminal for r in refunds) and not ledger.open_batches(
            TENANT, MARKET
        ):
            break
    outcome.crashes = chaos.crashes

    # ---- what must hold
    for (order, merchant_id), count in amazon.applications.items():
        if count > 1:
            outcome.problems.append(f"{order} {merchant_id} applied {count} times")
    if ledger.open_batches(TENANT, MARKET):
        outcome.problems.append("a batch is still open after settling")
    seen: set[tuple[str, str, str]] = set()
    for plan in plans:
        if plan.key in seen:
            continue
        seen.add(plan.key)
        refund = ledger.get_refund(*plan.key)
        if refund is None:
            outcome.problems.append(f"{plan.key} was never recorded")
            continue
        outcome.states[refund.state] = outcome.states.get(refund.state, 0) + 1
        outcome.resent += refund.attempts > 1
        applied = amazon.applications[
            (refund.amazon_order_id, merchant_adjustment_item_id(refund.adjustment_id, 1))
        ]
        where = f"{refund.amazon_order_id}/{refund.adjustment_id}"
        if refund.state is RefundState.CONFIRMED:
            if applied != 1:
                outcome.problems.append(f"{where} confirmed but applied {applied} times")
        elif refund.state is RefundState.FAILED:
            if not refund.failure:
                outcome.problems.append(f"{where} failed without a reason")
            if applied:  # failed means no money moved: an applied one must be unknown
                outcome.problems.append(f"{where} failed, yet Amazon applied it")
        elif refund.state is RefundState.UNKNOWN:
            if not (refund.failure and refund.person_task):
                outcome.problems.append(f"{where} unknown but nobody is told what to check")
        elif refund.state is RefundState.NEEDS_PERSON:
            if not (refund.failure and refund.person_task):
                outcome.problems.append(f"{where} needs a person but has no instructions")
        else:
            outcome.problems.append(f"{where} stuck in {refund.state}")
        if refund.fulfillment is FulfillmentChannel.FBA and applied:
            outcome.problems.append(f"{where} is FBA but was sent in a feed")
    return outcome
