"""RawMail, MessageQueue and CaseEvents: what the adapters keep and hand on is what was given,
under the same keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from spconnector.aws import clients
from spconnector.aws.blobs import RawMailStore
from spconnector.aws.errors import TenantMismatch
from spconnector.aws.queues import CaseEventQueue, OutboundMessage
from spconnector.jobs.ports import CaseEvents, RawMail
from spconnector.memory import MemoryCaseEventQueue, MemoryRawMail
from tests.unit.contracts.conftest import ADAPTERS, BUCKET

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
RAW = b"From: buyer@marketplace.amazon.com\r\nSubject: hi\r\n\r\nwhere is it?\r\n"


@pytest.fixture(params=ADAPTERS)
def raw_mail(request: pytest.FixtureRequest) -> RawMail:
    if request.param == "memory":
        return MemoryRawMail(BUCKET)
    request.getfixturevalue("aws")
    return RawMailStore(BUCKET)


def test_mail_lands_on_one_key_per_message_id(raw_mail: RawMail) -> None:
    key = raw_mail.put_mail("acme", RAW, message_id="<m1@x>", received_at=AT)
    assert raw_mail.put_mail("acme", RAW + b"again", message_id="<m1@x>", received_at=AT) == key
    assert raw_mail.get("acme", key) == RAW + b"again"
    assert raw_mail.put_mail("acme", RAW, message_id="<m2@x>", received_at=AT) != key
    with pytest.raises(TenantMismatch):
        raw_mail.get("other", key)


def test_quarantine_keeps_the_input_and_its_reason(raw_mail: RawMail) -> None:
    key = raw_mail.quarantine(
        "acme", RAW, reason="no order id — unreadable", source="ses", received_at=AT
    )
    assert raw_mail.get("acme", key) == RAW
    assert raw_mail.quarantine_reason("acme", key) == "no order id ? unreadable"


def test_attachments_are_named_by_index_and_type(raw_mail: RawMail) -> None:
    key = raw_mail.put_attachment(
        "acme",
        message_id="<m1@x>",
        index=2,
        data=b"%PDF",
        content_type="application/pdf",
        received_at=AT,
    )
    assert key.endswith("/att-2.pdf") and raw_mail.get("acme", key) == b"%PDF"


def _received(queue: Any) -> list[tuple[str, dict[str, str]]]:
    """(body, attributes) of what a consumer receives, in order."""
    if isinstance(queue, MemoryCaseEventQueue):
        return [(m.body, dict(m.attributes) | {"tenant": m.tenant}) for m in queue.drain()]
    sqs = clients.client("sqs")
    got = sqs.receive_message(
        QueueUrl=queue.url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    )
    return [
        (m["Body"], {k: v["StringValue"] for k, v in m.get("MessageAttributes", {}).items()})
        for m in got.get("Messages", [])
    ]


@pytest.fixture(params=ADAPTERS)
def case_events(request: pytest.FixtureRequest) -> CaseEvents:
    if request.param == "memory":
        return MemoryCaseEventQueue("case-events")
    request.getfixturevalue("aws")
    url = clients.client("sqs").create_queue(QueueName="case-events")["QueueUrl"]
    return CaseEventQueue(url)


def test_a_published_event_is_received_with_its_tenant_and_event(case_events: CaseEvents) -> None:
    case_events.publish("acme", "acme#order#1", "message", message_id="<m1@x>")
    case_events.send_batch([OutboundMessage(body='{"n": 1}', tenant="acme")])
    (event, attributes), (batch_body, _batch_attributes) = _received(case_events)
    assert json.loads(event) == {
        "tenant": "acme",
        "case_id": "acme#order#1",
        "event": "message",
        "message_id": "<m1@x>",
    }
    assert attributes == {"event": "message", "tenant": "acme"}
    assert json.loads(batch_body) == {"n": 1}
