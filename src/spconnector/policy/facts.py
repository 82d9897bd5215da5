"""The numbers and labels rules are judged on, computed once per case.

Plain Decimals and strings, no pydantic: this runs for every decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from spconnector.domain.enums import FulfillmentChannel, Intent, MessageKind
from spconnector.domain.marketplaces import BY_ID
from spconnector.domain.models import Order, OrderItem
from spconnector.domain.understanding import Signal, Want
from spconnector.policy.case import CaseInput, case_intent
from spconnector.policy.schema import Amounts, CatalogEntry, Policy

LIFETIME_FLAG = "lifetime_guarantee"
_SECONDS_PER_DAY = 86400


@dataclass(slots=True, frozen=True)
class Facts:
    intent: Intent
    kind: MessageKind | None
    reason_code: str | None
    has_order: bool
    has_message: bool
    has_return_request: bool
    in_policy: bool | None
    a_to_z_claim: bool
    currency: str  # the order's; the policy's when there is no order
    buyer_orders_365d: int
    buyer_refunds_365d: int
    buyer_refund_rate: Decimal | None
    text: str  # subject + body, lower case, for message_mentions
    wants: Want | None = None  # what the buyer asks for; None: not known
    signals: frozenset[Signal] = frozenset()
    # order facts: None (and flags empty) when the case has no order
    sku: str | None = None
    quantity: int = 0  # units the case is about
    unit_price: Decimal | None = None
    item_value: Decimal | None = None  # unit price × units the case is about
    order_value: Decimal | None = None  # the items of the order
    charged: Decimal | None = None  # items plus shipping: no refund may exceed it
    return_shipping_cost: Decimal | None = None
    cost_to_return_ratio: Decimal | None = None  # return shipping ÷ item value
    order_age_days: int | None = None  # whole days since delivery (or purchase)
    within_return_window: bool | None = None
    within_warranty: bool | None = None
    warranty_days: int | None = None  # None with an order: lifetime
    fulfillment_channel: FulfillmentChannel | None = None
    category: str | None = None
    flags: frozenset[str] = frozenset()
    marketplace_id: str | None = None
    country: str | None = None


def amount_in(amounts: Amounts | None, currency: str, policy_currency: str) -> Decimal | None:
    """The amount for `currency`, or None when the policy gives none in it."""
    if amounts is None:
        return None
    found = amounts.get(currency)
    if found is None and currency == policy_currency:
        found = amounts.get("")
    return found


def affected_item(order: Order, case: CaseInput) -> OrderItem:
    """The item the case is about: the returned SKU, else the most valuable line (a
    threshold on item value is then judged on the dearest thing the buyer could mean)."""
    items = order.items
    ret = case.return_request
    if ret is not None and ret.sku is not None:
        for item in items:
            if item.sku == ret.sku:
                return item
    best = items[0]
    for item in items[1:]:
        if item.unit_price.amount > best.unit_price.amount:
            best = item
    return best


def build_facts(policy: Policy, case: CaseInput) -> Facts:
    history = case.buyer_history
    rate = (
        Decimal(history.refunds_365d) / Decimal(history.orders_365d)
        if history.orders_365d > 0
        else None
    )
    message = case.message
    ret = case.return_request
    order = case.order
    intent = case_intent(case)
    kind = message.kind if message is not None else None
    reason = ret.reason_code if ret is not None else None
    in_policy = ret.in_policy if ret is not None else None
    a_to_z = ret.a_to_z_claim if ret is not None else False
    text = (message.subject + "\n" + message.body).lower() if message is not None else ""
    wants = message.wants if message is not None else None
    signals = message.signals if message is not None else frozenset()
    if order is None:
        return Facts(
            intent=intent,
            kind=kind,
            reason_code=reason,
            has_order=False,
            has_message=message is not None,
            has_return_request=ret is not None,
            in_policy=in_policy,
            a_to_z_claim=a_to_z,
            currency=policy.defaults.currency,
            buyer_orders_365d=history.orders_365d,
            buyer_refunds_365d=history.refunds_365d,
            buyer_refund_rate=rate,
            text=text,
            wants=wants,
            signals=signals,
        )
    item = affected_item(order, case)
    entry = policy.catalog.get(item.sku) or _EMPTY_ENTRY
    defaults = policy.defaults
    currency = item.unit_price.currency
    pcur = defaults.currency

    quantity = item.quantity if ret is None else min(ret.quantity, item.quantity)
    unit_price = item.unit_price.amount
    item_value = unit_price * quantity

    order_value = Decimal(0)
    for line in order.items:
        order_value += line.unit_price.amount * line.quantity
    charged = order_value
    if order.shipping_price is not None and order.shipping_price.currency == currency:
        charged += order.shipping_price.amount

    if item.return_shipping_cost is not None:
        ship: Decimal | None = (
            item.return_shipping_cost.amount
            if item.return_shipping_cost.currency == currency
            else None
        )
    else:
        ship = amount_in(entry.return_shipping_cost, currency, pcur)
        if ship is None:
            ship = amount_in(defaults.return_shipping_cost, currency, pcur)
    if ship is None:
        ratio: Decimal | None = None
    elif item_value > 0:
        ratio = ship / item_value
    else:
        ratio = Decimal("Infinity")

    since = order.delivered_at or order.purchase_date
    age = int((case.now - since).total_seconds() // _SECONDS_PER_DAY)
    age = max(age, 0)

    flags = frozenset(item.flags) if item.flags else frozenset(entry.flags)
    warranty: int | None
    if LIFETIME_FLAG in flags:
        warranty = None
    elif item.warranty_days is not None:
        warranty = item.warranty_days
    elif entry.warranty_days is not None:
        warranty = entry.warranty_days
    else:
        warranty = defaults.warranty_days

    market = BY_ID.get(order.marketplace_id)
    return Facts(
        intent=intent,
        kind=kind,
        reason_code=reason,
        has_order=True,
        has_message=message is not None,
        has_return_request=ret is not None,
        in_policy=in_policy,
        a_to_z_claim=a_to_z,
        currency=currency,
        buyer_orders_365d=history.orders_365d,
        buyer_refunds_365d=history.refunds_365d,
        buyer_refund_rate=rate,
        text=text,
        wants=wants,
        signals=signals,
        sku=item.sku,
        quantity=quantity,
        unit_price=unit_price,
        item_value=item_value,
        order_value=order_value,
        charged=charged,
        return_shipping_cost=ship,
        cost_to_return_ratio=ratio,
        order_age_days=age,
        within_return_window=age <= defaults.return_window_days,
        within_warranty=warranty is None or age <= warranty,
        warranty_days=warranty,
        fulfillment_channel=order.fulfillment_channel,
        category=item.category or entry.category or defaults.category,
        flags=flags,
        marketplace_id=order.marketplace_id,
        country=market.country if market is not None else None,
    )


_EMPTY_ENTRY = CatalogEntry()
