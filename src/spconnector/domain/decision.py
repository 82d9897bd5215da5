"""A Decision: what the policy says to do with a case, and why — or, for one of Amazon's
notices, what notice routing says (`notice` is set then, and only then)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spconnector.domain.enums import Action, Intent, MessageKind, Priority
from spconnector.domain.models import AwareDatetime, RefundSpec
from spconnector.domain.understanding import Want

# The rule notice routing records ("notice:refund_notice"); before `Decision.notice` existed it
# was the only mark of a notice decision, so stored decisions are still read by it.
NOTICE_RULE_PREFIX = "notice:"


class Decision(BaseModel):
    """The contract of `spconnector policy decide --json` (see the policy issue)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

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
    # The Amazon notice this decision routes (set by notice routing, never by the policy).
    # Left out of the JSON when None, so a policy decision's wire form is as it was.
    notice: MessageKind | None = Field(default=None, exclude_if=lambda kind: kind is None)

    @model_validator(mode="before")
    @classmethod
    def _notice_from_its_rule(cls, data: Any) -> Any:
        """A decision stored before `notice` existed is a notice decision by its first rule."""
        if isinstance(data, dict) and data.get("notice") is None:
            rules = data.get("rules") or ()
            first = rules[0] if rules else None
            if isinstance(first, str) and first.startswith(NOTICE_RULE_PREFIX):
                return {**data, "notice": first.removeprefix(NOTICE_RULE_PREFIX)}
        return data
