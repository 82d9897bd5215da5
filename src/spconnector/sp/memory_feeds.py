"""An in-memory Amazon Feeds API for order adjustments, behind the refunds FeedsPort: for
offline runs, tests and benches. (It lives in sp/ beside SpFeeds, the real adapter: both
depend on refunds' port, refunds on neither.)

The client side paces createFeed like SpFeeds does, through a limiter (`take_create_feed_token`,
the documented plan unless `client_plan` says otherwise). The Amazon side behaves like Amazon
where refunds are concerned: createFeed is rate limited by the documented plan (a 429 when the
client paces badly), a feed is processed some time after it is created, every OrderAdjustment
message is applied or rejected as a whole (unknown order or item, more refunded than charged,
and — when `dedupe` is on — a MerchantAdjustmentItemID seen before), and the result is a
processing report with one Result per rejected message. Faults can be switched on: a 5xx
that may come before or after the request took effect, feeds CANCELLED before processing,
FATAL feeds that applied an unknown part, and retryable per-message errors.

`applications` counts, per (order, MerchantAdjustmentItemID), how often money moved: the
number the exactly-once tests check.
"""

from __future__ import annotations

import random
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from spconnector.refunds.feed import FEED_TYPE, MessageResult, build_processing_report
from spconnector.refunds.ports import Clock, FeedStatus
from spconnector.sp.errors import ServerError, Throttled
from spconnector.sp.feeds import CREATE_FEED
from spconnector.sp.limiter import InProcessLimiter
from spconnector.sp.usage_plans import UsagePlan, plan_for

_SELLER = "memory"


@dataclass
class FeedFaults:
    server_error: float = 0.0  # per call; half of them after the call took effect
    cancelled: float = 0.0  # per feed
    fatal: float = 0.0  # per feed: some messages applied, no report
    retryable_message: float = 0.0  # per message: "internal error, resubmit", not applied


@dataclass
class _Feed:
    status: FeedStatus
    document_id: str
    processed_at: datetime


