"""Act builds the reply's headers from our own data: a buyer's subject never reaches them."""

from __future__ import annotations

import base64
from email import message_from_bytes
from email.policy import default as default_policy

from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event

from .conftest import JobsEnv, recent, relay_mail

# The audit's reproducer: an encoded word whose decoded text is another encoded word holding a
# CR/LF. Intake decodes it once; EmailMessage on CPython 3.12.1 decoded it again and wrote
# "X-Injected: yes" as a header of its own into the mail SES sent.
INNER = "=?utf-8?q?Order_question=0D=0AX-Injected:_yes?="
DOUBLE_ENCODED = "=?utf-8?b?" + base64.b64encode(INNER.encode()).decode() + "?="


def test_a_double_encoded_buyer_subject_injects_no_header_into_the_reply(
    jobs_env: JobsEnv,
) -> None:
    order = jobs_env.order(channel="MFN", max_total=30)
    alias = "k2v9x7inject01@marketplace.amazon.com"
    raw = relay_mail(
        order.order_id,
        "The item arrived broken, it does not work at all.",
        received_at=recent(jobs_env),
        alias=alias,
        subject="SUBJECT-PLACEHOLDER",
    ).replace(b"SUBJECT-PLACEHOLDER", DOUBLE_ENCODED.encode())
    outcome = ingest_email(jobs_env.services, jobs_env.tenant, raw)
    assert outcome.status == "ingested", outcome
    for event in jobs_env.drain("case-events"):
        process_case_event(jobs_env.services, event)
    (action,) = jobs_env.drain("actions")

    result = act_on(jobs_env.services, action)

    assert result["reply"]["status"] == "sent"
    sent = [s.raw_data for s in jobs_env.sent_mail() if alias in s.raw_data]
    assert len(sent) == 1
    raw_reply = sent[0].encode()
    assert b"X-Injected" not in raw_reply.split(b"\n\n", 1)[0]
    parsed = message_from_bytes(raw_reply, policy=default_policy)
    assert parsed["X-Injected"] is None
    subject = parsed["Subject"]
    assert subject.startswith("Re: ")
    assert "\r" not in subject and "\n" not in subject
    assert "Order question" not in subject  # the buyer's words are not our header
    assert order.order_id in subject
