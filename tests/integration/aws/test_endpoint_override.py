"""The adapters reach AWS through SPCONNECTOR_AWS_ENDPOINT (a moto server over HTTP here),
the way `sam local` or a laptop run without an AWS account does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from moto.server import ThreadedMotoServer

from spconnector.aws import clients
from spconnector.aws.blobs import RawMailStore
from spconnector.aws.cases import CaseStore
from spconnector.aws.checkpoints import CheckpointStore
from spconnector.aws.queues import CaseEventQueue
from spconnector.aws.table import create_table
from spconnector.domain import Case, Intent, MessageKind
from spconnector.domain.models import BuyerMessage

TABLE = "spconnector-server"


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    monkeypatch.setenv("SPCONNECTOR_AWS_ENDPOINT", endpoint)
    monkeypatch.setenv("SPCONNECTOR_TABLE", TABLE)
    monkeypatch.setenv("SPCONNECTOR_BUCKET", "mail")
    clients.reset_clients()
    try:
        yield endpoint
    finally:
        clients.reset_clients()
        server.stop()


def test_clients_are_cached_and_follow_the_endpoint(moto_server: str) -> None:
    ddb = clients.client("dynamodb")
    assert ddb is clients.client("dynamodb")
    assert ddb.meta.endpoint_url == moto_server
    assert ddb.meta.region_name == "us-east-1"


def test_case_mail_queue_and_checkpoint_over_http(moto_server: str) -> None:
    create_table(clients.client("dynamodb"), TABLE)
    clients.client("s3").create_bucket(Bucket="mail")
    url = clients.client("sqs").create_queue(QueueName="case-events")["QueueUrl"]
    received = datetime(2026, 11, 17, 9, 12, tzinfo=UTC)
    message = BuyerMessage(
        amazon_order_id="113-1234567-1234567",
        buyer_address="x1@marketplace.amazon.com",
        buyer_name="Jane Doe",
        marketplace="amazon.com",
        subject="Inquiry",
        kind=MessageKind.BUYER_MESSAGE,
        intent=Intent.WRONG_ITEM,
        language="en",
        body="Wrong colour arrived.",
        message_id="<m1@email.amazonses.com>",
        received_at=received,
    )
    key = RawMailStore().put_mail(
        "acme", b"raw", message_id=message.message_id, received_at=received
    )
    store = CaseStore()
    case = store.upsert(
        "acme",
        Case.open_for_message("acme", message).case_id,
        lambda c: c.attach_message(message) if c else Case.open_for_message("acme", message),
    )
    assert store.add_message("acme", case.case_id, message, now=received)
    CaseEventQueue(url).publish("acme", case.case_id, "message_added", mail_key=key)
    assert CheckpointStore().advance_imap("acme", "INBOX", 1, 10)

    assert store.get("acme", case.case_id) == case
    assert store.messages("acme", case.case_id) == [message]
    body = json.loads(clients.client("sqs").receive_message(QueueUrl=url)["Messages"][0]["Body"])
    assert body["mail_key"] == key and body["case_id"] == case.case_id
