"""What the jobs need from storage, as ports: one Protocol per store.

Each port has a DynamoDB adapter under `spconnector.aws` and an in-memory fake under
`spconnector.memory` with the same contract (tests/unit/contracts runs one contract test per
port over both). Jobs reach stores only through `Services` and never import boto3.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from spconnector.domain import (
    BuyerHistory,
    BuyerMessage,
    Case,
    CaseStatus,
    Decision,
    Money,
    ReturnRequest,
    Tenant,
)
from spconnector.domain.approval import ApprovalVerdict
from spconnector.impact.feedback import FeedbackSnapshot
from spconnector.impact.ledger import LedgerStore
from spconnector.jobs.spend_counters import Limits as Limits
from spconnector.jobs.spend_counters import SpendCounters as SpendCounters
from spconnector.secret_errors import SecretUnreadable as SecretUnreadable

if TYPE_CHECKING:
    from spconnector.aws.checkpoints import ImapCheckpoint
    from spconnector.aws.escalations import EscalationSummary
    from spconnector.aws.mail import OutgoingMail
    from spconnector.aws.queues import OutboundMessage
    from spconnector.aws.tenants import PolicyVersion
    from spconnector.growth.events import GrowthEvent
    from spconnector.messages import CaseEvent

Claim = Literal["claimed", "sent", "unknown"]
ClaimState = Literal["sending", "sent", "refused", "unconfirmed"]


class Outbox(Protocol):
    """Markers for at-most-once side effects that cannot be taken back (a sent email).

    `claim` writes "sending" only if no marker exists (a conditional put) and answers
    "claimed"; a marker already there answers "sent" once `done` ran, else "unknown" (a run
    died between claim and done: a person decides, the effect is never repeated).
    A case id must belong to the tenant (ValueError otherwise).
    """

    def claim(self, tenant: str, case_id: str, key: str) -> Claim: ...

    def state(self, tenant: str, case_id: str, key: str) -> str | None:
        """ "sending", "sent", or None when nothing was ever claimed (read-only)."""
        ...

    def done(self, tenant: str, case_id: str, key: str, receipt: str) -> None: ...


class BuyerHistoryStore(Protocol):
    """Orders and refunds per buyer (keyed by an HMAC of the alias) for 365 days.

    Each order and refund is kept once (a second record of the same id changes nothing).
    Without a configured key nothing is kept and every buyer reads as new.
    """

    def record_order(self, tenant: str, alias: str, order_id: str, at: datetime) -> None: ...

    def record_refund(
        self, tenant: str, alias: str, adjustment_id: str, amount: Money, at: datetime
    ) -> None: ...

    def history(self, tenant: str, alias: str, now: datetime, currency: str) -> BuyerHistory: ...


class ApprovalRecords(Protocol):
    """A person's verdict on a case's decision, written once per (case, decision seq)."""

    def verdicts(self, tenant: str, case_id: str) -> list[ApprovalVerdict]: ...  # by seq

    def record(
        self,
        tenant: str,
        case_id: str,
        seq: int,
        verdict: str,
        *,
        by: str,
        reason: str | None,
        at: datetime,
    ) -> str | None:
        """Write the verdict unless one stands: None when written, else the one standing."""
        ...


class PendingReports(Protocol):
    """Reports requested but not yet finished, one entry per (tenant, report type)."""

    def get(self, tenant: str, report_type: str) -> dict[str, str] | None: ...

    def put(self, tenant: str, report_type: str, data: dict[str, str]) -> None: ...

    def clear(self, tenant: str, report_type: str) -> None: ...


class ImpactStore(Protocol):
    """The impact ledger, feedback snapshots and the feedback rows already seen."""

    @property
    def ledger(self) -> LedgerStore: ...

    def put_snapshot(self, snapshot: FeedbackSnapshot) -> None: ...

    def snapshots(self, tenant: str) -> list[FeedbackSnapshot]:
        """Every snapshot of the tenant, oldest first."""
        ...

    def seen_feedback(self, tenant: str) -> frozenset[str]: ...

    def mark_seen(self, tenant: str, keys: frozenset[str]) -> None:
        """Replace the set of seen keys."""
        ...


class GrowthStore(Protocol):
    """Feedback-growth records: review-request claims, growth events, and JSON documents by
    (tenant, kind, key) — A-to-z claims ("claims"), removal candidates ("removal", and the
    pending check, "removal-check"). Nothing here holds buyer PII.

    A review-request claim is the outbox pattern: "sending" with its `claimed_at` is written
    only if the order was never claimed, before Amazon is called; settled after. A claim reads
    as a dict of strings: "order_id", "state", "claimed_at", and once settled "settled_at" and
    "reason". Documents come back as JSON read them (values not JSON-native stored as text).
    """

    def claim_request(self, tenant: str, order_id: str, now: datetime) -> bool:
        """Write "sending" claimed at `now` only if the order has no claim at all: True when
        this run now holds it, False (nothing written) when any claim exists."""
        ...

    def request_claim(self, tenant: str, order_id: str) -> dict[str, str] | None:
        """The order's claim (a consistent read); None when never claimed or released."""
        ...

    def take_over(self, tenant: str, order_id: str, seen_claimed_at: str, now: datetime) -> bool:
        """Take a stale "sending" claim: a compare-and-set of `claimed_at` from the value read
        to `now`. False (nothing written) when the claim moved since, or is no longer
        "sending", so of runs racing for one dead claim exactly one wins."""
        ...

    def settle_request(
        self, tenant: str, order_id: str, state: ClaimState, at: datetime, reason: str = ""
    ) -> None:
        """Set the claim's final state, `settled_at` and `reason` (cut to 200 characters)."""
        ...

    def release_request(self, tenant: str, order_id: str, claimed_at: str) -> None:
        """Amazon certainly did not act (throttled, not connected): delete the claim so a
        later run may try, only if it is still "sending" with our `claimed_at` (else no-op)."""
        ...

    def request_claims(self, tenant: str) -> builtins.list[dict[str, str]]:
        """Every claim of the tenant."""
        ...

    def record(self, event: GrowthEvent) -> None:
        """Insert or replace: one event per (kind, order) (`event.key`)."""
        ...

    def events(self, tenant: str) -> builtins.list[GrowthEvent]: ...

    def put_doc(self, tenant: str, kind: str, key: str, data: dict[str, Any]) -> None:
        """Insert or replace the document."""
        ...

    def put_doc_once(self, tenant: str, kind: str, key: str, data: dict[str, Any]) -> bool:
        """Write only if no document has this key: False when one exists (left as it is)."""
        ...

    def get_doc(self, tenant: str, kind: str, key: str) -> dict[str, Any] | None: ...

    def delete_doc(self, tenant: str, kind: str, key: str) -> None:
        """Remove the document (a no-op when there is none)."""
        ...

    def docs(self, tenant: str, kind: str) -> builtins.list[dict[str, Any]]:
        """Every document of the kind, by key order."""
        ...


