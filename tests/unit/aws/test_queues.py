"""SQS publishers against moto: batching, tenant attribute, FIFO groups, partial failures."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spconnector.aws import clients
from spconnector.aws.errors import QueueSendError
from spconnector.aws.queues import CaseEventQueue, OutboundMessage, Queue

pytestmark = pytest.mark.usefixtures("aws")


def _drain(url: str) -> list[dict[str, Any]]:
    sqs = clients.client("sqs")
    found: list[dict[str, Any]] = []
    while True:
        got = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            MessageAttributeNames=["All"],
            AttributeNames=["All"],
        ).get("Messages", [])
        if not got:
            return found
        found += got
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def test_send_batch_sends_everything_in_chunks_with_the_tenant() -> None:
    url = clients.client("sqs").create_queue(QueueName="case-events")["QueueUrl"]
    messages = [OutboundMessage(json.dumps({"n": i}), "acme") for i in range(25)]
    ids = Queue(url).send_batch(messages)
    assert len(ids) == 25 and all(ids) and len(set(ids)) == 25
    got = _drain(url)
    assert sorted(json.loads(m["Body"])["n"] for m in got) == list(range(25))
    assert {m["MessageAttributes"]["tenant"]["StringValue"] for m in got} == {"acme"}


def test_fifo_queue_groups_by_tenant() -> None:
    url = clients.client("sqs").create_queue(
        QueueName="actions.fifo", Attributes={"FifoQueue": "true"}
    )["QueueUrl"]
    queue = Queue(url)
    assert queue.is_fifo
    queue.send("acme", {"a": 1}, dedup_id="acme-1")
    queue.send("acme", {"a": 1}, dedup_id="acme-1")  # same dedup id: SQS drops the repeat
    queue.send_batch([OutboundMessage('{"b": 2}', "beta")])
    got = _drain(url)
    groups = sorted(m["Attributes"]["MessageGroupId"] for m in got)
    assert groups == ["acme", "beta"]


def test_case_event_body_names_tenant_case_and_event() -> None:
    url = clients.client("sqs").create_queue(QueueName="ce")["QueueUrl"]
    CaseEventQueue(url).publish("acme", "acme#order#113-1234567-1234567", "message_added")
    (msg,) = _drain(url)
    assert json.loads(msg["Body"]) == {
        "tenant": "acme",
        "case_id": "acme#order#113-1234567-1234567",
        "event": "message_added",
    }
    assert msg["MessageAttributes"]["event"]["StringValue"] == "message_added"


class FlakySqs:
    """The real (moto) client, except that SQS reports some batch entries as failed — and
    those are really not sent — the first `times` times they appear."""

    def __init__(self, fail_ids: set[str], *, sender_fault: bool = False, times: int = 1) -> None:
        self._sqs = clients.client("sqs")
        self._fail = dict.fromkeys(fail_ids, times)
        self._sender_fault = sender_fault
        self.calls = 0

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        self.calls += 1
        failing = [e for e in Entries if self._fail.get(e["Id"], 0) > 0]
        for e in failing:
            self._fail[e["Id"]] -= 1
        passing = [e for e in Entries if e not in failing]
        response = (
            self._sqs.send_message_batch(QueueUrl=QueueUrl, Entries=passing)
            if passing
            else {"Successful": []}
        )
        response["Failed"] = [
            {"Id": e["Id"], "Code": "ServiceUnavailable", "SenderFault": self._sender_fault}
            for e in failing
        ]
        return response


def test_transient_entry_failures_are_retried_not_dropped() -> None:
    url = clients.client("sqs").create_queue(QueueName="q")["QueueUrl"]
    flaky = FlakySqs({"3", "12"})
    queue = Queue(url, client=flaky, retry_delay=0)
    ids = queue.send_batch([OutboundMessage(str(i), "acme") for i in range(15)])
    assert all(ids)
    assert sorted(int(m["Body"]) for m in _drain(url)) == list(range(15))
    assert flaky.calls == 4  # two chunks, each retried once


def test_persistent_failures_raise_with_the_failed_entries() -> None:
    url = clients.client("sqs").create_queue(QueueName="q2")["QueueUrl"]
    queue = Queue(url, client=FlakySqs({"1"}, times=99), retry_delay=0)
    with pytest.raises(QueueSendError) as err:
        queue.send_batch([OutboundMessage(str(i), "acme") for i in range(3)])
    assert err.value.failed == [("1", "ServiceUnavailable")]
    assert len(err.value.sent) == 2


def test_sender_faults_are_raised_at_once() -> None:
    url = clients.client("sqs").create_queue(QueueName="q3")["QueueUrl"]
    flaky = FlakySqs({"0"}, sender_fault=True, times=99)
    with pytest.raises(QueueSendError):
        Queue(url, client=flaky, retry_delay=0).send_batch([OutboundMessage("x", "acme")])
    assert flaky.calls == 1


def test_invalid_tenant_is_refused_before_sending() -> None:
    url = clients.client("sqs").create_queue(QueueName="q4")["QueueUrl"]
    with pytest.raises(ValueError):
        Queue(url).send("Not A Tenant", "x")
    assert _drain(url) == []
