"""PollMailbox: the tenant's IMAP mailbox (Buyer Messages forwarded there) → ingest each mail.

The mailbox settings live in a Secrets Manager secret named by `tenant.imap_mailbox`
(JSON: host, port, username, password, mailbox, move_to). Checkpoints (UIDVALIDITY + last
UID) are kept per tenant in DynamoDB and never move backwards; a mail whose ingest fails is
not flagged and not passed by the checkpoint, so the next poll tries it again.

A mailbox that cannot be used — its secret missing, unreadable, not JSON or lacking a field,
or the server refusing the login — is a person's task, not a retry: the poll returns (no
SQS redelivery, no DLQ), logs the reason every time, and publishes one escalation per
`ALERT_EVERY` (a cursor in the checkpoints records when). Every poll still tries again, so
mail flows as soon as the secret is fixed. Reasons name the tenant and secret, never content.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from spconnector.domain import Tenant
from spconnector.intake.imap import Checkpoint, ImapSettings, LoginRefused, poll_mailbox
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.mailbox_secret import mailbox_secret
from spconnector.jobs.ports import Checkpoints, MailboxUnusable
from spconnector.jobs.services import Services
from spconnector.mailbox_fields import FieldWrong, port_in, require_text
from spconnector.observability import get_logger

log = get_logger(__name__)

ALERT_EVERY = timedelta(hours=24)
# A cursor: when a person was last told. Under "imap:" for PollMailbox's IAM LeadingKeys; "*"
# is a LIST wildcard that servers refuse in mailbox names, so no real mailbox's checkpoint
# ("imap:<mailbox>") can be this item.
_ALERTED = "imap:*unusable-alerted"


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
    """The tenant's IMAP settings; None without a mailbox. MailboxUnusable when its secret
    is missing, unreadable, not a JSON object, or lacks a field or has a wrong one."""
    if not tenant.imap_mailbox:
        return None
    data = mailbox_secret(services.secrets, tenant, tenant.imap_mailbox, "IMAP")
    unusable = f"the IMAP secret of tenant {tenant.tenant_id} ({tenant.imap_mailbox}) is unusable"
    try:
        require_text(data, ("host", "username", "password"), ("mailbox", "move_to", "cafile"))
        port = port_in(data, 993)
    except FieldWrong as e:
        raise MailboxUnusable(f"{unusable}: {e}") from None
    optional = {k: data.get(k) for k in ("mailbox", "move_to", "cafile")}
    return ImapSettings(
        host=data["host"],
        username=data["username"],
        password=data["password"],
        tenant=tenant.tenant_id,
        port=port,
        mailbox=optional["mailbox"] or "INBOX",
        move_to=optional["move_to"],
        cafile=optional["cafile"],
    )


def _unusable(services: Services, tenant: Tenant, now: datetime, reason: str) -> dict[str, Any]:
    from spconnector.aws.escalations import EscalationSummary

    tid = tenant.tenant_id
    log.error("imap mailbox unusable", extra={"reason": reason})
    last = services.checkpoints.cursor(tid, _ALERTED)
    alerted = False
    if last is None or now - last >= ALERT_EVERY:
        # published before the cursor moves: a crash between the two tells a person twice,
        # never not at all
        services.escalations.publish(
            EscalationSummary(
                tenant=tid,
                case_id=f"mailbox-{tid}",
                amazon_order_id=None,
                action="mailbox_unusable",
                priority="high",
                respond_by=None,
                reasons=(f"mail is not being read: {reason}",),
            )
        )
        services.checkpoints.advance_cursor(tid, _ALERTED, now)
        alerted = True
    return {"skipped": f"mailbox unusable: {reason}", "person_told": alerted}


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    try:
        settings = settings_for(services, tenant)
    except MailboxUnusable as e:
        return _unusable(services, tenant, now, str(e))
    if settings is None:
        return {"skipped": "no IMAP mailbox configured (SES inbound only)"}
    outcomes: list[str] = []

    def sink(raw: bytes, uid: int) -> None:
        outcomes.append(ingest_email(services, tenant, raw, source=f"imap uid {uid}").status)

    try:
        result = poll_mailbox(settings, _Checkpoints(services.checkpoints), sink)
    except LoginRefused as e:
        who = f"the IMAP mailbox of tenant {tenant.tenant_id} ({tenant.imap_mailbox})"
        return _unusable(services, tenant, now, f"{who} is unusable: {e}")
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