class MailboxUnusable(Exception):
    """The tenant's own mailbox cannot be used: its SMTP or IMAP secret is missing, unreadable
    or has wrong fields, or the IMAP server refuses its login. Retrying does not cure it, a
    person must. The message says which tenant and what is wrong, never the content."""


class Secrets(Protocol):
    def text(self, secret_id: str) -> str:
        """The secret's text (a JSON document for the IMAP settings). Raises SecretUnreadable
        when it is missing or we may not read it; any other error is transient."""
        ...


class ReportPages(Protocol):
    def put(self, key: str, body: bytes, content_type: str) -> str:
        """Store a page (encrypted at rest); returns where it went (an s3:// URI)."""
        ...


class Cases(Protocol):
    """Cases and, under each, its buyer messages, returns and numbered decisions.

    A case id must start with its tenant (TenantMismatch otherwise). `create` raises
    AlreadyExists for a case already there; `save` is a compare-and-set on `version` (raises
    ConcurrentUpdate when the stored version moved) and stores version + 1; `upsert` re-reads
    and re-applies its pure `change` until a write wins. Messages and returns are kept once
    per Message-ID / RMA (a return is replaced once, by a later listing that says Amazon paid:
    `settle_return`); decisions are appended, never overwritten.
    """

    def get(self, tenant: str, case_id: str) -> Case | None: ...

    def create(self, case: Case) -> Case: ...

    def save(self, case: Case) -> Case: ...

    def upsert(
        self,
        tenant: str,
        case_id: str,
        change: Callable[[Case | None], Case],
        *,
        max_attempts: int = 8,
    ) -> Case: ...

    def list_cases(
        self, tenant: str, *, status: CaseStatus | None = None, due_before: datetime | None = None
    ) -> list[Case]:
        """Soonest deadline first (then case id)."""
        ...

    def awaiting_approval(self, tenant: str) -> list[Case]: ...

    def add_message(
        self,
        tenant: str,
        case_id: str,
        message: BuyerMessage,
        *,
        anchor: datetime | None = None,
        now: datetime | None = None,
    ) -> bool: ...

    def messages(self, tenant: str, case_id: str) -> list[BuyerMessage]:
        """Oldest first."""
        ...

    def add_return(
        self,
        tenant: str,
        case_id: str,
        ret: ReturnRequest,
        *,
        anchor: datetime | None = None,
        now: datetime | None = None,
    ) -> bool: ...

    def settle_return(self, tenant: str, case_id: str, ret: ReturnRequest) -> bool:
        """Replace the stored return of `ret.dedup_key` when `ret` says Amazon paid and the
        stored one does not (only ever to "settled", never back). True when the stored return
        carries a later listing's settlement, now or from an earlier call."""
        ...

    def returns(self, tenant: str, case_id: str) -> list[ReturnRequest]: ...

    def expire_after_delivery(
        self, tenant: str, case_id: str, delivered_at: datetime, now: datetime | None = None
    ) -> int:
        """Bring the PII items' expiry forward to 30 days after delivery; how many moved."""
        ...

    def add_decision(self, tenant: str, case_id: str, decision: Decision) -> int: ...

    def decisions(self, tenant: str, case_id: str) -> list[Decision]: ...

    def keep_phrasing(
        self, tenant: str, case_id: str, key: str, data: str, *, anchor: datetime
    ) -> bool:
        """Keep a KB answer's Bedrock phrasing once per key (False: one is kept already), so
        the reply a person sees in the console is the one sent, and phrased once. It expires
        as the case's messages do."""
        ...

    def kept_phrasing(self, tenant: str, case_id: str, key: str) -> str | None: ...


