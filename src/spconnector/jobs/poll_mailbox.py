"""PollMailbox: the tenant's IMAP mailbox (Buyer Messages forwarded there) → ingest each mail.

The mailbox settings live in a Secrets Manager secret named by `tenant.imap_mailbox`
(JSON: host, port, username, password, mailbox, move_to). Checkpoints (UIDVALIDITY + last
UID) are kept per tenant in DynamoDB and never move backwards; a mail whose ingest fails is
not flagged and not passed by the checkpoint, so the next poll tries it again.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from spconnector.domain import Tenant
from spconnector.intake.imap import Checkpoint, ImapSettings, poll_mailbox
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.ports import Checkpoints
from spconnector.jobs.services import Services
from spconnector.observability import get_logger

log = get_logger(__name__)


class _Checkpoints:
    """The intake poller's checkpoint port over the `Checkpoints` store."""

    def __init__(self, store: Checkpoints) -> None:
        self._store = store

    def load(self, tenant: str, mailbox: str) -> Checkpoint | None:
        found = self._store.imap(tenant, mailbox)
        return Checkpoint(found.uidvalidity, found.last_uid) if found else None

    def save(self, tenant: str, mailbox: str, checkpoint: Checkpoint) -> None:
        current = self._store.imap(tenant, mailbox)
        if current is not None and current.uidvalidity != checkpoint.uidvalidity:
            self._store.reset_imap(tenant, mailbox, checkpoint.uidvalidity)
        self._store.advance_imap(tenant, mailbox, checkpoint.uidvalidity, checkpoint.last_uid)


def settings_for(services: Services, tenant: Tenant) -> ImapSettings | None:
    if not tenant.imap_mailbox:
        return None
    data = json.loads(services.secrets.text(tenant.imap_mailbox))
    return ImapSettings(
        host=data["host"],
        username=data["username"],
        password=data["password"],
        tenant=tenant.tenant_id,
        port=int(data.get("port", 993)),
        mailbox=data.get("mailbox", "INBOX"),
        move_to=data.get("move_to"),
        cafile=data.get("cafile"),
    )


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    settings = settings_for(services, tenant)
    if settings is None:
        return {"skipped": "no IMAP mailbox configured (SES inbound only)"}
    outcomes: list[str] = []

    def sink(raw: bytes, uid: int) -> None:
        outcomes.append(ingest_email(services, tenant, raw, source=f"imap uid {uid}").status)

    result = poll_mailbox(settings, _Checkpoints(services.checkpoints), sink)
    for failed in result.failed:
        # left unflagged on the server and retried next poll; this line is what an operator
        # (and the log-based alarm) sees — the reason never carries mail content
        log.error("mail not ingested", extra={"uid": failed.uid, "reason": failed.reason[:300]})
    return {
        "delivered": len(result.delivered),
        "failed": [f"uid {f.uid}: {f.reason}" for f in result.failed],
        "outcomes": outcomes,
        "more_waiting": result.more_waiting,
    }
