"""What the demo tells a seller: the numbers they ask about, each with where it comes from.

- `MetricsSink`: Powertools prints EMF metric lines on stdout (CloudWatch reads them there in
  Lambda); in the demo they go to out/metrics.jsonl, never to the terminal.
- `EscalationInbox`: an SQS queue subscribed to the escalations topic, as a person's inbox
  would be; every escalation the demo raised is read back from it, with its reasons.
- `refund_decisions`, `first_responses`: built from what the jobs returned and stored, in the
  demo's simulated time (the jobs' clock), never the wall clock.
"""

from __future__ import annotations

import io
import json
import re
import statistics
import sys
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

_EMF_PREFIX = '{"_aws"'
_ORDER_ID = re.compile(r"(?:\border )?\b\d{3}-\d{7}-\d{7}\b")
_AMOUNT = re.compile(r"\b\d+(?:\.\d+)? ?(?:[A-Z]{3})\b")


class MetricsSink(io.TextIOBase):
    """stdout while a local run goes on (the demo, the console): EMF lines to `metrics`,
    anything else to `other` (stderr unless told), a line at a time. Safe to share between
    threads (the console's request threads publish metrics too)."""

    def __init__(self, metrics: IO[str], other: IO[str] | None = None) -> None:
        self._metrics = metrics
        self._other = other or sys.stderr
        self._line = ""
        self._lock = threading.Lock()
        self.count = 0

    def write(self, text: str) -> int:
        with self._lock:
            self._line += text
            while "\n" in self._line:
                line, self._line = self._line.split("\n", 1)
                self._route(line + "\n")
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._line:
                self._route(self._line)
                self._line = ""
            self._metrics.flush()
            self._other.flush()

    def _route(self, line: str) -> None:
        if line.startswith(_EMF_PREFIX):
            self._metrics.write(line)
            self.count += 1
        else:
            self._other.write(line)
            self._other.flush()  # a URL or a prompt is read as it comes, not at exit


class EscalationInbox:
    """A queue subscribed to the escalations topic (raw delivery): what a person receives."""

    def __init__(self, topic_arn: str, name: str = "demo-escalations-inbox") -> None:
        from spconnector.aws.clients import client

        self._sqs = client("sqs")
        self.url = self._sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])
        client("sns").subscribe(
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=arn["Attributes"]["QueueArn"],
            Attributes={"RawMessageDelivery": "true"},
        )

    def read(self) -> list[dict[str, Any]]:
        summaries: list[dict[str, Any]] = []
        while True:
            got = self._sqs.receive_message(
                QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=0
            ).get("Messages", [])
            if not got:
                return summaries
            for message in got:
                summaries.append(json.loads(message["Body"]))
                self._sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])


def reason_label(reason: str) -> str:
    """One reason, without the order id and amounts that make every case's text unique."""
    text = _ORDER_ID.sub("the order", reason)
    return " ".join(_AMOUNT.sub("…", text).split())


def refund_decisions(acted: Iterable[dict[str, Any]], confirmed: int) -> dict[str, Any]:
    """Of the refund decisions carried out: sent for payment (and of those, paid), held for
    approval, waiting for the return, or handed to a person — each with its reason."""
    total = 0
    sent = waiting = 0
    held: Counter[str] = Counter()
    to_person: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for outcome in acted:
        if not str(outcome.get("action", "")).startswith("refund"):
            continue
        total += 1
        refund = outcome.get("refund") or {}
        state = refund.get("state")
        if state in ("approved", "submitted", "confirmed"):
            sent += 1
        elif state == "proposed":
            held["the tenant approves refunds (approve mode)"] += 1
        elif state == "awaiting_return":
            waiting += 1
        elif state in ("needs_person", "refused"):
            to_person[reason_label(str(refund.get("reason") or state))] += 1
        elif outcome.get("status") == "awaiting_approval":
            held[reason_label(str(outcome.get("reason") or "needs approval"))] += 1
        else:
            other[str(outcome.get("status") or "not carried out")] += 1
    return {
        "total": total,
        "sent_for_payment": sent,
        "paid": confirmed,
        "held_for_approval": dict(held.most_common()),
        "waiting_for_return": waiting,
        "to_a_person": dict(to_person.most_common()),
        "other": dict(other.most_common()),
    }


def escalations(summaries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Each escalation a person received, grouped by its first reason."""
    by_reason: Counter[str] = Counter()
    cases: set[str] = set()
    count = 0
    for summary in summaries:
        count += 1
        cases.add(str(summary.get("case_id")))
        reasons = [str(r) for r in summary.get("reasons") or ()]
        # "needs approval" is a heading; the guard that asked for it says why
        telling = [r for r in reasons if r != "needs approval"] or reasons or ["(no reason)"]
        by_reason[reason_label(telling[0])] += 1
    return {"sent": count, "cases": len(cases), "by_reason": dict(by_reason.most_common())}


def first_responses(
    opened: dict[str, datetime], first_reply: dict[str, datetime], unanswered: dict[str, str]
) -> dict[str, Any]:
    """Per case: from the moment it opened (the mail arrived, the return was requested) to
    our first reply leaving, in simulated time; and why the others have no reply from us."""
    minutes = sorted(
        (first_reply[c] - opened[c]).total_seconds() / 60 for c in first_reply if c in opened
    )
    return {
        "answered_cases": len(minutes),
        "median_minutes": round(statistics.median(minutes), 1) if minutes else None,
        "mean_minutes": round(statistics.fmean(minutes), 1) if minutes else None,
        "slowest_minutes": round(minutes[-1], 1) if minutes else None,
        "within_24h": sum(1 for m in minutes if m <= 24 * 60),
        "not_answered_by_us": dict(Counter(unanswered.values()).most_common()),
    }


def counts(counter: Counter[str]) -> str:
    """ "3 sent, 1 refused" — a counter as the demo prints it, most first."""
    return ", ".join(f"{n} {what}" for what, n in counter.most_common()) or "none"
