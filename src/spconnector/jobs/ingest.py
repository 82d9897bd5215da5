"""Intake jobs: a raw buyer mail or a returns report becomes case records and case events.

Order of writes is chosen so nothing is lost on a crash: the raw mail is kept first, the
message record and case next, the case event last. A redelivered mail finds its message
already recorded and still publishes the event (ProcessCase is idempotent per message), so a
crash between "recorded" and "published" cannot strand a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import getaddresses
from functools import partial
from typing import Any

from spconnector.domain import BuyerMessage, Case, ReturnRequest, Tenant, case_id_for
from spconnector.intake.authenticity import authentication_problem
from spconnector.intake.email import EmailParseError, parse_email
from spconnector.jobs.buyer_history import BuyerHistoryStore
from spconnector.jobs.services import Services
from spconnector.observability import describe_error, get_logger, tenant_scope

log = get_logger(__name__)

# SES receipt rules may store each tenant's mail under inbound/<tenant>/...
_TENANT_PREFIX = re.compile(r"^inbound/([a-z0-9][a-z0-9-]{1,62})/")


@dataclass
class IngestOutcome:
    status: str  # ingested | duplicate | quarantined
    tenant: str | None
    case_id: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ingest_s3_object(services: Services, bucket: str, key: str) -> IngestOutcome:
    """IngestEmail Lambda: one object SES stored. Bad mail is quarantined, never raised."""
    raw = services.raw_mail.read_inbound(bucket, key)
    tenant = tenant_for_mail(services, key, raw)
    if tenant is None:
        # No tenant to file it under: keep it in the global quarantine with the reason.
        reason = "no tenant's ses_recipient matches this mail's recipients"
        services.raw_mail.quarantine(
            "unassigned",
            raw,
            reason=reason,
            source=f"s3://{bucket}/{key}",
            received_at=services.now(),
        )
        log.warning("mail quarantined: %s", reason)
        return IngestOutcome(status="quarantined", tenant=None, reason=reason)
    return ingest_email(services, tenant, raw, source=f"s3://{bucket}/{key}")


def tenant_for_mail(services: Services, key: str, raw: bytes) -> Tenant | None:
    match = _TENANT_PREFIX.match(key)
    if match:
        return services.tenants.get(match.group(1))
    try:
        headers = BytesHeaderParser(policy=default_policy).parsebytes(raw)
        fields = [
            str(v)
            for h in ("to", "cc", "delivered-to", "x-original-to")
            for v in headers.get_all(h, [])
        ]
    except Exception:
        return None
    recipients = {addr.lower() for _, addr in getaddresses(fields) if addr}
    for tenant in services.tenants.list():
        if tenant.ses_recipient and tenant.ses_recipient.lower() in recipients:
            return tenant
    return None


def ingest_email(
    services: Services, tenant: Tenant, raw: bytes, *, source: str = "email"
) -> IngestOutcome:
    now = services.now()
    tid = tenant.tenant_id
    with tenant_scope(tid):
        forged = authentication_problem(raw)
        if forged is not None:
            services.raw_mail.quarantine(tid, raw, reason=forged, source=source, received_at=now)
            log.warning("mail quarantined: %s", forged)
            return IngestOutcome(status="quarantined", tenant=tid, reason=forged)
        try:
            from spconnector.understanding.bedrock import classifier_for_tenant

            message = parse_email(raw, classifier=classifier_for_tenant(tid))
        except EmailParseError as exc:
            services.raw_mail.quarantine(tid, raw, reason=str(exc), source=source, received_at=now)
            log.warning("mail quarantined: %s", exc)
            return IngestOutcome(status="quarantined", tenant=tid, reason=str(exc))
        case_id = case_id_for(tid, message.amazon_order_id, message.message_id)
        try:
            services.raw_mail.put_mail(
                tid, raw, message_id=message.message_id, received_at=message.received_at
            )
            # PII expires 30 days after we received it — not after the sender-written Date.
            added = services.cases.add_message(tid, case_id, message, anchor=now, now=now)
        except ValueError as exc:  # e.g. a message too large to record: kept, with the reason
            services.raw_mail.quarantine(tid, raw, reason=str(exc), source=source, received_at=now)
            log.warning("mail quarantined: %s", describe_error(exc))
            return IngestOutcome(status="quarantined", tenant=tid, reason=str(exc))
        services.cases.upsert(tid, case_id, lambda current: _with_message(tid, current, message))
        if message.buyer_address and message.amazon_order_id:
            BuyerHistoryStore(services).record_order(
                tid, message.buyer_address, message.amazon_order_id, message.received_at
            )
        services.case_events.publish(tid, case_id, "message", message_id=message.message_id)
        log.info(
            "message ingested",
            extra={"case_id": case_id, "kind": message.kind, "intent": message.intent},
        )
        return IngestOutcome(
            status="ingested" if added else "duplicate", tenant=tid, case_id=case_id
        )


def _with_message(tenant: str, current: Case | None, message: BuyerMessage) -> Case:
    if current is None:
        return Case.open_for_message(tenant, message)
    return current.attach_message(message)


@dataclass
class ReturnsIngestOutcome:
    ingested: int = 0
    duplicates: int = 0
    quarantined: int = 0


def ingest_returns(
    services: Services, tenant: Tenant, returns: Iterable[ReturnRequest]
) -> ReturnsIngestOutcome:
    """Attach parsed return rows to their cases; the same RMA twice is one record."""
    now = services.now()
    tid = tenant.tenant_id
    outcome = ReturnsIngestOutcome()
    with tenant_scope(tid):
        for ret in returns:
            case_id = case_id_for(tid, ret.amazon_order_id)
            added = services.cases.add_return(tid, case_id, ret, now=now)
            if not added:
                outcome.duplicates += 1
                continue
            services.cases.upsert(tid, case_id, partial(_with_return, tid, ret=ret, now=now))
            services.case_events.publish(tid, case_id, "return", return_key=ret.dedup_key)
            outcome.ingested += 1
    return outcome


def _with_return(tenant: str, current: Case | None, *, ret: ReturnRequest, now: datetime) -> Case:
    if current is None:
        return Case.open_for_return(tenant, ret, now)
    return current.attach_return(ret, now)
