"""The sample events in events/: what AWS would hand each function in a seeded environment.

`sample_events` builds them from what `seed_demo` left waiting (the stored mail, the queued
case event and action), so they name real ids; `spconnector local events --out events/`
writes them and a test checks the committed files still match.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from spconnector.local.embedded import Embedded
from spconnector.local.seed import Seeded
from spconnector.local.template import Template, TemplateError
from spconnector.sim.clock import REFERENCE_TIME

# Sample events carry the seeded world's present, never the wall clock: the files stay stable.
SAMPLE_TIME = REFERENCE_TIME
_NAMESPACE = uuid.UUID("6f1c2a52-6a3e-4d8c-9a0e-2f3b5c7d9e11")


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _millis(ts: datetime) -> str:
    return str(int(ts.timestamp() * 1000))


def _queue_arn(url: str, region: str = "us-east-1", account: str = "123456789012") -> str:
    return f"arn:aws:sqs:{region}:{account}:{url.rstrip('/').rsplit('/', 1)[-1]}"


def sqs_event(body: Any, queue_url: str, *, group: str | None = None) -> dict[str, Any]:
    """One SQS record as Lambda's event source mapping delivers it."""
    text = body if isinstance(body, str) else json.dumps(body, sort_keys=True)
    message_id = str(uuid.uuid5(_NAMESPACE, text))
    attributes = {
        "ApproximateReceiveCount": "1",
        "SentTimestamp": _millis(SAMPLE_TIME),
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "ApproximateFirstReceiveTimestamp": _millis(SAMPLE_TIME),
    }
    if group is not None:  # FIFO queue
        attributes |= {
            "MessageGroupId": group,
            "MessageDeduplicationId": hashlib.sha256(text.encode()).hexdigest(),
            "SequenceNumber": "18891438127649640000",
        }
    return {
        "Records": [
            {
                "messageId": message_id,
                "receiptHandle": f"AQEB{hashlib.sha256(message_id.encode()).hexdigest()}",
                "body": text,
                "attributes": attributes,
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(text.encode()).hexdigest(),  # noqa: S324 - SQS's own
                "eventSource": "aws:sqs",
                "eventSourceARN": _queue_arn(queue_url),
                "awsRegion": "us-east-1",
            }
        ]
    }


def s3_event(bucket: str, key: str, data: bytes) -> dict[str, Any]:
    """SES's receipt rule stored a mail: the ObjectCreated record S3 sends IngestEmail."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": _iso(SAMPLE_TIME),
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:AROAEXAMPLESESROLE:ses"},
                "requestParameters": {"sourceIPAddress": "10.0.0.1"},
                "responseElements": {
                    "x-amz-request-id": "C3D13FE58DE4C810",
                    "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",  # noqa: E501,
                },
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "spconnector-inbound",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": key,
                        "size": len(data),
                        "eTag": hashlib.md5(data).hexdigest(),  # noqa: S324 - S3's own
                        "sequencer": "0062E99A88DC407460",
                    },
                },
            }
        ]
    }


def report_finished_notification(seller_id: str, report_type: str) -> dict[str, Any]:
    """REPORT_PROCESSING_FINISHED as Amazon delivers it to the notifications queue
    (ReportProcessingFinishedNotification.json)."""
    return {
        "notificationVersion": "2020-09-04",
        "notificationType": "REPORT_PROCESSING_FINISHED",
        "payloadVersion": "2020-09-04",
        "eventTime": _iso(SAMPLE_TIME),
        "payload": {
            "reportProcessingFinishedNotification": {
                "sellerId": seller_id,
                "accountId": f"amzn1.merchant.o.{seller_id}",
                "reportId": "50038018913",
                "reportType": report_type,
                "processingStatus": "DONE",
                "reportDocumentId": "amzn1.spdoc.1.4.na.5d3f2a61-7c0e-4b1f-9a42-0c6e1b7d8f35.T1Q2W3E4R5T6Y7",  # noqa: E501,
            }
        },
        "notificationMetadata": {
            "applicationId": "amzn1.sellerapps.app.0b7a3c2e-5d64-4f1a-8e93-2c1d0f6b4a57",
            "subscriptionId": "3f6d2c1b-8a4e-4d7f-9b0c-5e2a1f8d6c43",
            "publishTime": _iso(SAMPLE_TIME),
            "notificationId": "9c2e7a14-3b5d-4f60-8e1a-7d4c2b9f0e68",
        },
    }


def http_api_event(
    method: str, path: str, query: dict[str, str], claims: dict[str, str]
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) request that passed the JWT authorizer, as the
    Console function receives it."""
    raw_query = "&".join(f"{k}={v}" for k, v in query.items())
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": {"host": "console.example", "accept": "text/html"},
        "queryStringParameters": query,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "console",
            "authorizer": {"jwt": {"claims": claims, "scopes": None}},
            "domainName": "console.example",
            "domainPrefix": "console",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "sample",
            },
            "requestId": str(uuid.uuid5(_NAMESPACE, f"console{path}")),
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": SAMPLE_TIME.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(SAMPLE_TIME.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }


def sample_events(env: Embedded, seeded: Seeded) -> dict[str, dict[str, Any]]:
    """Sample event per function, keyed by the handler's module name (events/<name>.json)."""
    from spconnector.aws.clients import client

    raw = client("s3").get_object(Bucket=env.bucket, Key=seeded.ingest_key)["Body"].read()
    if seeded.action is None:
        raise ValueError("the seeded environment has no action waiting for Act")
    tick = {"job": "poll_returns", "tenant": seeded.tenant, "tick": SAMPLE_TIME.isoformat()}
    return {
        "ingest_email": s3_event(env.bucket, seeded.ingest_key, raw),
        "process_case": sqs_event(seeded.case_event, env.queues["case-events"]),
        "act": sqs_event(seeded.action, env.queues["actions"]),
        "notifications": sqs_event(
            report_finished_notification(
                env.sim.seller_id, "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
            ),
            env.queues["notifications"],
        ),
        # EventBridge Scheduler hands the schedule's Input to the function as the event.
        "scheduler": {"job": "poll_returns"},
        "tenant_worker": sqs_event(tick, env.queues["tenant-work"], group=seeded.tenant),
        "poll_mailbox": sqs_event(
            {**tick, "job": "poll_mailbox"}, env.queues["mailbox-poll"], group=seeded.tenant
        ),
        # the seeded tenant's inbox, for its agent (Cognito ID token claims)
        "console": http_api_event(
            "GET",
            "/inbox",
            {"tenant": seeded.tenant},
            {
                "sub": str(uuid.uuid5(_NAMESPACE, "console-agent")),
                "email": "agent@agency.example",
                "cognito:groups": f"[agent:{seeded.tenant}]",
                "iat": str(int(SAMPLE_TIME.timestamp())),
                "exp": str(int(SAMPLE_TIME.timestamp()) + 3600),
            },
        ),
    }


def render_samples(template: Template, *, seed: int = 7) -> dict[str, str]:
    """The file text of every function's sample event (events/<short name>.json)."""
    from spconnector.local.embedded import embedded
    from spconnector.local.seed import seed_demo

    with embedded(seed=seed) as env:
        samples = sample_events(env, seed_demo(env))
    missing = [f.logical_id for f in template.functions() if f.short_name not in samples]
    if missing:
        raise TemplateError(f"no sample event is defined for {', '.join(missing)}")
    return {
        fn.short_name: json.dumps(samples[fn.short_name], indent=2) + "\n"
        for fn in template.functions()
    }
