"""A tenant: one seller account in one SP-API region, with its own policy, mode and budgets."""

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from spconnector.domain.enums import Mode
from spconnector.domain.money import Money

TENANT_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
# Mail whose recipient matches no tenant is quarantined under this name.
UNASSIGNED = "unassigned"
RESERVED_TENANT_IDS = frozenset({UNASSIGNED})
TenantId = Annotated[str, Field(pattern=TENANT_ID_PATTERN)]


class Budgets(BaseModel):
    # built at import: Tenant and TenantState nest it, and it is a default of both
    model_config = ConfigDict(frozen=True, extra="forbid")

    autonomy_limit: Money | None = None  # a single refund above this needs a person
    daily_refunds: Money | None = None
    monthly_refunds: Money | None = None


class Tenant(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    tenant_id: TenantId
    seller_id: str
    region: str = Field(pattern=r"^(na|eu|fe)$")
    marketplace_ids: tuple[str, ...] = Field(min_length=1)
    mode: Mode = Mode.SHADOW
    paused: bool = False
    policy_version: str | None = None
    budgets: Budgets = Budgets()
    # Secrets Manager secret name or ARN holding the LWA credentials — never the values.
    credentials_secret: str
    approved_sender: str | None = None  # the From address approved in Messaging Permissions
    ses_recipient: str | None = None
    imap_mailbox: str | None = None  # secret reference for IMAP settings
    # secret reference for SMTP settings: when set, replies leave through the seller's own
    # mailbox (spconnector.aws.smtp_mail) instead of SES
    smtp_mailbox: str | None = None
    alarm_contacts: tuple[str, ...] = ()
    feedback_follow_up: bool = True
    # True: without an answer from Amazon's Finances API (the app lacks the Finance role) no
    # automatic refund is made, a person decides; False: the check is skipped, and counted.
    finances_check_required: bool = False

    @field_validator("tenant_id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_TENANT_IDS:
            raise ValueError(f"{value!r} is reserved (used for mail that matches no tenant)")
        return value

    @field_validator(
        "seller_id", "credentials_secret", "approved_sender", "ses_recipient", "imap_mailbox",
        "smtp_mailbox", "alarm_contacts",
    )  # fmt: skip
    @classmethod
    def _printable(cls, value: str | tuple[str, ...] | None) -> str | tuple[str, ...] | None:
        # An address or a secret name holds no line break, control or lone surrogate (the
        # bytes of a mistyped, non-UTF-8 argument): one would reach mail headers and the
        # terminal, where a lone surrogate cannot even be printed.
        for text in (value,) if isinstance(value, str) else value or ():
            if not text.isprintable():
                raise ValueError("must hold printable characters only (no controls)")
        return value

    @field_validator("credentials_secret")
    @classmethod
    def _reference_not_value(cls, value: str) -> str:
        # A refresh token pasted here by mistake would end up in DynamoDB and in logs.
        if value.startswith("Atzr|") or re.match(r"^amzn1\.oa2-cs", value):
            raise ValueError("credentials_secret must name a secret, not contain a credential")
        return value
