"""What the refund use cases need from the outside: Amazon's Feeds API, a ledger, a clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from spconnector.domain.money import Money
from spconnector.refunds.model import Refund, RefundBatch, RefundState


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """Amazon's Feed object, the fields we use."""

    feed_id: str
    feed_type: str
    processing_status: str  # IN_QUEUE | IN_PROGRESS | DONE | CANCELLED | FATAL
    created_time: datetime
    marketplace_ids: tuple[str, ...] = ()
    result_feed_document_id: str | None = None


class FeedsPort(Protocol):
    """Feeds API 2021-06-30 for one seller (the adapter holds the credentials and limiter)."""

    def take_create_feed_token(self) -> float:
        """Take the token the next `create_feed` spends, without waiting: 0.0 if taken (or
        one is held already), else seconds until one is due (nothing taken). The bucket is
        the adapter's — for SP-API the client's limiter, shared by every Lambda per (seller,
        operation) — so createFeed is paced by one bucket only."""
        ...

    def create_feed_document(self, content_type: str) -> tuple[str, str]:
        """createFeedDocument → (feedDocumentId, upload url)."""
        ...

    def upload_feed_document(self, url: str, data: bytes, content_type: str) -> None: ...

    def create_feed(self, feed_type: str, document_id: str, marketplace_ids: list[str]) -> str:
        """createFeed → feedId. Any exception may or may not mean the feed was created."""
        ...

    def get_feed(self, feed_id: str) -> FeedStatus: ...

    def get_feeds(
        self, feed_types: list[str], created_since: datetime, marketplace_ids: list[str]
    ) -> list[FeedStatus]:
        """getFeeds, every page."""
        ...

    def get_feed_result_document(self, document_id: str) -> bytes:
        """getFeedDocument, then the download (decompressed)."""
        ...


@dataclass(frozen=True, slots=True)
class OrderClaim:
    """The one item per (tenant, order) that holds its automatic refund.

    `holder` is the adjustment id that took the order's one automatic refund (None when
    free); `external` notes refunds made elsewhere ("<source>: <amount>"): while any is noted,
    no automatic refund is ever made for the order.
    """

    amazon_order_id: str
    holder: str | None = None
    external: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.external:
            return "refunded elsewhere (" + "; ".join(self.external) + ")"
        return f"a refund ({self.holder})"


class Clock(Protocol):
    def now(self) -> datetime: ...


class RefundLedger(Protocol):
    """Durable refund and batch records with conditional writes.

    Every write that changes a record is a compare-and-set on its `version`: it succeeds only
    if the stored version equals `expected_version`, and stores version + 1.
    """

    def create_refund(self, refund: Refund) -> bool:
        """Store a new refund; False (and nothing written) if its key already exists."""
        ...

    def get_refund(
        self, tenant: str, amazon_order_id: str, adjustment_id: str
    ) -> Refund | None: ...

    def replace_refund(self, refund: Refund, expected_version: int) -> Refund | None:
        """Compare-and-set; the stored refund (version bumped) or None if the CAS lost."""
        ...

    def refunds_for_order(self, tenant: str, amazon_order_id: str) -> list[Refund]:
        """Every refund recorded for the order, in any state."""
        ...

    def refunds_in_state(
        self, tenant: str, marketplace_id: str, state: RefundState
    ) -> list[Refund]: ...

    def claim_order(
        self, tenant: str, amazon_order_id: str, adjustment_id: str
    ) -> OrderClaim | None:
        """Take the order's one automatic refund for `adjustment_id`: one conditional write on
        the order's claim item. None when taken (again, for the same id); otherwise the claim
        that stands in the way (nothing written)."""
        ...

    def release_order(self, tenant: str, amazon_order_id: str, adjustment_id: str) -> None:
        """Give the claim back, only if `adjustment_id` holds it: its refund moved no money."""
        ...

    def mark_external_refund(
        self, tenant: str, amazon_order_id: str, amount: Money | None, source: str
    ) -> None:
        """Note a refund made outside spconnector; the order never gets an automatic one."""
        ...

    def order_claim(self, tenant: str, amazon_order_id: str) -> OrderClaim | None: ...

    def create_batch(self, batch: RefundBatch) -> bool: ...

    def get_batch(self, tenant: str, marketplace_id: str, batch_id: str) -> RefundBatch | None: ...

    def replace_batch(self, batch: RefundBatch, expected_version: int) -> RefundBatch | None: ...

    def open_batches(self, tenant: str, marketplace_id: str) -> list[RefundBatch]:
        """Batches still SUBMITTING or SUBMITTED."""
        ...

    def record_feed(self, tenant: str, feed_id: str, batch_id: str) -> None:
        """Remember which batch a feed carries (written right after createFeed answers)."""
        ...

    def feed_owner(self, tenant: str, feed_id: str) -> str | None:
        """The batch id a feed of ours carries, or None for a feed we never recorded."""
        ...

    def acquire_lease(
        self, tenant: str, marketplace_id: str, owner: str, now: datetime, ttl_seconds: float
    ) -> bool:
        """Take (or renew, for the same owner) the submitter lease; False if another holds it."""
        ...

    def holds_lease(
        self, tenant: str, marketplace_id: str, owner: str, now: datetime, margin_seconds: float
    ) -> bool:
        """True if `owner` holds the lease for at least `margin_seconds` more."""
        ...

    def release_lease(self, tenant: str, marketplace_id: str, owner: str) -> None: ...


def members_of(ledger: RefundLedger, batch: RefundBatch) -> Sequence[Refund | None]:
    return [
        ledger.get_refund(batch.tenant, m.amazon_order_id, m.adjustment_id) for m in batch.members
    ]


@dataclass(frozen=True, slots=True)
class RefundPorts:
    feeds: FeedsPort
    ledger: RefundLedger
    clock: Clock
    merchant_identifier: str  # the seller id, MerchantIdentifier in the feed header
