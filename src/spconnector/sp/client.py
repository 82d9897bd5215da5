"""`SpApi`: typed SP-API calls for one tenant, over python-amazon-sp-api — the one facade.

Where each promise is kept:
- auth.py: LWA tokens cached per (token URL, app, refresh token) under a lock, one fetch each.
- transport.py: the httpx hooks (Host header, deadline-bound timeouts, every non-2xx raised,
  rate limits observed), typed errors without secrets, the limiter before each call, retries
  within the deadline (non-idempotent calls only when Amazon certainly did not act).
- orders.py, messaging.py, reports.py, feeds.py, notifications.py, pricing.py, finances.py:
  request bodies built exactly per Amazon's models — where a library method adds keys the
  model does not define (marketplaceIds in POST bodies, "path"), the client's `_request` is
  called with the exact body instead.
- mapping.py: Amazon's orders → domain Order / OrderItem.
"""

from __future__ import annotations

from typing import Any

from spconnector.sp import library as lib
from spconnector.sp.auth import LWA_OPERATION, LWA_URL, TOKENS
from spconnector.sp.credentials import LwaCredentials
from spconnector.sp.feeds import FeedsCalls
from spconnector.sp.finances import FinancesCalls
from spconnector.sp.messaging import MESSAGE_MAX_CHARS, MessagingCalls
from spconnector.sp.notifications import NotificationsCalls
from spconnector.sp.orders import ORDER_INCLUDED_DATA, OrdersCalls
from spconnector.sp.pricing import PricingCalls
from spconnector.sp.reports import ReportsCalls
from spconnector.sp.solicitations import SolicitationCalls
from spconnector.sp.transport import REGION_ENDPOINTS

__all__ = [
    "LWA_OPERATION",
    "LWA_URL",
    "MESSAGE_MAX_CHARS",
    "ORDER_INCLUDED_DATA",
    "REGION_ENDPOINTS",
    "TOKENS",
    "SpApi",
]


class SpApi(
    OrdersCalls,
    MessagingCalls,
    ReportsCalls,
    FeedsCalls,
    NotificationsCalls,
    PricingCalls,
    SolicitationCalls,
    FinancesCalls,
):
    """SP-API calls for one seller in one marketplace. Safe to share between threads."""

    @classmethod
    def for_tenant(
        cls,
        tenant: Any,
        credentials: LwaCredentials | Any,
        *,
        marketplace_id: str | None = None,
        **options: Any,
    ) -> SpApi:
        """From a domain Tenant (its seller id and first marketplace unless one is given)."""
        return cls(
            credentials,
            seller_id=tenant.seller_id,
            marketplace_id=marketplace_id or tenant.marketplace_ids[0],
            **options,
        )

    def __repr__(self) -> str:
        return (
            f"SpApi(seller_id={self.seller_id!r}, marketplace_id={self.marketplace_id!r}, "
            f"endpoint={self.endpoint!r})"
        )

    def verify_credentials(self) -> None:
        """Fetch an LWA access token (no SP-API call, no quota used); AuthError if refused."""

        def request() -> None:
            self._library(lib.Messaging).auth  # noqa: B018 — fetches (or reuses) the token

        self._call(LWA_OPERATION, request, limited=False)