class Tenants(Protocol):
    """The tenant registry and each tenant's policy versions (kept forever, numbered)."""

    def add(self, tenant: Tenant) -> Tenant: ...

    def get(self, tenant_id: str) -> Tenant | None: ...

    def require(self, tenant_id: str) -> Tenant: ...

    def list(self) -> builtins.list[Tenant]: ...

    def update(self, tenant_id: str, /, **changes: Any) -> Tenant: ...

    def pause(self, tenant_id: str) -> Tenant: ...

    def resume(self, tenant_id: str) -> Tenant: ...

    def push_policy(
        self, tenant_id: str, policy_text: str, *, now: datetime | None = None
    ) -> PolicyVersion: ...

    def policy_history(self, tenant_id: str) -> builtins.list[PolicyVersion]: ...

    def current_policy(self, tenant_id: str) -> PolicyVersion | None: ...


class Checkpoints(Protocol):
    """IMAP checkpoints and timestamp cursors; every advance is conditional (only forward)."""

    def imap(self, tenant: str, mailbox: str) -> ImapCheckpoint | None: ...

    def advance_imap(self, tenant: str, mailbox: str, uidvalidity: int, last_uid: int) -> bool: ...

    def reset_imap(self, tenant: str, mailbox: str, uidvalidity: int) -> bool: ...

    def cursor(self, tenant: str, source: str) -> datetime | None: ...

    def advance_cursor(self, tenant: str, source: str, at: datetime) -> bool: ...


class RawMail(Protocol):
    """Raw mail, attachments and quarantined input (with its reason), per tenant."""

    def put_mail(
        self, tenant: str, raw: bytes, *, message_id: str | None, received_at: datetime
    ) -> str: ...

    def put_attachment(
        self,
        tenant: str,
        *,
        message_id: str,
        index: int,
        data: bytes,
        content_type: str,
        received_at: datetime,
    ) -> str: ...

    def quarantine(
        self, tenant: str, raw: bytes, *, reason: str, source: str, received_at: datetime
    ) -> str: ...

    def quarantine_reason(self, tenant: str, key: str) -> str | None: ...

    def get(self, tenant: str, key: str) -> bytes: ...

    def read_inbound(self, bucket: str, key: str) -> bytes: ...


class MessageQueue(Protocol):
    def send(
        self,
        tenant: str,
        body: str | Mapping[str, Any],
        *,
        attributes: Mapping[str, str] | None = None,
        dedup_id: str | None = None,
    ) -> str: ...

    def send_batch(self, messages: Sequence[OutboundMessage]) -> list[str]: ...


class CaseEvents(MessageQueue, Protocol):
    def publish(self, tenant: str, case_id: str, event: str, **extra: Any) -> str: ...

    def publish_event(self, event: CaseEvent) -> str:
        """What jobs send: a typed case event, the body ProcessCase parses."""
        ...


class Escalations(Protocol):
    def publish(self, summary: EscalationSummary) -> str:
        """Hand the (redacted) summary to the people; returns the message id."""
        ...


class Mailer(Protocol):
    def send(self, mail: OutgoingMail) -> str:
        """Send; returns the provider's message id."""
        ...
