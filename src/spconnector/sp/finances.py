"""Finances API v0 `listFinancialEventsByOrderId`: has money already gone back to the buyer?

A mixin of `SpApi` on `SpTransport` (limiter, retries, error mapping). Every page is read
(`NextToken`; Amazon may answer empty pages with a token). Of the many event lists only the
three that mean the buyer got money back are kept: `RefundEventList` (a refund, whoever
issued it), `GuaranteeClaimEventList` (an A-to-z Guarantee claim Amazon granted) and
`ChargebackEventList`. Field names are Amazon's (financesV0.json).

Amazon warns that events of the last 48 hours may be missing and that deferred events appear
only once released: an empty answer is no proof that nothing was refunded, only that Amazon
shows nothing yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial

from pydantic import AwareDatetime

from spconnector.domain.money import Money
from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.errors import InvalidResponse
from spconnector.sp.transport import SpTransport, get_page, quote

LIST_BY_ORDER = "financesV0:listFinancialEventsByOrderId"
MAX_RESULTS_PER_PAGE = 100  # the model's maximum
# Far more than any one order's events: a token that never ends is Amazon's fault, not a
# reason to loop for the whole deadline.
MAX_PAGES = 50

# Amazon's list name → what we call it where a person reads it.
MONEY_BACK_LISTS = {
    "RefundEventList": "refund",
    "GuaranteeClaimEventList": "A-to-z guarantee claim",
    "ChargebackEventList": "chargeback",
}


class _Currency(m._Amazon):
    CurrencyCode: str | None = None
    CurrencyAmount: Decimal | None = None


class _Charge(m._Amazon):
    ChargeType: str | None = None
    ChargeAmount: _Currency | None = None


class _AdjustedItem(m._Amazon):
    OrderItemId: str | None = None
    ItemChargeAdjustmentList: tuple[_Charge, ...] | None = None


class _ShipmentEvent(m._Amazon):
    AmazonOrderId: str | None = None
    PostedDate: AwareDatetime | None = None
    OrderChargeAdjustmentList: tuple[_Charge, ...] | None = None
    ShipmentItemAdjustmentList: tuple[_AdjustedItem, ...] | None = None

    def charges(self) -> list[_Charge]:
        found = list(self.OrderChargeAdjustmentList or ())
        for item in self.ShipmentItemAdjustmentList or ():
            found.extend(item.ItemChargeAdjustmentList or ())
        return found


class _FinancialEvents(m._Amazon):
    RefundEventList: tuple[_ShipmentEvent, ...] | None = None
    GuaranteeClaimEventList: tuple[_ShipmentEvent, ...] | None = None
    ChargebackEventList: tuple[_ShipmentEvent, ...] | None = None


class _Payload(m._Amazon):
    NextToken: str | None = None
    FinancialEvents: _FinancialEvents | None = None


@dataclass(frozen=True, slots=True)
class MoneyBackEvent:
    """One refund, granted guarantee claim or chargeback Amazon lists for the order."""

    kind: str  # a value of MONEY_BACK_LISTS
    posted: datetime | None
    amount: Money | None  # what went back (positive); None when Amazon lists no usable charge

    def describe(self) -> str:
        when = f" posted {self.posted.date().isoformat()}" if self.posted else ""
        return f"{self.kind} of {self.amount or 'an amount not stated'}{when}"


def _money_back(kind: str, event: _ShipmentEvent) -> MoneyBackEvent:
    charges = [c.ChargeAmount for c in event.charges() if c.ChargeAmount is not None]
    currencies = {c.CurrencyCode for c in charges}
    amount: Money | None = None
    if charges and len(currencies) == 1 and None not in currencies:
        # adjustments are written negative (money taken back from the seller)
        total = -sum((c.CurrencyAmount or Decimal(0) for c in charges), Decimal(0))
        try:
            amount = Money(amount=total, currency=str(currencies.pop())) if total > 0 else None
        except ValueError:  # a currency code Money refuses: the event still counts
            amount = None
    return MoneyBackEvent(kind=kind, posted=event.PostedDate, amount=amount)


class FinancesCalls(SpTransport):
    """Mixed into SpApi, like every API family's calls."""

    def money_back_events(self, order_id: str) -> list[MoneyBackEvent]:
        """listFinancialEventsByOrderId, every page: the order's refunds, granted guarantee
        claims and chargebacks, in Amazon's order. Raises the transport's typed errors
        (Throttled and ServerError after the retries, AuthError on 403)."""
        path = f"/finances/v0/orders/{quote(order_id)}/financialEvents"
        first: dict[str, str] = {"MaxResultsPerPage": str(MAX_RESULTS_PER_PAGE)}
        params = first
        found: list[MoneyBackEvent] = []
        for _ in range(MAX_PAGES):
            # Not the library's get_financial_events_for_order: it would add MarketplaceId.
            response = self._send(
                lib.FinancesV0, LIST_BY_ORDER, partial(get_page, path=path, params=params)
            )
            page = self._parse(LIST_BY_ORDER, _Payload, response.payload)
            events = page.FinancialEvents or _FinancialEvents()
            for name, kind in MONEY_BACK_LISTS.items():
                found.extend(_money_back(kind, e) for e in getattr(events, name) or ())
            if not page.NextToken:
                return found
            params = {**first, "NextToken": page.NextToken}
        raise InvalidResponse(LIST_BY_ORDER, f"still a NextToken after {MAX_PAGES} pages")
