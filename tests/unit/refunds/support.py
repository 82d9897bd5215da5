"""Builders shared by the refund tests."""

from __future__ import annotations

from decimal import Decimal

from spconnector.domain.enums import FulfillmentChannel, Mode
from spconnector.domain.money import Money
from spconnector.domain.tenant import Budgets
from spconnector.refunds.clock import ManualClock
from spconnector.refunds.ledger_memory import MemoryRefundLedger
from spconnector.refunds.model import AdjustmentReason, Refund, RefundItem
from spconnector.refunds.ports import RefundLedger
from spconnector.refunds.submit import RefundPorts, approve, propose
from spconnector.sp.memory_feeds import MemoryFeeds

TENANT = "acme"
MARKET = "ATVPDKIKX0DER"
SELLER = "A1SELLER"


def order_id(n: int) -> str:
    return f"113-{n:07d}-{n * 7 % 10_000_000:07d}"


def item(code: str, principal: str, shipping: str = "0", tax: str = "0") -> RefundItem:
    return RefundItem(
        amazon_order_item_code=code,
        principal=Money.of(principal, "USD"),
        shipping=Money.of(shipping, "USD"),
        tax=Money.of(tax, "USD"),
    )


def world(
    orders: dict[str, dict[str, Decimal]] | None = None,
    ledger: RefundLedger | None = None,
    **feeds_kwargs: object,
) -> tuple[RefundPorts, MemoryFeeds, ManualClock]:
    clock = ManualClock()
    feeds = MemoryFeeds(clock=clock, orders=orders or {}, **feeds_kwargs)  # type: ignore[arg-type]
    ports = RefundPorts(
        feeds=feeds,
        ledger=ledger or MemoryRefundLedger(),
        clock=clock,
        merchant_identifier=SELLER,
    )
    return ports, feeds, clock


def proposed(
    ports: RefundPorts,
    n: int,
    *,
    step: str = "decide-1",
    amount: str = "10.00",
    fulfillment: FulfillmentChannel = FulfillmentChannel.MFN,
    code: str | None = None,
    shipping: str = "1.00",
    tax: str = "0.50",
) -> Refund:
    return propose(
        ports.ledger,
        ports.clock,
        tenant=TENANT,
        marketplace_id=MARKET,
        amazon_order_id=order_id(n),
        case_id=f"{TENANT}#order#{order_id(n)}",
        decision_step=step,
        fulfillment=fulfillment,
        items=[item(code or f"{n:014d}", amount, shipping, tax)],
        reason=AdjustmentReason.GENERAL_ADJUSTMENT,
    )


def orders(*ns: int, charged: str = "100") -> dict[str, dict[str, Decimal]]:
    """What the simulated Amazon charged: order n's one item at `charged`."""
    return {order_id(n): {f"{n:014d}": Decimal(charged)} for n in ns}


def approved(ports: RefundPorts, n: int, **kwargs: object) -> Refund:
    """Refund n proposed and approved in live mode with no budgets."""
    refund = proposed(ports, n, **kwargs)  # type: ignore[arg-type]
    zero = Money.zero("USD")
    return approve(
        ports.ledger,
        ports.clock,
        refund.key,
        mode=Mode.LIVE,
        budgets=Budgets(),
        spent_today=zero,
        spent_month=zero,
    )


def state(ports: RefundPorts, refund: Refund) -> Refund:
    """The refund as the ledger holds it now."""
    current = ports.ledger.get_refund(*refund.key)
    assert current is not None
    return current
