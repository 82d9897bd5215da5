"""In-memory fakes of the jobs' own stores (outbox, spend, buyer history, approvals, pending
reports, impact, secrets, report pages), with the DynamoDB adapters' semantics: each
conditional write is checked and applied under one lock, as DynamoDB applies it atomically.
tests/unit/contracts runs the same contract over each fake and its DynamoDB adapter."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from spconnector.aws.buyer_history import WINDOW, buyer_key
from spconnector.domain import BuyerHistory, Money
from spconnector.domain.approval import ApprovalVerdict
from spconnector.impact.feedback import FeedbackSnapshot
from spconnector.impact.ledger import InMemoryLedgerStore
from spconnector.jobs.ports import Claim
from spconnector.secret_errors import SecretUnreadable


class MemoryOutbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[tuple[str, str, str], str] = {}
        self.receipts: dict[tuple[str, str, str], str] = {}

    @staticmethod
    def _key(tenant: str, case_id: str, key: str) -> tuple[str, str, str]:
        if not case_id.startswith(f"{tenant}#"):
            raise ValueError("case belongs to another tenant")
        return tenant, case_id, key

    def claim(self, tenant: str, case_id: str, key: str) -> Claim:
        marker = self._key(tenant, case_id, key)
        with self._lock:
            stored = self._states.get(marker)
            if stored is None:
                self._states[marker] = "sending"
                return "claimed"
        return "sent" if stored == "sent" else "unknown"

    def state(self, tenant: str, case_id: str, key: str) -> str | None:
        with self._lock:
            return self._states.get(self._key(tenant, case_id, key))

    def done(self, tenant: str, case_id: str, key: str, receipt: str) -> None:
        marker = self._key(tenant, case_id, key)
        with self._lock:
            self._states[marker] = "sent"
            self.receipts[marker] = receipt


def _period_keys(now: datetime) -> tuple[str, str]:
    return f"day#{now:%Y-%m-%d}", f"month#{now:%Y-%m}"


class MemorySpendCounters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spent: dict[tuple[str, str, str], Decimal] = {}
        self._given_back: set[tuple[str, str, str]] = set()
        self._held: dict[tuple[str, str, str], datetime] = {}  # token -> reserved_at

    def spent(self, tenant: str, currency: str, now: datetime) -> tuple[Decimal, Decimal]:
        with self._lock:
            day, month = (
                self._spent.get((tenant, currency, k), Decimal(0)) for k in _period_keys(now)
            )
        return day, month

    def add_within(
        self,
        tenant: str,
        currency: str,
        amount: Decimal,
        now: datetime,
        limits: tuple[Decimal | None, Decimal | None],
        token: str | None = None,
    ) -> bool:
        keys = [(tenant, currency, k) for k in _period_keys(now)]
        if any(limit is not None and amount > limit for limit in limits):
            return False
        with self._lock:
            if token is not None and (tenant, currency, token) in self._held:
                return True  # held since an earlier attempt: nothing added twice
            for key, limit in zip(keys, limits, strict=True):
                current = self._spent.get(key)
                # the DynamoDB condition: a counter never written accepts the first amount
                if limit is not None and current is not None and current > limit - amount:
                    return False
            for key in keys:
                self._spent[key] = self._spent.get(key, Decimal(0)) + amount
            if token is not None:
                self._held[(tenant, currency, token)] = now
        return True

    def held_since(self, tenant: str, currency: str, token: str) -> datetime | None:
        with self._lock:
            return self._held.get((tenant, currency, token))

    def subtract(
        self, tenant: str, currency: str, amount: Decimal, now: datetime, token: str | None = None
    ) -> None:
        with self._lock:
            if token is not None:
                held = self._held.pop((tenant, currency, token), None)
                if held is None:
                    return  # never held, or released before
                now = held
            for k in _period_keys(now):
                key = (tenant, currency, k)
                self._spent[key] = self._spent.get(key, Decimal(0)) - amount

    def give_back(
        self, tenant: str, currency: str, amount: Decimal, reserved_at: datetime, token: str
    ) -> bool:
        with self._lock:
            if (tenant, currency, token) in self._given_back:
                return False
            self._given_back.add((tenant, currency, token))
            for k in _period_keys(reserved_at):
                key = (tenant, currency, k)
                if key in self._spent:
                    self._spent[key] -= min(amount, max(self._spent[key], Decimal(0)))
        return True


class MemoryBuyerHistory:
    """Keyed by the same HMAC as the DynamoDB adapter; without a key nothing is kept."""

    def __init__(self, secret: bytes | None) -> None:
        self._lock = threading.Lock()
        self._secret = secret
        # buyer key -> record id ("order#…", "refund#…") -> (at, amount or None)
        self._records: defaultdict[str, dict[str, tuple[datetime, Money | None]]] = defaultdict(
            dict
        )

    def _buyer(self, tenant: str, alias: str) -> str:
        assert self._secret is not None
        return f"{tenant}#{buyer_key(self._secret, tenant, alias)}"

    def _put_once(
        self, tenant: str, alias: str, record: str, at: datetime, amount: Money | None
    ) -> None:
        if self._secret is None:
            return  # no key configured: nothing is kept about buyers
        with self._lock:
            self._records[self._buyer(tenant, alias)].setdefault(record, (at, amount))

    def record_order(self, tenant: str, alias: str, order_id: str, at: datetime) -> None:
        self._put_once(tenant, alias, f"order#{order_id}", at, None)

    def record_refund(
        self, tenant: str, alias: str, adjustment_id: str, amount: Money, at: datetime
    ) -> None:
        self._put_once(tenant, alias, f"refund#{adjustment_id}", at, amount)

    def history(self, tenant: str, alias: str, now: datetime, currency: str) -> BuyerHistory:
        if self._secret is None:
            return BuyerHistory()
        since = now - WINDOW
        with self._lock:
            records = list(self._records.get(self._buyer(tenant, alias), {}).items())
        orders = refunds = 0
        spent = Decimal(0)
        for record, (at, amount) in records:
            if at < since:
                continue
            if record.startswith("order#"):
                orders += 1
            else:
                refunds += 1
                if amount is not None and amount.currency == currency:
                    spent += amount.amount
        return BuyerHistory(
            orders_365d=orders,
            refunds_365d=refunds,
            refund_amount_365d=Money(amount=spent, currency=currency),
        )


class MemoryApprovalRecords:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._verdicts: dict[tuple[str, str, int], ApprovalVerdict] = {}

    def verdicts(self, tenant: str, case_id: str) -> list[ApprovalVerdict]:
        with self._lock:
            found = [v for (t, c, _), v in self._verdicts.items() if (t, c) == (tenant, case_id)]
        return sorted(found, key=lambda v: v.seq)

    def record(
        self,
        tenant: str,
        case_id: str,
        seq: int,
        verdict: str,
        *,
        by: str,
        reason: str | None,
        at: datetime,
    ) -> str | None:
        with self._lock:
            stored = self._verdicts.get((tenant, case_id, seq))
            if stored is None:
                self._verdicts[(tenant, case_id, seq)] = ApprovalVerdict(
                    seq, verdict, by, at, reason or None
                )
                return None
        return stored.verdict


class MemoryPendingReports:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, str], dict[str, str]] = {}

    def get(self, tenant: str, report_type: str) -> dict[str, str] | None:
        with self._lock:
            found = self._pending.get((tenant, report_type))
        return dict(found) if found is not None else None

    def put(self, tenant: str, report_type: str, data: dict[str, str]) -> None:
        with self._lock:
            self._pending[(tenant, report_type)] = dict(data)

    def clear(self, tenant: str, report_type: str) -> None:
        with self._lock:
            self._pending.pop((tenant, report_type), None)


class MemoryImpactStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.ledger = InMemoryLedgerStore()
        self._snapshots: dict[tuple[str, str], FeedbackSnapshot] = {}
        self._seen: dict[str, frozenset[str]] = {}

    def put_snapshot(self, snapshot: FeedbackSnapshot) -> None:
        with self._lock:
            self._snapshots[(snapshot.tenant, snapshot.taken_at.isoformat())] = snapshot

    def snapshots(self, tenant: str) -> list[FeedbackSnapshot]:
        with self._lock:
            return [s for (t, _), s in sorted(self._snapshots.items()) if t == tenant]

    def seen_feedback(self, tenant: str) -> frozenset[str]:
        with self._lock:
            return self._seen.get(tenant, frozenset())

    def mark_seen(self, tenant: str, keys: frozenset[str]) -> None:
        with self._lock:
            self._seen[tenant] = frozenset(keys)


class MemorySecrets:
    def __init__(self, secrets: dict[str, str] | None = None) -> None:
        self.secrets = dict(secrets or {})

    def text(self, secret_id: str) -> str:
        try:
            return self.secrets[secret_id]
        except KeyError:
            raise SecretUnreadable(f"no secret {secret_id}") from None


class MemoryReportPages:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, body: bytes, content_type: str) -> str:
        self.pages[key] = (body, content_type)
        return f"memory://{key}"
