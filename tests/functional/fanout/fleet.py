"""SQS → Lambda driven the way AWS does it, for a fleet of tenants on the embedded environment
(spconnector.local.fleet adds the tenants).

`Fleet.pump()` plays the SQS event source mapping of TenantWorkerFunction (BatchSize 1,
ReportBatchItemFailures): receive, invoke the handler in-process with an SQS event built from
the received message, delete it on success, and on a reported failure make it visible again
(what the visibility timeout does), so SQS's own redrive policy moves it to the DLQ after
maxReceiveCount receives. moto implements that redrive for FIFO queues.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spconnector.aws.clients import client
from spconnector.local.embedded import Embedded
from spconnector.local.invoke import Invocation, invoke
from spconnector.local.template import Template

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = Template.load(REPO / "template.yaml")
MAX_RECEIVE_COUNT = 3  # as template.yaml's TenantWorkQueue RedrivePolicy


def with_redrive(env: Embedded) -> str:
    """Give the embedded tenant-work queue template.yaml's settings and DLQ; returns the DLQ url."""
    sqs = client("sqs")
    dlq = sqs.create_queue(QueueName="tenant-work-dlq.fifo", Attributes={"FifoQueue": "true"})
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq["QueueUrl"], AttributeNames=["QueueArn"])
    policy = {
        "deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
        "maxReceiveCount": MAX_RECEIVE_COUNT,
    }
    sqs.set_queue_attributes(
        QueueUrl=env.queues["tenant-work"],
        Attributes={
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
            "RedrivePolicy": json.dumps(policy),
        },
    )
    url: str = dlq["QueueUrl"]
    return url


def receive_all(queue_url: str) -> list[dict[str, Any]]:
    """Every visible message (left in flight, not deleted)."""
    sqs = client("sqs")
    found: list[dict[str, Any]] = []
    while True:
        got = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not got:
            return found
        found += got


def sqs_event(message: dict[str, Any], queue_url: str) -> dict[str, Any]:
    """The event Lambda's SQS event source hands the function for one received message."""
    name = queue_url.rstrip("/").rsplit("/", 1)[-1]
    attributes = {
        name: {
            "stringValue": value["StringValue"],
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value["DataType"],
        }
        for name, value in message.get("MessageAttributes", {}).items()
    }
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message["Attributes"],
                "messageAttributes": attributes,
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{name}",
                "awsRegion": "us-east-1",
            }
        ]
    }


@dataclass
class PumpResult:
    invocations: dict[str, list[Invocation]] = field(default_factory=lambda: defaultdict(list))
    completed: list[str] = field(default_factory=list)  # tenants whose work was deleted (done)


def pump(env: Embedded, *, max_rounds: int = 20) -> PumpResult:
    """Run TenantWorkerFunction on the tenant-work queue until it is empty."""
    sqs = client("sqs")
    url = env.queues["tenant-work"]
    worker = TEMPLATE.function("TenantWorkerFunction")
    result = PumpResult()
    for _ in range(max_rounds):
        messages = receive_all(url)
        if not messages:
            return result
        for message in messages:
            tenant = json.loads(message["Body"])["tenant"]
            outcome = invoke(TEMPLATE, worker, sqs_event(message, url), env)
            result.invocations[tenant].append(outcome)
            failed = outcome.error is not None or any(
                f["itemIdentifier"] == message["MessageId"]
                for f in (outcome.result or {}).get("batchItemFailures", [])
            )
            if failed:  # the visibility timeout running out, without the wait
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                result.completed.append(tenant)
    raise AssertionError(f"tenant-work queue not empty after {max_rounds} rounds")


def json_lines(text: str) -> list[dict[str, Any]]:
    """Structured (Powertools JSON) log lines in captured output."""
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return [x for x in lines if "level" in x and "message" in x]


def scan(table: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Every item in the table by (pk, sk)."""
    ddb = client("dynamodb")
    items: dict[tuple[str, str], dict[str, Any]] = {}
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        for item in page["Items"]:
            items[(item["pk"]["S"], item["sk"]["S"])] = item
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