@dataclass
class MemoryFeeds:
    clock: Clock
    # order id → item code → amount charged (principal + shipping + tax) for the item
    orders: dict[str, dict[str, Decimal]]
    processing_seconds: float = 60.0
    dedupe: bool = True
    faults: FeedFaults = field(default_factory=FeedFaults)
    seed: int = 0
    enforce_rate: bool = True
    client_plan: UsagePlan | None = None  # the client's createFeed bucket; None: documented

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._rng = random.Random(self.seed)
        self._documents: dict[str, bytes | None] = {}
        self._results: dict[str, bytes] = {}
        self._feeds: dict[str, _Feed] = {}
        self._next = 1
        self._refunded: Counter[tuple[str, str]] = Counter()  # (order, item) → cents refunded
        self.applications: Counter[tuple[str, str]] = Counter()
        self.create_feed_calls = 0
        plan = plan_for(CREATE_FEED)
        self._pacer = InProcessLimiter(
            {CREATE_FEED: self.client_plan or plan}, clock=lambda: self.clock.now().timestamp()
        )
        self._token_held = False
        self._rate, self._burst = plan.rate, plan.burst
        self._tokens = float(plan.burst)
        self._tokens_at: datetime | None = None

    # ---- faults
    def _maybe_fail(self, operation: str, before: bool) -> None:
        if self.faults.server_error and self._rng.random() < self.faults.server_error / 2:
            where = "before" if before else "after"
            raise ServerError(operation, f"simulated 503 ({where} taking effect)", status=503)

    def _new_id(self, prefix: str) -> str:
        self._next += 1
        return f"{prefix}{self._next:08d}"

    # ---- FeedsPort
    def take_create_feed_token(self) -> float:
        with self._lock:
            if self._token_held:
                return 0.0
            wait = self._pacer.try_acquire(_SELLER, CREATE_FEED)
            self._token_held = wait == 0.0
            return wait

    def create_feed_document(self, content_type: str) -> tuple[str, str]:
        with self._lock:
            self._maybe_fail("createFeedDocument", True)
            document_id = self._new_id("amzn1.tortuga.doc.")
            self._documents[document_id] = None
            self._maybe_fail("createFeedDocument", False)
            return document_id, f"memory://upload/{document_id}"

    def upload_feed_document(self, url: str, data: bytes, content_type: str) -> None:
        with self._lock:
            self._maybe_fail("uploadFeedDocument", True)
            document_id = url.rsplit("/", 1)[-1]
            if document_id not in self._documents:
                raise ServerError("uploadFeedDocument", "unknown upload url", status=403)
            self._documents[document_id] = bytes(data)
            self._maybe_fail("uploadFeedDocument", False)

    def create_feed(self, feed_type: str, document_id: str, marketplace_ids: list[str]) -> str:
        with self._lock:
            self.create_feed_calls += 1
            self._token_held = False
            if self.enforce_rate and not self._take_token():
                raise Throttled("createFeed", "You exceeded your quota.", status=429)
            self._maybe_fail("createFeed", True)
            if self._documents.get(document_id) is None:
                raise ServerError("createFeed", "document not uploaded", status=400)
            now = self.clock.now()
            feed_id = self._new_id("5")
            self._feeds[feed_id] = _Feed(
                status=FeedStatus(
                    feed_id=feed_id,
                    feed_type=feed_type,
                    processing_status="IN_QUEUE",
                    created_time=now,
                    marketplace_ids=tuple(marketplace_ids),
                ),
                document_id=document_id,
                processed_at=now + timedelta(seconds=self.processing_seconds),
            )
            self._maybe_fail("createFeed", False)
            return feed_id

    def get_feed(self, feed_id: str) -> FeedStatus:
        with self._lock:
            self._maybe_fail("getFeed", True)
            self._process_due()
            return self._feeds[feed_id].status

    def get_feeds(
        self, feed_types: list[str], created_since: datetime, marketplace_ids: list[str]
    ) -> list[FeedStatus]:
        with self._lock:
            self._maybe_fail("getFeeds", True)
            self._process_due()
            return [
                f.status
                for f in self._feeds.values()
                if f.status.feed_type in feed_types
                and f.status.created_time >= created_since
                and set(marketplace_ids) & set(f.status.marketplace_ids)
            ]

    def get_feed_result_document(self, document_id: str) -> bytes:
        with self._lock:
            self._maybe_fail("getFeedDocument", True)
            return self._results[document_id]

    # ---- what tests look at
    def external_feed(self, marketplace_id: str, document: bytes) -> str:
        """Another tool of the seller posts an adjustment feed (not through us)."""
        with self._lock:
            document_id = self._new_id("amzn1.tortuga.doc.")
            self._documents[document_id] = document
            enforce, self.enforce_rate = self.enforce_rate, False
            faults, self.faults = self.faults, FeedFaults()
            held = self._token_held  # another tool's feed does not spend our token
            try:
                return MemoryFeeds.create_feed(self, FEED_TYPE, document_id, [marketplace_id])
            finally:
                self.enforce_rate, self.faults, self._token_held = enforce, faults, held

    def process_all(self) -> None:
        with self._lock:
            for feed in self._feeds.values():
                feed.processed_at = min(feed.processed_at, self.clock.now())
            self._process_due()

    # ---- internals
    def _take_token(self) -> bool:
        now = self.clock.now()
        if self._tokens_at is not None:
            elapsed = max(0.0, (now - self._tokens_at).total_seconds())
            self._tokens = min(float(self._burst), self._tokens + elapsed * self._rate)
        self._tokens_at = max(now, self._tokens_at or now)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def next_token_in(self) -> float:
        """Seconds until createFeed would be accepted again (for benches)."""
        with self._lock:
            now = self.clock.now()
            tokens = self._tokens
            if self._tokens_at is not None:
                elapsed = max(0.0, (now - self._tokens_at).total_seconds())
                tokens = min(float(self._burst), tokens + elapsed * self._rate)
            return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self._rate

    def _process_due(self) -> None:
        now = self.clock.now()
        for feed_id, feed in self._feeds.items():
            if feed.status.processing_status == "IN_QUEUE" and feed.processed_at <= now:
                self._process(feed_id, feed)

    def _process(self, feed_id: str, feed: _Feed) -> None:
        roll = self._rng.random()
        if roll < self.faults.cancelled:
            feed.status = _with(feed.status, "CANCELLED", None)
            return
        fatal = roll < self.faults.cancelled + self.faults.fatal
        root = ET.fromstring(self._documents[feed.document_id] or b"")  # noqa: S314 - our own XML
        messages = root.findall("Message")
        results: list[MessageResult] = []
        for message in messages:
            message_id = int(message.findtext("MessageID") or 0)
            if fatal and self._rng.random() < 0.5:
                continue  # FATAL: this one never got applied
            outcome = self._apply(message)
            if outcome is not None:
                code, text, order = outcome
                results.append(MessageResult(message_id, "Error", code, text, order))
        if fatal:
            feed.status = _with(feed.status, "FATAL", None)
            return
        result_id = self._new_id("amzn1.tortuga.result.")
        self._results[result_id] = build_processing_report(feed_id, len(messages), results)
        feed.status = _with(feed.status, "DONE", result_id)

    def _apply(self, message: ET.Element) -> tuple[str, str, str] | None:
        order = message.findtext("OrderAdjustment/AmazonOrderID") or ""
        if order not in self.orders:
            return "18028", f"The order id {order} was not found for this merchant.", order
        if self.faults.retryable_message and self._rng.random() < self.faults.retryable_message:
            return "8001", "An internal error occurred. Please resubmit the feed.", order
        planned: list[tuple[str, str, int]] = []
        for item in message.findall("OrderAdjustment/AdjustedItem"):
            code = item.findtext("AmazonOrderItemCode") or ""
            adjustment = item.findtext("MerchantAdjustmentItemID") or ""
            if code not in self.orders[order]:
                return "18029", f"Item {code} is not part of order {order}.", order
            if self.dedupe and self.applications[(order, adjustment)]:
                return "18031", f"Adjustment {adjustment} has already been applied.", order
            cents = sum(
                int(Decimal(a.text or "0") * 100)
                for a in item.findall("ItemPriceAdjustments/Component/Amount")
            )
            charged = int(self.orders[order][code] * 100)
            if self._refunded[(order, code)] + cents > charged:
                return "18030", "The refund exceeds the amount charged for the item.", order
            planned.append((code, adjustment, cents))
        for code, adjustment, cents in planned:  # a message is applied whole or not at all
            self._refunded[(order, code)] += cents
            self.applications[(order, adjustment)] += 1
        return None


def _with(status: FeedStatus, processing: str, result: str | None) -> FeedStatus:
    return FeedStatus(
        feed_id=status.feed_id,
        feed_type=status.feed_type,
        processing_status=processing,
        created_time=status.created_time,
        marketplace_ids=status.marketplace_ids,
        result_feed_document_id=result,
    )
