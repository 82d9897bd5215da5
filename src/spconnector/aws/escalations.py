"""EscalationPublisher: tell the owner (SNS) that a case needs a person.

The summary carries what is needed to find and judge the case — tenant, case id, order id,
action, priority, reasons — and never the buyer's name, relay alias or message; at most a
short excerpt with addresses, numbers and the name blotted out."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from spconnector.aws import clients
from spconnector.domain import Case, Decision

ESCALATION_TOPIC_ENV = "SPCONNECTOR_ESCALATION_TOPIC"
EXCERPT_CHARS = 140
REDACTED = "[…]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# Phone numbers, postcodes, card-like digits: any number-ish run with 5+ digits.
_NUMBERISH = re.compile(r"\+?\d[\d\s().\-/]{2,}\d")
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")


class EscalationSummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str
    case_id: str
    amazon_order_id: str | None
    action: str | None
    priority: str
    respond_by: datetime | None
    reasons: tuple[str, ...] = ()
    excerpt: str | None = None
    # A refund that is not confirmed, in our own words and numbers (state, amount, currency,
    # refund id, what the buyer was told): never buyer text, so kept whole, not redacted.
    refund: dict[str, str] | None = None

    def subject(self) -> str:
        order = self.amazon_order_id or "no order"
        return f"[spconnector] {self.priority} {self.action or 'review'}: {self.tenant} {order}"


def _redact_number(match: re.Match[str]) -> str:
    text = match.group(0)
    if _ORDER_ID.match(text) or sum(c.isdigit() for c in text) < 5:
        return text
    return REDACTED


def redact(text: str, *, names: Iterable[str | None] = ()) -> str:
    """A short excerpt with contact details, long numbers and the given names removed."""
    out = _EMAIL.sub(REDACTED, text)
    out = _URL.sub(REDACTED, out)
    out = _NUMBERISH.sub(_redact_number, out)
    for name in names:
        for part in (name or "").split():
            if len(part) >= 2:
                out = re.sub(rf"\b{re.escape(part)}\b", REDACTED, out, flags=re.IGNORECASE)
    out = " ".join(out.split())
    if len(out) > EXCERPT_CHARS:
        out = out[: EXCERPT_CHARS - 1].rstrip() + "…"
    return out


def summarize(
    case: Case,
    decision: Decision | None = None,
    *,
    reasons: Iterable[str] = (),
    body: str | None = None,
    buyer_name: str | None = None,
) -> EscalationSummary:
    """Build the summary. `body`/`buyer_name` are only used to make (and clean) the excerpt."""
    all_reasons = list(reasons)
    if decision is not None:
        all_reasons += [*decision.rules, *decision.guards]
    names = [buyer_name]
    return EscalationSummary(
        tenant=case.tenant,
        case_id=case.case_id,
        amazon_order_id=case.amazon_order_id,
        action=decision.action.value if decision is not None else None,
        priority=(decision.priority if decision is not None else case.priority).value,
        respond_by=case.respond_by,
        reasons=tuple(redact(r, names=names) for r in dict.fromkeys(all_reasons)),
        excerpt=redact(body, names=names) if body else None,
    )


class EscalationPublisher:
    def __init__(self, topic_arn: str | None = None, *, client: Any | None = None) -> None:
        self.topic_arn = topic_arn or os.environ.get(ESCALATION_TOPIC_ENV, "")
        if not self.topic_arn:
            raise ValueError(f"no escalation topic: set {ESCALATION_TOPIC_ENV}")
        self._client = client

    @property
    def _sns(self) -> Any:
        if self._client is None:
            self._client = clients.client("sns")
        return self._client

    def publish(self, summary: EscalationSummary) -> str:
        response = self._sns.publish(
            TopicArn=self.topic_arn,
            Subject=summary.subject()[:100],  # SNS subject limit
            Message=json.dumps(summary.model_dump(mode="json"), indent=2),
            MessageAttributes={
                "tenant": {"DataType": "String", "StringValue": summary.tenant},
                "priority": {"DataType": "String", "StringValue": summary.priority},
            },
        )
        message_id: str = response["MessageId"]
        return message_id
