"""A tenant's knowledge base versions: the port (`KbStore`) and what it returns (`KbVersion`).

Versioned like policies: every push is kept, the newest is current, pushing the current
version again changes nothing. Only a valid knowledge base is stored. The S3 + DynamoDB adapter
is spconnector.aws.kb_store.S3KbStore; the in-memory fake spconnector.memory.registry.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict


class KbVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    version: str
    pushed_at: datetime
    key: str  # the S3 key of the text


class KbStore(Protocol):
    def push(self, tenant_id: str, text: str, *, now: datetime | None = None) -> KbVersion: ...
    def current(self, tenant_id: str) -> KbVersion | None: ...
    def text(self, version: KbVersion) -> str: ...
    def history(self, tenant_id: str) -> builtins.list[KbVersion]: ...
