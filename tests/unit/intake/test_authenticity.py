"""Forged relay mail: failed server checks are quarantined; look-alike domains are no relay."""

from __future__ import annotations

import pytest

from spconnector.domain import MessageKind
from spconnector.intake.authenticity import authentication_problem
from spconnector.intake.email import parse_email

BASE = (
    b'From: "Jane - Amazon Marketplace" <abc123@marketplace.amazon.com>\r\n'
    b"To: shop@example.com\r\nSubject: Inquiry from Amazon customer Jane "
    b"(Order: 113-1234567-1234567)\r\nMessage-ID: <x1@example>\r\n"
)
BODY = b"\r\n------------- Begin message -------------\r\nIt broke.\r\n"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (b"X-SES-Spam-Verdict: FAIL\r\n", "X-SES-Spam-Verdict"),
        (b"X-SES-Virus-Verdict: FAIL\r\n", "X-SES-Virus-Verdict"),
        (b"Authentication-Results: amazonses.com; spf=fail; dkim=fail header.d=evil\r\n", "spf"),
        (b"Authentication-Results: mx.example; dmarc=fail (p=REJECT)\r\n", "dmarc"),
    ],
)
def test_failed_checks_are_a_reason_to_quarantine(headers: bytes, reason: str) -> None:
    problem = authentication_problem(BASE + headers + BODY)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "headers",
    [
        b"",  # no verdicts at all: nothing proven either way
        b"X-SES-Spam-Verdict: PASS\r\nX-SES-Virus-Verdict: PASS\r\n",
        b"Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass\r\n",
        b"Authentication-Results: amazonses.com; spf=fail; dkim=pass\r\n",  # DKIM vouches
    ],
)
def test_passing_or_absent_checks_let_the_mail_in(headers: bytes) -> None:
    assert authentication_problem(BASE + headers + BODY) is None


def test_a_look_alike_relay_domain_is_not_a_buyer_relay() -> None:
    forged = BASE.replace(b"marketplace.amazon.com", b"marketplace.amazon.evil.com") + BODY
    message = parse_email(forged)
    assert message.buyer_address is None
    assert message.kind is MessageKind.OTHER
    genuine = parse_email(BASE + BODY)
    assert genuine.buyer_address == "abc123@marketplace.amazon.com"
