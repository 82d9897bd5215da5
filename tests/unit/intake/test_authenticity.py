"""Who sent it: a buyer message needs a relay From and a verdict that vouches for its domain.

The old rule let through mail with no Authentication-Results and SPF fail with DKIM none
(audit item 3); those are now `none` / `fail` and ingest quarantines them.
"""

from __future__ import annotations

import pytest

from spconnector.domain import MessageKind
from spconnector.intake.authenticity import authentication_problem
from spconnector.intake.email import parse_email

RELAY = b'"Jane - Amazon Marketplace" <abc123@marketplace.amazon.com>'
BASE = (
    b"From: " + RELAY + b"\r\n"
    b"To: shop@example.com\r\nSubject: Inquiry from Amazon customer Jane "
    b"(Order: 113-1234567-1234567)\r\nMessage-ID: <x1@example>\r\n"
)
BODY = b"\r\n------------- Begin message -------------\r\nIt broke.\r\n"
SES_PASS = (
    b"Authentication-Results: amazonses.com; spf=pass (spfCheck: domain of "
    b"marketplace.amazon.com designates 54.240.0.1 as permitted sender) client-ip=54.240.0.1; "
    b"envelope-from=bounce@marketplace.amazon.com; dkim=pass header.i=@marketplace.amazon.com; "
    b"dmarc=pass header.from=marketplace.amazon.com;\r\n"
)


def verdict(headers: bytes, base: bytes = BASE) -> tuple[str, str]:
    found = parse_email(headers + base + BODY).authenticity
    assert found is not None
    return found.verdict, found.reason


@pytest.mark.parametrize(
    "headers",
    [
        SES_PASS,
        b"Authentication-Results: mx.google.com; dkim=pass header.i=@marketplace.amazon.com "
        b"header.s=x header.b=abc; spf=pass (google.com: domain of a@marketplace.amazon.com "
        b"designates 1.2.3.4 as permitted sender) smtp.mailfrom=a@marketplace.amazon.com; "
        b"dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) header.from=marketplace.amazon.com\r\n",
        # no DMARC verdict, but SPF pass and a DKIM signature of an aligned domain
        b"Authentication-Results: mx.example; spf=pass smtp.mailfrom=amazon.com; "
        b"dkim=pass header.d=amazon.com\r\n",
    ],
)
def test_a_verdict_that_vouches_for_the_from_domain_passes(headers: bytes) -> None:
    assert verdict(headers)[0] == "pass"
    assert authentication_problem(headers + BASE + BODY) is None


@pytest.mark.parametrize(
    ("headers", "expected", "reason"),
    [
        (b"", "none", "no Authentication-Results"),
        (b"X-SES-Spam-Verdict: FAIL\r\n" + SES_PASS, "fail", "X-SES-Spam-Verdict"),
        (b"X-SES-Virus-Verdict: FAIL\r\n" + SES_PASS, "fail", "X-SES-Virus-Verdict"),
        (b"Authentication-Results: amazonses.com; spf=fail; dkim=none\r\n", "fail", "spf"),
        (b"Authentication-Results: amazonses.com; spf=fail; dkim=fail header.d=evil\r\n", "fail",
         "dkim"),
        (b"Authentication-Results: mx.example; dmarc=fail (p=REJECT)\r\n", "fail", "dmarc"),
        # passing checks for *another* domain vouch for nothing here
        (b"Authentication-Results: mx.example; spf=pass smtp.mailfrom=evil.example; "
         b"dkim=pass header.d=evil.example; dmarc=pass header.from=evil.example\r\n", "fail",
         "not vouched"),
        # SPF alone is not enough without an aligned DKIM signature
        (b"Authentication-Results: mx.example; spf=pass; dkim=none\r\n", "fail", "not vouched"),
        # alignment never stops at a registry suffix
        (b"Authentication-Results: mx.example; spf=pass; dkim=pass header.d=co.uk\r\n", "fail",
         "not vouched"),
    ],
)  # fmt: skip
def test_no_or_failed_or_foreign_verdicts_do_not_pass(
    headers: bytes, expected: str, reason: str
) -> None:
    found, why = verdict(headers)
    assert found == expected and reason in why


def test_only_the_topmost_verdict_counts() -> None:
    # A sender can write any header below the receiving server's own.
    forged_below = (
        b"Authentication-Results: amazonses.com; spf=fail; dkim=none\r\n"
        b"Authentication-Results: amazonses.com; spf=pass; dkim=pass "
        b"header.d=marketplace.amazon.com; dmarc=pass\r\n"
    )
    assert verdict(forged_below)[0] == "fail"


def test_a_relay_reply_to_does_not_make_a_buyer_message() -> None:
    # Audit item 3: From a domain passing its own checks, Reply-To the relay.
    forged = (
        b'From: "Jane" <jane@evil.example>\r\nReply-To: ' + RELAY + b"\r\n"
        b"Subject: Inquiry from Amazon customer Jane (Order: 113-1234567-1234567)\r\n"
        b"Message-ID: <x2@evil.example>\r\n"
        b"Authentication-Results: mx.example; spf=pass smtp.mailfrom=evil.example; "
        b"dkim=pass header.d=evil.example; dmarc=pass header.from=evil.example\r\n"
    )
    message = parse_email(forged + BODY)
    assert message.kind is MessageKind.OTHER
    assert message.buyer_address is None and message.buyer_name is None


def test_a_look_alike_relay_domain_is_not_a_buyer_relay() -> None:
    forged = BASE.replace(b"marketplace.amazon.com", b"marketplace.amazon.evil.com") + BODY
    message = parse_email(forged)
    assert message.buyer_address is None
    assert message.kind is MessageKind.OTHER
    genuine = parse_email(SES_PASS + BASE + BODY)
    assert genuine.buyer_address == "abc123@marketplace.amazon.com"
    assert genuine.authenticity is not None and genuine.authenticity.verdict == "pass"
