"""An audit entry: who did what to which case, and when (written by the console; read by its
case page and inbox). Pure data."""

import uuid

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    tenant: str
    case_id: str | None
    at: AwareDatetime
    by: str  # the person's identity (Cognito email/username, or the local login)
    action: str  # approve, deny, edit_reply, reassign, note, no_response_needed, review
    detail: dict[str, str] = Field(default_factory=dict)
    entry_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
