"""The console's audit log: who did what to which case, and when. Written before a page
answers; never edited. Assignments, internal notes and reviews are audit entries too, so the
case page's trail and the inbox's assignee come from the same record.

`AuditLog` is the port; `MemoryAuditLog` the in-memory fake (tests, the bench);
`spconnector.aws.audit.DynamoAuditLog` the DynamoDB adapter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from spconnector.domain.audit import AuditEntry as AuditEntry


class AuditLog(Protocol):
    def record(self, entry: AuditEntry) -> None: ...

    def for_tenant(self, tenant: str, *, actions: Iterable[str] = ()) -> list[AuditEntry]:
        """Oldest first; only the named actions when any are given."""
        ...

    def for_case(self, tenant: str, case_id: str) -> list[AuditEntry]: ...


class MemoryAuditLog:
    def __init__(self) -> None:
        self._entries: list[AuditEntry] = []
        self._lock = threading.Lock()

    def record(self, entry: AuditEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def for_tenant(self, tenant: str, *, actions: Iterable[str] = ()) -> list[AuditEntry]:
        wanted = frozenset(actions)
        with self._lock:
            found = [
                e
                for e in self._entries
                if e.tenant == tenant and (not wanted or e.action in wanted)
            ]
        return sorted(found, key=lambda e: (e.at, e.entry_id))

    def for_case(self, tenant: str, case_id: str) -> list[AuditEntry]:
        return [e for e in self.for_tenant(tenant) if e.case_id == case_id]


def assignees(entries: Iterable[AuditEntry]) -> dict[str, str]:
    """case id → who it is assigned to now (the latest reassignment wins)."""
    found: dict[str, str] = {}
    for entry in entries:
        if entry.action == "reassign" and entry.case_id:
            found[entry.case_id] = entry.detail.get("to", "")
    return {case: who for case, who in found.items() if who}


def latest_at(entries: Iterable[AuditEntry]) -> datetime | None:
    return max((e.at for e in entries), default=None)
