"""Which refunds the order-adjustment feed may carry, and what a person is asked to do instead.

Orders fulfilled by Amazon (AFN/FBA) are NOT sent through POST_PAYMENT_ADJUSTMENT_DATA here.
What we found (November 2026):
- Amazon lists the order feeds, the adjustment feeds among them, under the roles "Inventory
  and Order Tracking, Direct to Consumer Shipping" (developer-docs.amazon.com/sp-api/docs/
  order-feed-type-values); Direct-to-Consumer Shipping is the merchant-fulfilled role.
- Seller Central's refund help says its refund rules "apply to all MFN sellers"
  (help item 200198010), and Amazon's SP-API solutions architects answer refund questions
  for merchant-fulfilled orders with the adjustment feed (selling-partner-api-models#4185,
  #3959) — nothing documents it for FBA orders.
- For FBA, Amazon itself refunds the buyer when the return reaches its fulfilment centre,
  so a seller-side "refund on return" through a feed would pay twice.
Nothing documents that the feed is safe for FBA orders, so we never guess: the refund becomes
a task for a person with exact instructions (never a silent skip).
"""

from __future__ import annotations

from spconnector.domain.enums import FulfillmentChannel
from spconnector.refunds.model import Refund

FBA_NOT_SUPPORTED = (
    "order is fulfilled by Amazon (FBA): the order-adjustment feed is documented only for "
    "merchant-fulfilled orders, and Amazon refunds FBA returns itself"
)


def feed_refusal(fulfillment: FulfillmentChannel) -> str | None:
    """Why the adjustment feed must not carry a refund for this order, or None if it may."""
    if fulfillment is FulfillmentChannel.FBA:
        return FBA_NOT_SUPPORTED
    return None


def person_task_for(refund: Refund, why: str) -> str:
    """Step-by-step instructions to carry out (or check) the refund by hand. No buyer PII."""
    lines = [
        f"Refund needs a person: {why}.",
        f"Order {refund.amazon_order_id} (marketplace {refund.marketplace_id}), "
        f"our refund id {refund.adjustment_id}.",
        "1. First check the order's refund history in Seller Central (Orders > Manage Orders >"
        f" search {refund.amazon_order_id} > Order details). If a refund of this amount is"
        " already there, do not refund again.",
    ]
    if refund.fulfillment is FulfillmentChannel.FBA:
        lines.append(
            "2. FBA order: if the buyer returns the item, Amazon refunds on receipt — do nothing"
            " more. For a refund without return: Orders > Manage Orders > the order >"
            " Refund order."
        )
    else:
        lines.append("2. Otherwise: Orders > Manage Orders > the order > Refund order.")
    lines.append(f"3. Refund reason: {refund.reason.value}. Amounts per item:")
    for item in refund.items:
        parts = [f"principal {item.principal}"]
        if item.shipping is not None and not item.shipping.is_zero():
            parts.append(f"shipping {item.shipping}")
        if item.tax is not None and not item.tax.is_zero():
            parts.append(f"tax {item.tax}")
        lines.append(f"   - item {item.amazon_order_item_code}: " + ", ".join(parts))
    lines.append(f"   Total: {refund.total}.")
    lines.append(
        "4. Then record it, so spconnector never refunds the order again: spconnector refunds"
        f" mark-external {refund.tenant} {refund.amazon_order_id} <amount> {refund.currency}"
        " --source seller-central"
    )
    return "\n".join(lines)
