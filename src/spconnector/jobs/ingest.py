"""Intake jobs: a raw buyer mail or a returns report becomes case records and case events.

Order of writes is chosen so nothing is lost on a crash: the raw mail is kept first, the
message record and case next, the case event last. A redelivered mail finds its message
already recorded and still publishes the event (ProcessCase is idempotent per message), so a
crash between "recorded" and "published" cannot strand a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr
from functools import partial
from typing import Any

from spconnector.domain import BuyerMessage, Case, MessageKind, ReturnRequest, Tenant, case_id_for
from spconnector.domain.case import check_received_at
from spconnector.intake.email import EmailParseError, parse_email
from spconnector.intake.mime import decode_header_value
from spconnector.jobs.services import Services
from spconnector.messages import CaseEvent, CaseEventKind
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


def ingest_s3_object(
    services: Services, bucket: str, key: str, *, recipients: Sequence[str] = ()
) -> IngestOutcome:
    """IngestEmail Lambda: one object SES stored. Bad mail is quarantined, never raised.

    `recipients`: the envelope recipients of SES's receipt (an SES event's
    `receipt.recipients`), when the caller has them."""
    raw = services.raw_mail.read_inbound(bucket, key)
    tenant = tenant_for_mail(services, key, raw, recipients=recipients)
    if tenant is None:
        # No tenant to file it under: keep it in the global quarantine with the reason.
        reason = "no tenant's ses_recipient matches this mail's SES recipients"
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


def tenant_for_mail(
    services: Services, key: str, raw: bytes, *, recipients: Sequence[str] = ()
) -> Tenant | None:
    """The receiving rule (its inbound/<tenant>/ prefix), else the envelope recipients SES
    received the mail for — never To/Cc/Delivered-To/X-Original-To, which the sender writes."""
    match = _TENANT_PREFIX.match(key)
    if match:
        return services.tenants.get(match.group(1))
    wanted = {r.strip().lower() for r in recipients if r} or ses_envelope_recipients(raw)
    if not wanted:
        return None
    for tenant in services.tenants.list():
        if tenant.ses_recipient and tenant.ses_recipient.lower() in wanted:
            return tenant
    return None


def ses_envelope_recipients(raw: bytes) -> set[str]:
    """The recipient SES wrote in its own Received header, the topmost one ("… by
    inbound-smtp.<region>.amazonaws.com … for <rcpt>; <date>"). Headers below it are the
    sender's and are not read."""
    try:
        headers = BytesHeaderParser(policy=compat32).parsebytes(raw[:200_000], headersonly=True)
        received = headers.get_all("Received", []) or []
    except Exception:
        return set()
    if not received:
        return set()
    top = " ".join(decode_header_value(str(received[0])[:2_000]).split())
    by = top.lower().partition(" by ")[2]
    host = by.split()[0] if by.split() else ""
    if not host.endswith((".amazonaws.com", ".amazonses.com")):
        return set()
    after = by.partition(" for ")[2].partition(";")[0].strip()
    _name, addr = parseaddr(after)
    return {addr.lower()} if "@" in addr else set()


def ingest_email(
    services: Services, tenant: Tenant, raw: bytes, *, source: str = "email"
) -> IngestOutcome:
    now = services.now()
    tid = tenant.tenant_id
    with tenant_scope(tid):
        try:
            from spconnector.understanding.bedrock import classifier_for_tenant

            bedrock = classifier_for_tenant(tid, ledger=lambda: services.bedrock_spend)
            message = parse_email(raw, classifier=bedrock)
        except EmailParseError as exc:
            services.raw_mail.quarantine(tid, raw, reason=str(exc), source=source, received_at=now)
            log.warning("mail quarantined: %s", exc)
            return IngestOutcome(status="quarantined", tenant=tid, reason=str(exc))
        forged = not_authentic(message)
        if forged is not None:
            services.raw_mail.quarantine(tid, raw, reason=forged, source=source, received_at=now)
            log.warning("mail quarantined: %s", forged)
            return IngestOutcome(status="quarantined", tenant=tid, reason=forged)
        case_id = _case_id(services, tid, message)
        try:
            # A Date no real mail has (year 9999) is quarantined here, with its reason, before
            # anything is written — not raised later from the case upsert and retried forever.
            check_received_at(message.received_at)
            services.raw_mail.put_mail(
                tid, raw, message_id=message.message_id, received_at=message.received_at
            )
            # PII expires 30 days after we received it — not after the sender-written Date.
            added = services.cases.add_message(tid, case_id, message, anchor=now, now=now)
        except ValueError as exc:  # e.g. a message too large to record: kept, with the reason
            services.raw_mail.quarantine(tid, raw, reason=str(exc), source=source, received_at=now)
            log.warning("mail quarantined: %s", describe_error(exc))
            return IngestOutcome(status="quarantined", tenant=tid, reason=str(exc))
        services.cases.upsert(
            tid, case_id, lambda current: _with_message(tid, current, message, case_id)
        )
        if message.buyer_address and message.amazon_order_id:
            services.buyer_history.record_order(
                tid, message.buyer_address, message.amazon_order_id, message.received_at
            )
        services.case_events.publish_event(
            CaseEvent(
                tenant=tid,
                case_id=case_id,
                event=CaseEventKind.MESSAGE,
                message_id=message.message_id,
            )
        )
        log.info(
            "message ingested",
            extra={"case_id": case_id, "kind": message.kind, "intent": message.intent},
        )
        return IngestOutcome(
            status="ingested" if added else "duplicate", tenant=tid, case_id=case_id
        )


def not_authentic(message: BuyerMessage) -> str | None:
    """Why this mail may not be taken as it claims, or None. Mail claiming to be Amazon's (a
    relay From, an Amazon sender, Amazon's notification header) needs a passing verdict;
    any mail whose checks failed is refused. Other mail is kept as `other` and can never
    move money (the policy refunds only buyer messages)."""
    verdict = message.authenticity
    if verdict is None:
        return "no authentication verdict"
    claims_amazon = message.kind is not MessageKind.OTHER or bool(message.notification_type)
    if claims_amazon and verdict.verdict != "pass":
        return f"not authentic: claims to be Amazon's mail, but {verdict.reason}"
    if verdict.verdict == "fail" and not verdict.reason.startswith(_NOT_VOUCHED):
        return verdict.reason  # a check failed outright: refused whatever it claims
    return None


_NOT_VOUCHED = "sender authentication not vouched for"


def _case_id(services: Services, tenant: str, message: BuyerMessage) -> str:
    """The order's case; without an order, the case of the thread's first message when we
    have it (a reply to a pre-sale answer), else a case of its own."""
    if not message.amazon_order_id and message.thread and message.thread.root:
        root = case_id_for(tenant, None, message.thread.root)
        if services.cases.get(tenant, root) is not None:
            return root
    return case_id_for(tenant, message.amazon_order_id, message.message_id)


def _with_message(
    tenant: str, current: Case | None, message: BuyerMessage, case_id: str | None = None
) -> Case:
    if current is None:
        return Case.open_for_message(tenant, message, case_id=case_id)
    return current.attach_message(message)


@dataclass
class ReturnsIngestOutcome:
    ingested: int = 0
    duplicates: int = 0
    quarantined: int = 0
    settled: int = 0  # stored returns a later listing showed Amazon paid: decided again


def ingest_returns(
    services: Services, tenant: Tenant, returns: Iterable[ReturnRequest]
) -> ReturnsIngestOutcome:
    """Attach parsed return rows to their cases; the same RMA twice is one record.

    Amazon back-updates its returns reports: a return first listed "approved" may be listed
    again, in a later poll, closed with Amazon's refund (or a SafeT claim, an A-to-z flag, a
    returnless resolution: ReturnRequest.settled_by_amazon). Such a re-listing replaces the
    stored return (CaseStore.settle_return: only ever from "not settled" to "settled") and
    gives the case one more step, so ProcessCase decides it again and the policy's
    return_settled_by_amazon guard stops a refund of ours; Act re-reads the stored return
    before any refund too (jobs/refunding.py). When a refund of ours for the order has
    reached Amazon already (sent in a feed), the listing most likely shows that very refund:
    the return is still replaced, the case is not re-decided (a second refund is refused
    anyway, one per order). A refund of ours approved but not yet sent cannot be the one
    listed: the case is re-decided and a person told, and TrackFeeds does not send it
    (jobs/track_feeds.stop_paid_by_amazon).
    A re-listing that adds nothing, and a replay of one that did, write nothing: no event.
    A return stored by a run that died before writing its case is not a repeat: the next
    poll attaches it and publishes its event (a case that holds it already is a repeat)."""
    now = services.now()
    tid = tenant.tenant_id
    outcome = ReturnsIngestOutcome()
    with tenant_scope(tid):
        for ret in returns:
            case_id = case_id_for(tid, ret.amazon_order_id)
            added = services.cases.add_return(tid, case_id, ret, now=now)
            if not added:
                if _relisted_as_settled(services, tid, case_id, ret, now):
                    outcome.settled += 1
                    continue
                if _attached(services, tid, case_id, ret):
                    outcome.duplicates += 1
                    continue
                # stored by a run that died before its case: attach it now, or it is lost
            services.cases.upsert(tid, case_id, partial(_with_return, tid, ret=ret, now=now))
            services.case_events.publish_event(
                CaseEvent(
                    tenant=tid,
                    case_id=case_id,
                    event=CaseEventKind.RETURN,
                    return_key=ret.dedup_key,
                )
            )
            outcome.ingested += 1
    return outcome


def _attached(services: Services, tid: str, case_id: str, ret: ReturnRequest) -> bool:
    """The stored return is on its case (a plain repeat). False when a run stored the return
    and died before writing its case: the row then goes on as new, so nothing is lost."""
    current = services.cases.get(tid, case_id)
    return current is not None and ret.dedup_key in current.return_keys


def _relisted_as_settled(
    services: Services, tid: str, case_id: str, ret: ReturnRequest, now: datetime
) -> bool:
    """A stored return listed again: True when this listing newly says Amazon paid and the
    case got its step (and its event) for it. Idempotent: the store's replace and the case's
    step are each taken once, the event goes out with the step (a crash between the two
    leaves an open case with an undecided step, which SlaWatch re-drives)."""
    from spconnector.jobs.refunding import refund_of_ours_reached_amazon

    if not ret.settled_by_amazon or not services.cases.settle_return(tid, case_id, ret):
        return False
    if refund_of_ours_reached_amazon(services, tid, ret.amazon_order_id):
        return False
    current = services.cases.get(tid, case_id)
    if current is not None and ret.dedup_key in current.settled_return_keys:
        return False  # a replay: the step was taken by an earlier call
    services.cases.upsert(tid, case_id, partial(_with_settled_return, tid, ret=ret, now=now))
    services.case_events.publish_event(
        CaseEvent(tenant=tid, case_id=case_id, event=CaseEventKind.RETURN, return_key=ret.dedup_key)
    )
    log.info("return re-listed as settled by Amazon", extra={"case_id": case_id})
    return True


def _with_settled_return(
    tenant: str, current: Case | None, *, ret: ReturnRequest, now: datetime
) -> Case:
    # the case, even one a crash left unwritten after its return, then the later listing
    return _with_return(tenant, current, ret=ret, now=now).attach_settled_return(ret)


def _with_return(tenant: str, current: Case | None, *, ret: ReturnRequest, now: datetime) -> Case:
    if current is None:
        return Case.open_for_return(tenant, ret, now)
    return current.attach_return(ret, now)
