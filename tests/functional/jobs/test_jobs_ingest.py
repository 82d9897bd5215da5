"""IngestEmail: relay mail → message record, case and case event; bad mail quarantined."""

from __future__ import annotations

from spconnector.aws.clients import client
from spconnector.domain import CaseStatus, case_id_for
from spconnector.jobs.ingest import ingest_email, ingest_s3_object

from .conftest import JobsEnv, recent, relay_mail


def _quarantined(env: JobsEnv, tenant: str) -> dict[str, dict[str, str]]:
    """Quarantined objects under tenants/<tenant>/quarantine/ → their metadata."""
    s3 = client("s3")
    prefix = f"tenants/{tenant}/quarantine/"
    listed = s3.list_objects_v2(Bucket=env.env.bucket, Prefix=prefix).get("Contents", [])
    return {
        obj["Key"]: s3.head_object(Bucket=env.env.bucket, Key=obj["Key"])["Metadata"]
        for obj in listed
    }


def _put_inbound(env: JobsEnv, key: str, raw: bytes) -> None:
    client("s3").put_object(Bucket=env.env.bucket, Key=key, Body=raw)


def test_a_relay_mail_becomes_a_message_a_case_and_a_case_event(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    raw = relay_mail(
        order.order_id, "Where is my parcel? It has not arrived.", received_at=recent(jobs_env)
    )

    outcome = ingest_email(jobs_env.services, jobs_env.tenant, raw)

    assert outcome.status == "ingested" and outcome.tenant == jobs_env.tid
    case = jobs_env.services.cases.get(jobs_env.tid, outcome.case_id)
    assert case is not None and case.status is CaseStatus.OPEN
    assert case.amazon_order_id == order.order_id
    messages = jobs_env.services.cases.messages(jobs_env.tid, outcome.case_id)
    assert [m.amazon_order_id for m in messages] == [order.order_id]
    events = jobs_env.drain("case-events")
    assert [(e["tenant"], e["case_id"]) for e in events] == [(jobs_env.tid, outcome.case_id)]


def test_the_same_mail_twice_is_one_message_but_the_event_is_published_again(
    jobs_env: JobsEnv,
) -> None:
    order = jobs_env.order(channel="MFN")
    raw = relay_mail(order.order_id, "The lid is cracked.", received_at=recent(jobs_env))

    first = ingest_email(jobs_env.services, jobs_env.tenant, raw)
    second = ingest_email(jobs_env.services, jobs_env.tenant, raw)

    assert (first.status, second.status) == ("ingested", "duplicate")
    assert first.case_id == second.case_id
    assert len(jobs_env.services.cases.messages(jobs_env.tid, first.case_id)) == 1
    case = jobs_env.services.cases.get(jobs_env.tid, first.case_id)
    assert case is not None and len(case.message_ids) == 1
    # A crash between "recorded" and "published" must not strand the message: the redelivery
    # publishes the case event again (ProcessCase is idempotent per input step).
    events = jobs_env.drain("case-events")
    assert [e["case_id"] for e in events] == [first.case_id, first.case_id]


def test_unreadable_mail_is_quarantined_with_its_reason_and_never_raises(
    jobs_env: JobsEnv,
) -> None:
    before = _quarantined(jobs_env, jobs_env.tid)
    garbage = b"\x00\x01 this is not a mail at all \xff\xfe" * 10
    key = f"inbound/{jobs_env.tid}/garbage.eml"
    _put_inbound(jobs_env, key, garbage)

    outcome = ingest_s3_object(jobs_env.services, jobs_env.env.bucket, key)

    assert outcome.status == "quarantined" and outcome.tenant == jobs_env.tid
    assert outcome.reason
    added = {k: v for k, v in _quarantined(jobs_env, jobs_env.tid).items() if k not in before}
    assert len(added) == 1
    (metadata,) = added.values()
    assert metadata["reason"] == outcome.reason
    assert metadata["source"] == f"s3://{jobs_env.env.bucket}/{key}"
    assert jobs_env.drain("case-events") == []


def test_a_mail_without_message_id_redelivered_is_still_one_message(jobs_env: JobsEnv) -> None:
    # Not relay-shaped and no Message-ID: kept (a person matches it), and a redelivery is
    # recognised by its content.
    raw = (
        b"From: someone@example.com\r\nTo: seller-support@example.com\r\n"
        b"Subject: hello\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\njust some text\r\n"
    )
    first = ingest_email(jobs_env.services, jobs_env.tenant, raw)
    second = ingest_email(jobs_env.services, jobs_env.tenant, raw)

    assert (first.status, second.status) == ("ingested", "duplicate")
    assert first.case_id == second.case_id
    assert len(jobs_env.services.cases.messages(jobs_env.tid, first.case_id)) == 1
    jobs_env.drain("case-events")


def test_mail_under_the_tenants_inbound_prefix_is_filed_under_that_tenant(
    jobs_env: JobsEnv,
) -> None:
    order = jobs_env.order(channel="MFN")
    raw = relay_mail(
        order.order_id, "Do you ship to Canada?", received_at=recent(jobs_env), to="x@other.example"
    )
    key = f"inbound/{jobs_env.tid}/0001.eml"
    _put_inbound(jobs_env, key, raw)

    outcome = ingest_s3_object(jobs_env.services, jobs_env.env.bucket, key)

    assert outcome.status == "ingested" and outcome.tenant == jobs_env.tid
    assert outcome.case_id and outcome.case_id.startswith(f"{jobs_env.tid}#")
    jobs_env.drain("case-events")


def test_mail_elsewhere_is_routed_by_the_tenants_ses_recipient(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    recipient = jobs_env.tenant.ses_recipient
    assert recipient
    raw = relay_mail(
        order.order_id,
        "Is this dishwasher safe?",
        received_at=recent(jobs_env),
        to=f"Support <{recipient.upper()}>",
    )
    key = "ses-inbound/abc123"
    _put_inbound(jobs_env, key, raw)

    outcome = ingest_s3_object(jobs_env.services, jobs_env.env.bucket, key)

    assert outcome.status == "ingested" and outcome.tenant == jobs_env.tid
    events = jobs_env.drain("case-events")
    assert [e["case_id"] for e in events] == [outcome.case_id]


def test_mail_for_no_tenant_is_quarantined_as_unassigned(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    raw = relay_mail(
        order.order_id, "Hello?", received_at=recent(jobs_env), to="nobody@unknown.example"
    )
    key = "ses-inbound/stray"
    _put_inbound(jobs_env, key, raw)
    before = _quarantined(jobs_env, "unassigned")

    outcome = ingest_s3_object(jobs_env.services, jobs_env.env.bucket, key)

    assert outcome.status == "quarantined" and outcome.tenant is None
    assert outcome.reason and "ses_recipient" in outcome.reason
    added = {k: v for k, v in _quarantined(jobs_env, "unassigned").items() if k not in before}
    assert [m["reason"] for m in added.values()] == [outcome.reason]
    assert jobs_env.drain("case-events") == []
    assert (
        jobs_env.services.cases.get(jobs_env.tid, case_id_for(jobs_env.tid, order.order_id)) is None
    )


def test_damaged_relay_mail_never_raises_and_every_outcome_is_accounted_for(
    jobs_env: JobsEnv,
) -> None:
    import random

    rng = random.Random(7)
    emails = jobs_env.env.sim.scenario.emails
    outcomes = []
    for n in range(40):
        raw = bytearray(emails[n % len(emails)])
        kind = n % 4
        if kind == 0:  # cut off in transit
            raw = raw[: rng.randrange(1, len(raw))]
        elif kind == 1:  # bytes flipped
            for _ in range(25):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        elif kind == 2:  # a Date no parser reads
            raw = raw.replace(b"Date:", b"Date: yesterday-ish\r\nX-Date:", 1)
        else:  # no Message-ID
            raw = raw.replace(b"Message-ID:", b"X-Message-ID:", 1)
        outcomes.append(ingest_email(jobs_env.services, jobs_env.tenant, bytes(raw)))

    for outcome in outcomes:
        assert outcome.status in ("ingested", "duplicate", "quarantined")
        if outcome.status == "quarantined":
            assert outcome.reason
        else:
            assert jobs_env.services.cases.get(jobs_env.tid, outcome.case_id) is not None
    published = {e["case_id"] for e in jobs_env.drain("case-events")}
    assert published == {o.case_id for o in outcomes if o.status != "quarantined"}


def test_mail_that_failed_sender_checks_is_quarantined_not_decided(jobs_env: JobsEnv) -> None:
    """A forged 'buyer message' (SES says DMARC failed) never reaches a decision."""
    from spconnector.jobs.ingest import ingest_email
    from tests.functional.jobs.conftest import recent, relay_mail

    order = jobs_env.order(channel="MFN")
    raw = relay_mail(order.order_id, "Refund me now.", received_at=recent(jobs_env))
    forged = b"Authentication-Results: amazonses.com; spf=fail; dmarc=fail\r\n" + raw
    outcome = ingest_email(jobs_env.services, jobs_env.tenant, forged)
    assert outcome.status == "quarantined" and "dmarc" in (outcome.reason or "")
    assert jobs_env.drain("case-events") == []


def test_headers_the_sender_writes_never_choose_the_tenant(jobs_env: JobsEnv) -> None:
    """Audit item 3: To/Cc/Delivered-To/X-Original-To are the sender's; SES's own Received
    header (the topmost) names the envelope recipient."""
    order = jobs_env.order(channel="MFN")
    recipient = jobs_env.tenant.ses_recipient
    assert recipient
    raw = relay_mail(
        order.order_id, "Refund me.", received_at=recent(jobs_env), to="nobody@unknown.example"
    )
    aimed = (
        f"Delivered-To: {recipient}\r\nX-Original-To: {recipient}\r\nCc: {recipient}\r\n"
        # a Received line the sender wrote sits below SES's: never read
    ).encode() + raw.replace(
        b"\r\nFrom:", f"\r\nReceived: by x for <{recipient}>;\r\nFrom:".encode(), 1
    )
    key = "ses-inbound/aimed"
    _put_inbound(jobs_env, key, aimed)

    outcome = ingest_s3_object(jobs_env.services, jobs_env.env.bucket, key)

    assert outcome.status == "quarantined" and outcome.tenant is None
    assert jobs_env.drain("case-events") == []


def test_an_ses_receipts_recipients_choose_the_tenant(jobs_env: JobsEnv) -> None:
    order = jobs_env.order(channel="MFN")
    recipient = jobs_env.tenant.ses_recipient
    assert recipient
    raw = relay_mail(
        order.order_id, "Is it dishwasher safe?", received_at=recent(jobs_env),
        to="nobody@unknown.example",
    )  # fmt: skip
    key = "ses-inbound/receipt"
    _put_inbound(jobs_env, key, raw)

    outcome = ingest_s3_object(
        jobs_env.services, jobs_env.env.bucket, key, recipients=[recipient.upper()]
    )

    assert outcome.status == "ingested" and outcome.tenant == jobs_env.tid
    jobs_env.drain("case-events")


def test_relay_mail_without_a_verdict_is_quarantined_not_decided(jobs_env: JobsEnv) -> None:
    """Audit item 3: no Authentication-Results at all proves nothing: not a buyer message."""
    order = jobs_env.order(channel="MFN")
    raw = relay_mail(order.order_id, "Refund me now.", received_at=recent(jobs_env))
    unverified = b"\r\n".join(
        line for line in raw.split(b"\r\n") if not line.startswith(b"Authentication-Results")
    )
    outcome = ingest_email(jobs_env.services, jobs_env.tenant, unverified)
    assert outcome.status == "quarantined"
    assert "no Authentication-Results" in (outcome.reason or "")
    assert jobs_env.drain("case-events") == []


def test_a_mail_dated_year_9999_neither_crashes_nor_keeps_that_date(
    jobs_env: JobsEnv,
) -> None:
    from datetime import UTC, datetime

    from spconnector.jobs.ingest import ingest_email

    order = jobs_env.order(channel="MFN")
    raw = relay_mail(
        order.order_id,
        "The item arrived broken.",
        received_at=datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    )
    outcome = ingest_email(jobs_env.services, jobs_env.tenant, raw)  # no exception: no retry
    assert outcome.status == "ingested", outcome
    assert outcome.case_id is not None
    messages = jobs_env.services.cases.messages(jobs_env.tid, outcome.case_id)
    assert messages and all(m.received_at.year < 2100 for m in messages)  # Date not trusted
