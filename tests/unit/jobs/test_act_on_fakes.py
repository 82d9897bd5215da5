"""Ingest → ProcessCase → Act on fakes: the reply goes out once, in the buyer's thread; a
claim left "sending" is escalated, never sent again; a refund is recorded once."""

from __future__ import annotations

from typing import Any

import pytest

from spconnector.domain import CaseStatus
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event
from spconnector.refunds.model import Refund, RefundState
from tests.unit.jobs.conftest import SENDER, World

DEFECT = "The item arrived broken, it does not work at all."


def _decided(world: World, order_id: str, body: str = DEFECT, **mail: Any) -> dict[str, Any]:
    _, events = world.ingest(order_id, body, **mail)
    for event in events:
        process_case_event(world.services, event)
    (action,) = world.drain("actions")
    return action


def _refunds_for(world: World, order_id: str) -> list[Refund]:
    market = world.tenant.marketplace_ids[0]
    ledger = world.services.refund_ledger
    return [
        r
        for state in RefundState
        for r in ledger.refunds_in_state(world.tid, market, state)
        if r.amazon_order_id == order_id
    ]


def test_a_reply_goes_to_the_relay_alias_in_the_buyers_thread(world: World) -> None:
    order = world.order(channel="MFN", max_total=30)
    alias = "k2v9x7unit01@marketplace.amazon.com"
    message_id = "<0100018cunit-reply-01@email.amazonses.com>"
    action = _decided(
        world, order.order_id, "Do you have this in blue?", alias=alias, message_id=message_id
    )

    outcome = act_on(world.services, action)

    assert outcome["reply"]["status"] == "sent"
    (mail,) = world.mails
    assert (mail.to, mail.sender, mail.in_reply_to) == (alias, SENDER, message_id)
    assert message_id in mail.references and mail.subject.startswith("Re: ")
    assert order.order_id in mail.text
    case = world.services.cases.get(world.tid, action["case_id"])
    assert case is not None and case.status.value == outcome["status"]
    assert world.services.outbox.state(world.tid, action["case_id"], "reply#000001") == "sent"


def test_the_same_action_delivered_twice_sends_one_mail(world: World) -> None:
    order = world.order(channel="MFN", max_total=30)
    action = _decided(world, order.order_id, "Do you have this in blue?")

    first = act_on(world.services, action)
    second = act_on(world.services, dict(action))

    assert first["reply"]["status"] == "sent"
    assert second == first
    assert len(world.mails) == 1


def test_a_reply_left_sending_by_a_crash_is_escalated_not_sent(world: World) -> None:
    order = world.order(channel="MFN", max_total=30)
    action = _decided(world, order.order_id, "Do you have this in blue?")
    assert world.services.outbox.claim(world.tid, action["case_id"], "reply#000001") == "claimed"

    outcome = act_on(world.services, action)

    assert outcome["reply"]["status"] == "state_unknown"
    assert outcome["status"] == CaseStatus.ESCALATED.value
    assert world.mails == []
    (escalation,) = world.escalations
    assert escalation.case_id == action["case_id"]
    assert any("crash" in r for r in escalation.reasons)


def test_a_small_defect_refund_is_recorded_once_however_often_it_arrives(world: World) -> None:
    order = world.order(channel="MFN", max_total=30)
    action = _decided(world, order.order_id)

    outcome = act_on(world.services, action)
    act_on(world.services, dict(action))

    refunds = _refunds_for(world, order.order_id)
    assert len(refunds) == 1, outcome
    assert refunds[0].state is RefundState.APPROVED
    today, _month = world.services.spend.spent(world.tid, "USD", world.now())
    assert today == refunds[0].total.amount
    case = world.services.cases.get(world.tid, action["case_id"])
    assert case is not None and case.status is CaseStatus.REFUNDED
    kept = list(world.services.impact.ledger.iter_records(world.tid))
    assert [r.amazon_order_id for r in kept] == [order.order_id]


SMTP_SECRET = "spconnector/demo-us/smtp"
SMTP_PASSWORD = "hunter2-do-not-show"


def _bad_smtp_secret_cases() -> list[tuple[str | None, str]]:
    import json

    return [
        (None, "missing or cannot be read"),
        ("{not json " + SMTP_PASSWORD, "not JSON"),
        (json.dumps([SMTP_PASSWORD]), "not a JSON object"),
        (json.dumps({"host": "smtp.example", "password": SMTP_PASSWORD}), "username must be text"),
        (
            json.dumps(
                {"host": "h", "username": "u", "password": SMTP_PASSWORD, "security": SMTP_PASSWORD}
            ),
            "security must be",
        ),
    ]


@pytest.mark.parametrize(
    ("secret", "says"),
    _bad_smtp_secret_cases(),
    ids=["missing", "not-json", "not-an-object", "lacks-a-field", "wrong-security"],
)
def test_a_bad_smtp_secret_makes_a_persons_task_and_sends_nothing(
    world: World, secret: str | None, says: str, caplog: pytest.LogCaptureFixture
) -> None:
    from spconnector.memory import MemorySecrets

    world.services.tenants.update(world.tid, smtp_mailbox=SMTP_SECRET)
    world.services.use(secrets=MemorySecrets({} if secret is None else {SMTP_SECRET: secret}))
    order = world.order(channel="MFN")
    action = _decided(world, order.order_id, "Do you have this in blue?")

    outcome = act_on(world.services, action)  # completes: no exception, so no retry, no DLQ
    again = act_on(world.services, dict(action))

    assert outcome["reply"]["status"] == "mailbox_unusable"
    assert outcome["status"] == CaseStatus.ESCALATED.value and again == outcome
    assert world.mails == []
    (escalation,) = world.escalations
    reason = next(r for r in escalation.reasons if "SMTP secret" in r)
    assert f"SMTP secret of tenant {world.tid}" in reason and says in reason
    assert SMTP_PASSWORD not in " ".join(escalation.reasons) + caplog.text
    # the buyer's message stays on the case, and the outbox is free for the person's reply
    assert world.services.cases.messages(world.tid, action["case_id"])
    assert world.services.outbox.state(world.tid, action["case_id"], "reply#000001") is None


def test_once_the_smtp_secret_is_fixed_the_next_case_goes_through_the_mailbox(
    world: World,
) -> None:
    from spconnector.memory import MemorySecrets

    world.services.tenants.update(world.tid, smtp_mailbox=SMTP_SECRET)
    world.services.use(secrets=MemorySecrets({}))
    first = _decided(world, world.order(channel="MFN").order_id, "In blue?")
    assert act_on(world.services, first)["reply"]["status"] == "mailbox_unusable"

    # a secret that reads and parses: mailer_for builds the SMTP mailer (no send attempted here)
    world.services.use(
        secrets=MemorySecrets(
            {SMTP_SECRET: '{"host": "smtp.example", "username": "u", "password": "p"}'}
        )
    )
    from spconnector.aws.smtp_mail import SmtpMailer

    assert isinstance(world.services.mailer_for(world.tenant), SmtpMailer)
