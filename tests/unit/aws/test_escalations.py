"""EscalationPublisher: the SNS summary names the case and never the buyer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from spconnector.aws import clients
from spconnector.aws.escalations import EscalationPublisher, redact, summarize
from spconnector.domain import Action, Case, Decision, Priority
from tests.unit.aws.conftest import BUYER_ALIAS, BUYER_BODY, BUYER_NAME, buyer_message

pytestmark = pytest.mark.usefixtures("aws")
LONG_BODY = BUYER_BODY + " " + "The handle came off after two days of normal use. " * 20


def _topic_with_queue() -> tuple[str, str]:
    sns, sqs = clients.client("sns"), clients.client("sqs")
    topic = sns.create_topic(Name="escalations")["TopicArn"]
    url = sqs.create_queue(QueueName="owner-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    return topic, url


def _decision() -> Decision:
    return Decision(
        action=Action.ESCALATE_OWNER,
        refund=None,
        ask_for_photos=False,
        reply_template="escalate_owner.holding",
        priority=Priority.URGENT,
        respond_by=datetime(2026, 11, 18, 9, tzinfo=UTC),
        needs_approval=True,
        rules=("abusive-to-owner",),
        guards=("order_value_above_autonomy",),
        explanation="Abusive language: the owner answers.",
        policy_version="sha256:abc",
    )


def test_published_summary_contains_no_buyer_pii() -> None:
    topic, url = _topic_with_queue()
    message = buyer_message(body=LONG_BODY)
    case = Case.open_for_message("acme", message)
    summary = summarize(
        case,
        _decision(),
        reasons=[f"buyer {BUYER_NAME} threatened a claim"],  # a careless caller
        body=message.body,
        buyer_name=message.buyer_name,
    )
    EscalationPublisher(topic).publish(summary)

    received = clients.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    (envelope,) = received["Messages"]
    wire = envelope["Body"]
    for pii in (BUYER_NAME, *BUYER_NAME.split(), BUYER_ALIAS, "555 123 4567", LONG_BODY):
        assert pii not in wire
    payload = json.loads(json.loads(wire)["Message"])
    assert payload["tenant"] == "acme"
    assert payload["case_id"] == case.case_id
    assert payload["amazon_order_id"] == "113-1234567-1234567"
    assert payload["action"] == "escalate_owner"
    assert payload["priority"] == "urgent"
    assert "abusive-to-owner" in payload["reasons"]
    assert "order_value_above_autonomy" in payload["reasons"]
    assert 0 < len(payload["excerpt"]) <= 140
    assert "garlic press snapped" in payload["excerpt"]


def test_redact_removes_contacts_numbers_and_names_but_keeps_order_ids() -> None:
    text = (
        "Hi, Jane Doe here, mail jane.doe@gmail.com or www.example.com/x, phone (030) 1234-567, "
        "order 113-1234567-1234567"
    )
    out = redact(text, names=["Jane Doe"])
    for gone in ("Jane", "Doe", "gmail", "example.com", "1234-567"):
        assert gone not in out
    assert "113-1234567-1234567" in out


def test_summary_without_decision_uses_case_priority() -> None:
    case = Case.open_for_message("acme", buyer_message())
    summary = summarize(case, reasons=["sla breach in 2h"])
    assert summary.action is None and summary.priority == case.priority.value
    assert summary.excerpt is None
    assert summary.respond_by == case.respond_by
    assert summary.respond_by - case.opened_at == timedelta(hours=24)


def test_publisher_needs_a_topic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SPCONNECTOR_ESCALATION_TOPIC", raising=False)
    with pytest.raises(ValueError):
        EscalationPublisher()


def test_redact_keeps_short_numbers_like_prices_and_counts() -> None:
    assert redact("I paid $12.99 for 2 items; zip 10115") == "I paid $12.99 for 2 items; zip […]"
