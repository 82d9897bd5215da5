"""An in-memory `Cases` with the CaseStore's guarantees: tenant-prefixed case ids, a
compare-and-set on `version`, upsert re-merging until a write wins, messages and returns kept
once per Message-ID / RMA (a return replaced once, by a later listing saying Amazon paid),
decisions appended and numbered, PII expiry only ever earlier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from spconnector.aws.cases import MAX_ITEM_BYTES
from spconnector.aws.errors import AlreadyExists, ConcurrentUpdate, TenantMismatch
from spconnector.aws.items import checked_tenant
from spconnector.aws.retention import ttl_after_delivery, ttl_for
from spconnector.domain import BuyerMessage, Case, CaseStatus, Decision, ReturnRequest


@dataclass
class _Child:
    data: str
    expires_at: int | None
    settled_later: bool = False  # a return replaced by a later listing saying Amazon paid


def _checked(tenant: str, case_id: str) -> tuple[str, str]:
    checked_tenant(tenant)
    if not case_id.startswith(f"{tenant}#"):
        raise TenantMismatch("case id does not belong to this tenant")
    return tenant, case_id


def _sized(data: str) -> str:
    if len(data.encode()) > MAX_ITEM_BYTES:
        raise ValueError(f"record too large for the table ({len(data)} bytes)")
    return data


class MemoryCaseStore:
    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._lock = threading.RLock()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._cases: dict[tuple[str, str], Case] = {}
        self._messages: dict[tuple[str, str], dict[str, _Child]] = {}
        self._returns: dict[tuple[str, str], dict[str, _Child]] = {}
        self._decisions: dict[tuple[str, str], list[str]] = {}
        self._phrasings: dict[tuple[str, str], dict[str, _Child]] = {}

    # -- the case itself ------------------------------------------------------------------
    def get(self, tenant: str, case_id: str) -> Case | None:
        with self._lock:
            return self._cases.get(_checked(tenant, case_id))

    def create(self, case: Case) -> Case:
        key = _checked(case.tenant, case.case_id)
        stored = case.model_copy(update={"version": 1})
        with self._lock:
            if key in self._cases:
                raise AlreadyExists("case already exists")
            self._cases[key] = stored
        return stored

    def save(self, case: Case) -> Case:
        key = _checked(case.tenant, case.case_id)
        stored = case.model_copy(update={"version": case.version + 1})
        with self._lock:
            current = self._cases.get(key)
            if current is None or current.version != case.version:
                raise ConcurrentUpdate("case changed since it was read")
            self._cases[key] = stored
        return stored

    def upsert(
        self,
        tenant: str,
        case_id: str,
        change: Callable[[Case | None], Case],
        *,
        max_attempts: int = 8,
    ) -> Case:
        for _attempt in range(max_attempts):
            current = self.get(tenant, case_id)
            wanted = change(current)
            if wanted.tenant != tenant or wanted.case_id != case_id:
                raise TenantMismatch("merge returned a case of another tenant or id")
            if current is not None and wanted == current:
                return current
            try:
                if current is None:
                    return self.create(wanted)
                return self.save(wanted.model_copy(update={"version": current.version}))
            except (ConcurrentUpdate, AlreadyExists):
                continue
        raise ConcurrentUpdate(f"case still contended after {max_attempts} attempts")

    def list_cases(
        self, tenant: str, *, status: CaseStatus | None = None, due_before: datetime | None = None
    ) -> list[Case]:
        checked_tenant(tenant)
        with self._lock:
            found = [
                c
                for (t, _), c in self._cases.items()
                if t == tenant
                and (status is None or c.status is status)
                and (due_before is None or _second(c.respond_by) < _second(due_before))
            ]
        found.sort(key=lambda c: (c.respond_by, c.case_id))
        return found

    def awaiting_approval(self, tenant: str) -> list[Case]:
        return self.list_cases(tenant, status=CaseStatus.AWAITING_APPROVAL)

    # -- messages and returns ---------------------------------------------------------------
    def _put_once(
        self,
        children: dict[tuple[str, str], dict[str, _Child]],
        key: tuple[str, str],
        name: str,
        child: _Child,
    ) -> bool:
        with self._lock:
            kept = children.setdefault(key, {})
            if name in kept:
                return False
            kept[name] = child
            return True

    def add_message(
        self,
        tenant: str,
        case_id: str,
        message: BuyerMessage,
        *,
        anchor: datetime | None = None,
        now: datetime | None = None,
    ) -> bool:
        expires = ttl_for(anchor or message.received_at, now or self._clock())
        child = _Child(_sized(message.model_dump_json()), expires)
        return self._put_once(self._messages, _checked(tenant, case_id), message.message_id, child)

    def messages(self, tenant: str, case_id: str) -> list[BuyerMessage]:
        with self._lock:
            kept = list(self._messages.get(_checked(tenant, case_id), {}).values())
        found = [BuyerMessage.model_validate_json(c.data) for c in kept]
        return sorted(found, key=lambda m: (m.received_at, m.message_id))

    def add_return(
        self,
        tenant: str,
        case_id: str,
        ret: ReturnRequest,
        *,
        anchor: datetime | None = None,
        now: datetime | None = None,
    ) -> bool:
        moment = now or self._clock()
        expires = ttl_for(anchor or ret.request_date or moment, moment)
        child = _Child(_sized(ret.model_dump_json()), expires)
        return self._put_once(self._returns, _checked(tenant, case_id), ret.dedup_key, child)

    def settle_return(self, tenant: str, case_id: str, ret: ReturnRequest) -> bool:
        data = _sized(ret.model_dump_json())
        with self._lock:
            child = self._returns.get(_checked(tenant, case_id), {}).get(ret.dedup_key)
            if child is None:
                return False
            if child.settled_later:
                return True
            if not ret.settles(ReturnRequest.model_validate_json(child.data)):
                return False
            child.data, child.settled_later = data, True
            return True

    def returns(self, tenant: str, case_id: str) -> list[ReturnRequest]:
        with self._lock:
            kept = sorted(self._returns.get(_checked(tenant, case_id), {}).items())
        return [ReturnRequest.model_validate_json(c.data) for _, c in kept]

    def expires_at(self, tenant: str, case_id: str) -> list[int | None]:
        """When each kept message and return expires (what DynamoDB's TTL would act on)."""
        key = _checked(tenant, case_id)
        with self._lock:
            children = [*self._messages.get(key, {}).values(), *self._returns.get(key, {}).values()]
            return [c.expires_at for c in children]

    def expire_after_delivery(
        self, tenant: str, case_id: str, delivered_at: datetime, now: datetime | None = None
    ) -> int:
        expires = ttl_after_delivery(delivered_at, now or self._clock())
        key = _checked(tenant, case_id)
        moved = 0
        with self._lock:
            for children in (self._messages, self._returns, self._phrasings):
                for child in children.get(key, {}).values():
                    if child.expires_at is None or child.expires_at > expires:
                        child.expires_at = expires
                        moved += 1
        return moved

    def keep_phrasing(
        self, tenant: str, case_id: str, key: str, data: str, *, anchor: datetime
    ) -> bool:
        child = _Child(_sized(data), ttl_for(anchor, self._clock()))
        return self._put_once(self._phrasings, _checked(tenant, case_id), key, child)

    def kept_phrasing(self, tenant: str, case_id: str, key: str) -> str | None:
        with self._lock:
            child = self._phrasings.get(_checked(tenant, case_id), {}).get(key)
        return None if child is None else child.data

    # -- decisions ----------------------------------------------------------------------------
    def add_decision(self, tenant: str, case_id: str, decision: Decision) -> int:
        if decision.tenant not in (None, tenant):
            raise TenantMismatch("decision belongs to another tenant")
        data = _sized(decision.model_dump_json())
        with self._lock:
            kept = self._decisions.setdefault(_checked(tenant, case_id), [])
            kept.append(data)
            return len(kept)

    def decisions(self, tenant: str, case_id: str) -> list[Decision]:
        with self._lock:
            kept = list(self._decisions.get(_checked(tenant, case_id), []))
        return [Decision.model_validate_json(d) for d in kept]


def _second(moment: datetime) -> str:
    # the table orders deadlines by their UTC second (the GSI sort key)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
