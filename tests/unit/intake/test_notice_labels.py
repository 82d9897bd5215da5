"""Labels of Amazon's older plain-text notices (the "Order ID: # …" layout, before the
HTML tables): the RMA id and the request date are read from their own labels."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

import pytest

from spconnector.domain.notices import NoticeFacts
from spconnector.intake.email import parse_email
from spconnector.intake.notices import label_meaning


def _facts(sender: str, subject: str, body: str) -> NoticeFacts | None:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "support@seller.example"
    mail["Subject"] = subject
    mail["Date"] = "Tue, 24 Nov 2026 10:12:00 +0000"
    mail["Message-ID"] = "<notice-label-test@amazon.com>"
    mail.set_content(body)
    return parse_email(mail.as_bytes()).facts


PLAIN_RETURN = """Dear Example Shop,

We are writing to let you know that the following return request has been authorized.

Order ID: # 114-3941689-8772232
Item: Bamboo cutting board, large
Quantity: 1
Return reason: Item defective or doesn't work
Customer comments: split along the grain after two washes
Request received: November 23, 2026
Return Authorization Number: DnTPZ1k2RRMA

Sincerely,
Amazon Services
"""


@pytest.mark.parametrize(
    ("label", "meaning"),
    [
        ("Return Authorization Number", "rma"),
        ("Numéro d'autorisation de retour", "rma"),
        ("RMA ID", "rma"),
        ("Authorization", "authorization"),
        ("Autorizzazione", "authorization"),
        ("Request received", "date"),
        ("Return request date", "date"),
        ("Return reason", "reason"),
    ],
)
def test_label_meanings(label: str, meaning: str) -> None:
    assert label_meaning(label) == meaning


def test_a_plain_text_return_notice_gives_its_rma_and_date() -> None:
    facts = _facts(
        "Amazon Seller Central <seller-notification@amazon.com>",
        "Return authorization notification for Order #: 114-3941689-8772232",
        PLAIN_RETURN,
    )
    assert facts is not None and facts.type == "return_request"
    assert facts.rma_id == "DnTPZ1k2RRMA"
    assert facts.authorization is None
    assert facts.request_date == date(2026, 11, 23)
    assert facts.items[0].comment == "split along the grain after two washes"


def test_a_label_that_closes_a_sentence_is_read() -> None:
    facts = _facts(
        '"Amazon Customer - Amazon Marketplace" <m8b2k4q9d7x1c0v@marketplace.amazon.com>',
        "Order cancellation request from Amazon customer (Order: 112-5550123-4401988)",
        "Order ID 112-5550123-4401988:\n\nA buyer has requested to cancel this order. Reason "
        "given by the buyer: Ordered by mistake\n\n------------- Begin message -------------"
        "\n\nplease cancel before it ships\n\n------------- End message -------------\n",
    )
    assert facts is not None and facts.type == "cancellation_request"
    assert facts.reason == "Ordered by mistake"
