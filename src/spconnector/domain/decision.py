"""A Decision: what the policy says to do with a case, and why."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from spconnector.domain.enums import Action, Intent, Priority
from spconnector.domain.models import AwareDatetime, RefundSpec
from spconnector.domain.understanding import Want


class Decision(BaseModel):
    """The contract of `spconnector policy decide --json` (see the policy issue)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Action
    refund: RefundSpec | None
    ask_for_photos: bool
    reply_template: str | None
    priority: Priority
    respond_by: AwareDatetime | None
    needs_approval: bool
    rules: tuple[str, ...]
    guards: tuple[str, ...]
    explanation: str
    policy_version: str
    intent: Intent | None = None
    tenant: str | None = None
    case_id: str | None = None
    decided_at: AwareDatetime | None = None
    # How many inputs (messages + returns) the case had when decided: a redelivered event
    # for inputs already decided is recognised and not decided again.
    case_step: int | None = None
    # What the buyer asked for, and the understanding model (artifact version) that read it.
    wants: Want | None = None
    understanding_version: str | None = None
