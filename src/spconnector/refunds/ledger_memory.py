"""An in-process RefundLedger with the same conditional semantics as the DynamoDB one."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from spconnector.domain.money import Money
from spconnector.refunds.model import BatchStatus, Refund, RefundBatch, RefundState
from spconnector.refunds.ports import OrderClaim

_OPEN = (BatchStatus.SUBMITTING, BatchStatus.SUBMITTED)


@dataclass
class _Lease:
    owner: str
    until: datetime


class MemoryRefundLedger:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._refunds: dict[tuple[str, str, str], Refund] = {}
        self._batches: dict[tuple[str, str, str], RefundBatch] = {}
        self._leases: dict[tuple[str, str], _Lease] = {}
        self._feeds: dict[tuple[str, str], str] = {}
        self._claims: dict[tuple[str, str], OrderClaim] = {}

    # refunds
    def create_refund(self, refund: Refund) -> bool:
        with self._lock:
            if refund.key in self._refunds:
                return False
            self._refunds[refund.key] = refund.model_copy(update={"version": 0})
            return True

    def get_refund(self, tenant: str, amazon_order_id: str, adjustment_id: str) -> Refund | None:
        with self._lock:
            return self._refunds.get((tenant, amazon_order_id, adjustment_id))

    def replace_refund(self, refund: Refund, expected_version: int) -> Refund | None:
        with self._lock:
            current = self._refunds.get(refund.key)
            if current is None or current.version != expected_version:
                return None
            stored = refund.model_copy(update={"version": expected_version + 1})
            self._refunds[refund.key] = stored
            return stored

    def refunds_for_order(self, tenant: str, amazon_order_id: str) -> list[Refund]:
        with self._lock:
            return [
                r
                for r in self._refunds.values()
                if r.tenant == tenant and r.amazon_order_id == amazon_order_id
            ]

    def refunds_in_state(
        self, tenant: str, marketplace_id: str, state: RefundState
    ) -> list[Refund]:
        with self._lock:
            found = [
                r
                for r in self._refunds.values()
                if r.tenant == tenant and r.marketplace_id == marketplace_id and r.state is state
            ]
        return sorted(found, key=lambda r: (r.created_at, r.amazon_order_id, r.adjustment_id))

    # the one claim per order
    def claim_order(
        self, tenant: str, amazon_order_id: str, adjustment_id: str
    ) -> OrderClaim | None:
        with self._lock:
            claim = self._claims.get((tenant, amazon_order_id), OrderClaim(amazon_order_id))
            if claim.external or claim.holder not in (None, adjustment_id):
                return claim
            self._claims[(tenant, amazon_order_id)] = OrderClaim(
                amazon_order_id, adjustment_id, claim.external
            )
            return None

    def release_order(self, tenant: str, amazon_order_id: str, adjustment_id: str) -> None:
        with self._lock:
            claim = self._claims.get((tenant, amazon_order_id))
            if claim is not None and claim.holder == adjustment_id:
                self._claims[(tenant, amazon_order_id)] = OrderClaim(
                    amazon_order_id, None, claim.external
                )

    def mark_external_refund(
        self, tenant: str, amazon_order_id: str, amount: Money | None, source: str
    ) -> None:
        with self._lock:
            claim = self._claims.get((tenant, amazon_order_id), OrderClaim(amazon_order_id))
            self._claims[(tenant, amazon_order_id)] = OrderClaim(
                amazon_order_id,
                claim.holder,
                (*claim.external, f"{source}: {amount or 'amount not stated'}"),
            )

    def order_claim(self, tenant: str, amazon_order_id: str) -> OrderClaim | None:
        with self._lock:
            return self._claims.get((tenant, amazon_order_id))

    def all_refunds(self) -> list[Refund]:
        with self._lock:
            return list(self._refunds.values())

    # batches
    def create_batch(self, batch: RefundBatch) -> bool:
        key = (batch.tenant, batch.marketplace_id, batch.batch_id)
        with self._lock:
            if key in self._batches:
                return False
            self._batches[key] = batch.model_copy(update={"version": 0})
            return True

    def get_batch(self, tenant: str, marketplace_id: str, batch_id: str) -> RefundBatch | None:
        with self._lock:
            return self._batches.get((tenant, marketplace_id, batch_id))

    def replace_batch(self, batch: RefundBatch, expected_version: int) -> RefundBatch | None:
        key = (batch.tenant, batch.marketplace_id, batch.batch_id)
        with self._lock:
            current = self._batches.get(key)
            if current is None or current.version != expected_version:
                return None
            stored = batch.model_copy(update={"version": expected_version + 1})
            self._batches[key] = stored
            return stored

    def open_batches(self, tenant: str, marketplace_id: str) -> list[RefundBatch]:
        with self._lock:
            found = [
                b
                for (t, m, _), b in self._batches.items()
                if t == tenant and m == marketplace_id and b.status in _OPEN
            ]
        return sorted(found, key=lambda b: b.batch_id)

    def record_feed(self, tenant: str, feed_id: str, batch_id: str) -> None:
        with self._lock:
            self._feeds.setdefault((tenant, feed_id), batch_id)

    def feed_owner(self, tenant: str, feed_id: str) -> str | None:
        with self._lock:
            return self._feeds.get((tenant, feed_id))

    # lease
    def acquire_lease(
        self, tenant: str, marketplace_id: str, owner: str, now: datetime, ttl_seconds: float
    ) -> bool:
        with self._lock:
            lease = self._leases.get((tenant, marketplace_id))
            if lease is not None and lease.owner != owner and lease.until > now:
                return False
            self._leases[(tenant, marketplace_id)] = _Lease(
                owner, now + timedelta(seconds=ttl_seconds)
            )
            return True

    def holds_lease(
        self, tenant: str, marketplace_id: str, owner: str, now: datetime, margin_seconds: float
    ) -> bool:
        with self._lock:
            lease = self._leases.get((tenant, marketplace_id))
            return (
                lease is not None
                and lease.owner == owner
                and lease.until > now + timedelta(seconds=margin_seconds)
            )

    def release_lease(self, tenant: str, marketplace_id: str, owner: str) -> None:
        with self._lock:
            lease = self._leases.get((tenant, marketplace_id))
            if lease is not None and lease.owner == owner:
                del self._leases[(tenant, marketplace_id)]
