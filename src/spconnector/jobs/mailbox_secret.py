"""The one reader of a tenant's mailbox secrets (SMTP out, IMAP in): a secret a person must fix
is `MailboxUnusable`, naming the tenant, the secret and what is wrong, never its content."""

from __future__ import annotations

import json
from typing import Any

from spconnector.domain import Tenant
from spconnector.jobs.ports import MailboxUnusable, Secrets, SecretUnreadable


def mailbox_secret(secrets: Secrets, tenant: Tenant, secret_id: str, kind: str) -> dict[str, Any]:
    """The JSON object in the secret (`kind`: "SMTP" or "IMAP"). Missing, unreadable, not JSON
    or not an object: MailboxUnusable. A transient Secrets Manager error propagates."""
    unusable = f"the {kind} secret of tenant {tenant.tenant_id} ({secret_id}) is unusable"
    try:
        data = json.loads(secrets.text(secret_id))
    except SecretUnreadable:
        raise MailboxUnusable(f"{unusable}: it is missing or cannot be read") from None
    except (ValueError, RecursionError):  # JSONDecodeError quotes the text, so it is dropped
        raise MailboxUnusable(f"{unusable}: it is not JSON") from None
    if not isinstance(data, dict):
        raise MailboxUnusable(f"{unusable}: it is not a JSON object")
    return data
