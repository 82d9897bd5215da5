"""In-memory `Tenants` and `Checkpoints` with the DynamoDB adapters' rules: a tenant is added
once, updates are validated by the Tenant model, policy versions are numbered and kept
forever (re-pushing the current one changes nothing), checkpoints only move forward."""

from __future__ import annotations

import builtins
import threading
from datetime import UTC, datetime
from typing import Any

from spconnector.aws.checkpoints import ImapCheckpoint
from spconnector.aws.errors import AlreadyExists, NotFound
from spconnector.aws.items import checked_tenant
from spconnector.aws.tenants import MAX_POLICY_BYTES, PolicyVersion, validated_policy_version
from spconnector.domain import Tenant
from spconnector.kb.loader import kb_version, load_kb
from spconnector.kb.store import KbVersion


class MemoryTenantRegistry:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._tenants: dict[str, Tenant] = {}
        self._policies: dict[str, builtins.list[PolicyVersion]] = {}

    def add(self, tenant: Tenant) -> Tenant:
        with self._lock:
            if checked_tenant(tenant.tenant_id) in self._tenants:
                raise AlreadyExists(f"tenant {tenant.tenant_id} already exists")
            self._tenants[tenant.tenant_id] = tenant
        return tenant

    def get(self, tenant_id: str) -> Tenant | None:
        with self._lock:
            return self._tenants.get(checked_tenant(tenant_id))

    def require(self, tenant_id: str) -> Tenant:
        tenant = self.get(tenant_id)
        if tenant is None:
            raise NotFound(f"no tenant {tenant_id}")
        return tenant

    def list(self) -> builtins.list[Tenant]:
        with self._lock:
            return [self._tenants[t] for t in sorted(self._tenants)]

    def update(self, tenant_id: str, /, **changes: Any) -> Tenant:
        if "tenant_id" in changes and changes["tenant_id"] != tenant_id:
            raise ValueError("a tenant id cannot be changed")
        with self._lock:
            current = self.require(tenant_id)
            updated = Tenant.model_validate({**current.model_dump(), **changes})
            self._tenants[tenant_id] = updated
            return updated

    def pause(self, tenant_id: str) -> Tenant:
        return self.update(tenant_id, paused=True)

    def resume(self, tenant_id: str) -> Tenant:
        return self.update(tenant_id, paused=False)

    def push_policy(
        self, tenant_id: str, policy_text: str, *, now: datetime | None = None
    ) -> PolicyVersion:
        self.require(tenant_id)
        if len(policy_text.encode()) > MAX_POLICY_BYTES:
            raise ValueError(f"policy larger than {MAX_POLICY_BYTES} bytes")
        version = validated_policy_version(policy_text)
        with self._lock:
            kept = self._policies.setdefault(tenant_id, [])
            latest = kept[-1] if kept else None
            if latest is not None and latest.version == version:
                self.update(tenant_id, policy_version=version)
                return latest
            record = PolicyVersion(
                seq=len(kept) + 1,
                version=version,
                pushed_at=now or datetime.now(UTC),
                text=policy_text,
            )
            kept.append(record)
            self.update(tenant_id, policy_version=version)
            return record

    def policy_history(self, tenant_id: str) -> builtins.list[PolicyVersion]:
        with self._lock:
            return list(self._policies.get(checked_tenant(tenant_id), []))

    def current_policy(self, tenant_id: str) -> PolicyVersion | None:
        history = self.policy_history(tenant_id)
        return history[-1] if history else None


class MemoryCheckpointStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._imap: dict[tuple[str, str], ImapCheckpoint] = {}
        self._cursors: dict[tuple[str, str], datetime] = {}

    @staticmethod
    def _key(tenant: str, source: str) -> tuple[str, str]:
        if not source:
            raise ValueError("checkpoint source is empty")
        return checked_tenant(tenant), source

    def imap(self, tenant: str, mailbox: str) -> ImapCheckpoint | None:
        with self._lock:
            return self._imap.get(self._key(tenant, f"imap:{mailbox}"))

    def advance_imap(self, tenant: str, mailbox: str, uidvalidity: int, last_uid: int) -> bool:
        key = self._key(tenant, f"imap:{mailbox}")
        with self._lock:
            current = self._imap.get(key)
            if current is not None and (
                current.uidvalidity != uidvalidity or current.last_uid >= last_uid
            ):
                return False
            self._imap[key] = ImapCheckpoint(uidvalidity, last_uid)
            return True

    def reset_imap(self, tenant: str, mailbox: str, uidvalidity: int) -> bool:
        key = self._key(tenant, f"imap:{mailbox}")
        with self._lock:
            current = self._imap.get(key)
            if current is not None and current.uidvalidity == uidvalidity:
                return False
            self._imap[key] = ImapCheckpoint(uidvalidity, 0)
            return True

    def cursor(self, tenant: str, source: str) -> datetime | None:
        with self._lock:
            return self._cursors.get(self._key(tenant, source))

    def advance_cursor(self, tenant: str, source: str, at: datetime) -> bool:
        if at.tzinfo is None:
            raise ValueError("cursor timestamp needs a timezone")
        key = self._key(tenant, source)
        with self._lock:
            current = self._cursors.get(key)
            if current is not None and current >= at:
                return False
            self._cursors[key] = at.astimezone(UTC)
            return True


class MemoryKbStore:
    """Knowledge-base versions as S3KbStore keeps them: validated, numbered, the text kept
    under its content version; pushing the current version again changes nothing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[str, builtins.list[KbVersion]] = {}
        self._texts: dict[str, str] = {}

    def push(self, tenant_id: str, text: str, *, now: datetime | None = None) -> KbVersion:
        version = kb_version(load_kb(text))
        key = f"tenants/{checked_tenant(tenant_id)}/kb/{version.removeprefix('sha256:')}.yaml"
        with self._lock:
            kept = self._versions.setdefault(tenant_id, [])
            if kept and kept[-1].version == version:
                return kept[-1]
            self._texts[key] = text
            record = KbVersion(
                seq=len(kept) + 1, version=version, pushed_at=now or datetime.now(UTC), key=key
            )
            kept.append(record)
            return record

    def current(self, tenant_id: str) -> KbVersion | None:
        history = self.history(tenant_id)
        return history[-1] if history else None

    def history(self, tenant_id: str) -> builtins.list[KbVersion]:
        with self._lock:
            return list(self._versions.get(checked_tenant(tenant_id), []))

    def text(self, version: KbVersion) -> str:
        with self._lock:
            return self._texts[version.key]
