"""Mail → decision on fakes for Amazon's customer-service contacts and seller news: the words
a buyer's own message is refunded on, relayed by Amazon's customer service, move no money and
give a person a high-priority task with the mail's deadline; A-to-z and refund news, which
names no order, is a low-priority note and never a claim or a refund."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from spconnector.domain import CaseStatus, Decision, MessageKind
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from tests import fixture_generators
from tests.functional.jobs.conftest import relay_mail
from tests.unit.jobs.conftest import World

DEFECT = "The item arrived broken, it does not work at all."


def _decide(world: World, raw: bytes) -> tuple[str, list[Decision]]:
    outcome = ingest_email(world.services, world.tenant, raw)
    assert outcome.status == "ingested", outcome
    assert outcome.case_id is not None
    for event in world.drain("case_events"):
        process_case_event(world.services, event)
    for action in world.drain("actions"):
        act_on(world.services, action)
    return outcome.case_id, world.services.cases.decisions(world.tid, outcome.case_id)


def _cs_template(order_id: str, details: str) -> str:
    return (
        "Hello,\n\nWe've been contacted by a customer regarding the order identified below.\n\n"
        f"--------------------\nOrder#: {order_id}\nItem: Something\n"
        f"Reason: Item defective\n\nDetails:\n{details}\n--------------------\n\n"
        "To respond to this customer, please reply to this e-mail or visit your seller account "
        "at the following link:\nhttps://sellercentral.amazon.com/messaging\n\nSincerely,\n"
        "Customer Service\nAmazon.com"
    )


def test_the_buyers_words_relayed_by_customer_service_move_no_money(world: World) -> None:
    # Control: the buyer's own message with these words is refunded under this policy.
    own = world.order(channel="MFN", max_total=30)
    _, decisions = _decide(world, relay_mail(own.order_id, DEFECT, received_at=world.now()))
    assert decisions[-1].action.moves_money, decisions

    relayed = world.order(channel="MFN", max_total=30)
    body = _cs_template(relayed.order_id, DEFECT)
    case_id, decisions = _decide(world, relay_mail(relayed.order_id, body, received_at=world.now()))

    (decision,) = decisions
    assert not decision.action.moves_money and decision.refund is None
    assert decision.notice is MessageKind.CUSTOMER_SERVICE_CONTACT
    assert decision.priority.value == "high"
    assert "customer service" in decision.explanation and relayed.order_id in decision.explanation
    assert world.services.refund_ledger.refunds_for_order(world.tid, relayed.order_id) == []
    case = world.services.cases.get(world.tid, case_id)
    assert case is not None and case.status is CaseStatus.ESCALATED
    # no reply went to the relay alias as if the buyer had written
    assert all(relayed.order_id not in mail.text for mail in world.mails)


def test_customer_service_contacts_and_news_in_every_language_move_no_money(
    world: World,
) -> None:
    gen = fixture_generators.notices()
    orders: dict[tuple[str, int], str] = {}

    def order_id(market: Any, n: int) -> str:  # one real order per mail
        if (market.lang, n) not in orders:
            orders[market.lang, n] = world.order(channel="MFN").order_id
        return orders[market.lang, n]

    gen.order_id = order_id
    seen: set[str] = set()
    for n, lang in enumerate(gen.MARKETS):
        for k, mail in enumerate(gen.service_mail_for(lang)):
            raw = gen.render(mail, 700 + 2 * n + k)
            case_id, decisions = _decide(world, raw)
            (decision,) = decisions
            assert not decision.action.moves_money and decision.refund is None, mail.name
            message = world.services.cases.messages(world.tid, case_id)[-1]
            seen.add(message.kind.value)
            if message.kind is MessageKind.CUSTOMER_SERVICE_CONTACT:
                assert message.amazon_order_id == mail.expected["order"]
                assert decision.priority.value == "high", mail.name
                stated = mail.expected["facts"].get("respond_within_hours", 24)
                assert decision.respond_by == message.received_at + timedelta(hours=stated)
                refunds = world.services.refund_ledger.refunds_for_order(
                    world.tid, message.amazon_order_id
                )
                assert refunds == [], mail.name
            else:
                assert message.kind is MessageKind.SELLER_NEWS, mail.name
                assert message.amazon_order_id is None
                assert decision.priority.value == "low", mail.name
                assert "A-to-z" not in decision.explanation  # never a claim task
    assert seen == {"customer_service_contact", "seller_news"}
    claims = [e for e in world.escalations if "A-to-z claim" in " ".join(e.reasons)]
    assert claims == []
