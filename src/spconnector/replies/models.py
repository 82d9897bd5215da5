"""What a reply is rendered from (ReplyContext) and what comes out (RenderedReply)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from spconnector.domain.money import Money
from spconnector.replies.findings import Finding

ReplyChannel = Literal["email", "messaging"]


class ReplyContext(BaseModel):
    """Facts about the order and the seller that a reply may mention.

    Buyer-provided strings (buyer_name, buyer_quote) are data: they are cleaned of control
    characters, links and contact details and handed to templates as variables, never as source.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str | None = None  # None → buyer_locale, then marketplace, then English
    buyer_locale: str | None = None  # Messaging API getAttributes buyer.locale ("de-DE")
    marketplace_id: str | None = None
    amazon_order_id: str | None = None
    buyer_name: str | None = None  # PII: used for the greeting only
    item_titles: tuple[str, ...] = ()
    buyer_quote: str | None = None  # the buyer's words, if a template quotes them
    seller_name: str | None = None  # the shop or brand
    signature_name: str | None = None  # the person signing
    care_notes: tuple[str, ...] = ()  # from the policy catalog or the knowledge base
    kb_answer: str | None = None  # a knowledge-base entry's own words (grounded answers)
    # When given, must agree with the decision's refund: the decision is what is promised.
    refund: Money | None = None
    replacement: str | None = None  # e.g. "in size M"
    reply_channel: ReplyChannel = "email"
    proactive: bool = False  # a Messaging API message the buyer did not ask for
    answer_within_hours: int = Field(default=24, ge=1, le=72)
    allowed_domains: tuple[str, ...] = ()  # links the order needs (e.g. a carrier's site)

    @field_validator("care_notes", mode="before")
    @classmethod
    def _split_care_notes(cls, value: object) -> object:
        """The policy catalog holds one string ("Rinse right after use; press …"): one tip
        per clause, each a sentence."""
        if isinstance(value, str):
            return tuple(_as_sentence(p) for p in re.split(r"[;\n]+", value) if p.strip())
        return value


def _as_sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?" else text + "."


class RenderedReply(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    body: str
    language: str
    template: str  # the resolved name, e.g. "decline.custom_item" or "decline"
    findings: list[Finding] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error-level finding: the reply may be sent."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]
