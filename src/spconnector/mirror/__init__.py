"""Per-tenant order mirror: the order context of a case is there before the case arrives.

Guarantees:
- a mirrored order is what Amazon returned (getOrder or searchOrders), as of the time it was
  read; an entry read before the order's last ORDER_CHANGE notification is stale and is never
  served: the case calls getOrder, and the fresh answer replaces it;
- a decision that would move money is made on the order as getOrder returns it at that
  moment (`current_order`), never on a mirrored entry alone;
- an older read never overwrites a newer one (conditional on the time read);
- it holds the domain `Order` only (items, prices, dates, status, fulfilment channel: what
  decisions need; no buyer name, address or email), in the table encrypted at rest like all
  buyer data, expiring 30 days after delivery (30 days after the last read while undelivered);
- the incremental cursor (`lastUpdatedAfter`) only moves forward, to the upper bound Amazon
  reported for a search whose every page was stored.
The in-memory fake is spconnector.memory.order_mirror.MemoryOrderMirror.
"""

from spconnector.mirror.store import MirroredOrder, OrderMirror
from spconnector.mirror.sync import SyncResult, catch_up, current_order, order_context

__all__ = [
    "MirroredOrder",
    "OrderMirror",
    "SyncResult",
    "catch_up",
    "current_order",
    "order_context",
]
