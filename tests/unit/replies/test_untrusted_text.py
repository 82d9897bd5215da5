"""Buyer-controlled text in replies: linear patterns (no regex denial of service) and a lint that
judges the reply exactly as it would be sent, wherever its words came from."""

from __future__ import annotations

import importlib
import re
import time

import pytest

from spconnector.replies import render_reply
from spconnector.replies.sanitize import buyer_text, drop_contact_details
from tests.unit.replies.support import context_for, decision_for

# `spconnector.replies.lint` the attribute is the function; these are the modules.
lint = importlib.import_module("spconnector.replies.lint")
patterns_module = importlib.import_module("spconnector.replies.patterns")
tone = importlib.import_module("spconnector.replies.tone")

# The audit's reproducers and their relatives: each took seconds to minutes before the
# patterns were bounded (a 100 KB display name made render_reply take 50 s).
PATHOLOGICAL = [
    "a" * 100_000,
    "a." * 50_000,
    " 1-" * 33_000,
    "1 " * 50_000 + "x",
    "<a" + " " * 100_000,
    "< " * 50_000,
    "+1" * 50_000,
    "a@" * 50_000,
    "a-" * 50_000 + "@",
    "x" * 64 + "@" + "b" * 100_000,
    "www." * 25_000,
]

PATTERNS = [
    (name, value)
    for module in (patterns_module, lint, tone)
    for name, value in vars(module).items()
    if isinstance(value, re.Pattern)
] + [
    (f"{module.__name__}.{name}[{i}]", value)
    for module in (lint, tone)
    for name, group in vars(module).items()
    if isinstance(group, list)
    for i, value in enumerate(group)
    if isinstance(value, re.Pattern)
]


def _seconds(call: object, *args: object) -> float:
    # CPU seconds of this thread, not wall time: a super-linear pattern burns CPU, while a busy
    # machine (the suite beside other workers) only stretches the wall clock
    start = time.thread_time()
    call(*args)  # type: ignore[operator]
    return time.thread_time() - start


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: repr(t[:6]))
def test_no_pattern_on_buyer_text_is_super_linear(text: str) -> None:
    # 1 s for 100 KB is two orders of magnitude above what a linear scan needs and two below
    # what the quadratic patterns took: a bound on the algorithm, not a speed claim.
    assert len(PATTERNS) > 50
    slow = {}
    for name, pattern in PATTERNS:
        seconds = _seconds(lambda p=pattern: list(p.finditer(text)))
        if seconds > 1.0:
            slow[name] = seconds
    assert slow == {}


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: repr(t[:6]))
def test_a_huge_display_name_or_quote_renders_at_once(text: str) -> None:
    ctx = context_for("en", buyer_name=text, buyer_quote=text)
    seconds = _seconds(render_reply, decision_for("acknowledge.product_question"), ctx)
    assert seconds < 1.0


def test_the_whole_lint_on_a_huge_text_is_linear() -> None:
    text = "Hello " + "1 " * 50_000 + "<a" + " " * 50_000
    assert _seconds(lambda: lint.lint(text, channel="email")) < 2.0


def test_an_address_longer_than_the_bound_is_still_found() -> None:
    text = "write to " + "j" * 200 + "@example.com please"
    assert lint.compliance_findings(text, channel="email")
    assert "example.com" not in drop_contact_details(text)


def test_a_huge_buyer_text_is_cut_first_and_never_leaves_half_an_address() -> None:
    text = "x " * 500 + "mail me at someone@example.com " * 10
    clean = buyer_text(text, limit=200)
    assert clean is not None and len(clean) <= 200
    assert "@" not in clean


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        # A catalog title is not the buyer's, but it goes out in the same reply.
        ("item_titles", ("Garlic press by shop-example.de",), "compliance.link"),
        ("item_titles", ("Garlic press, call 0049 30 1234 5678",), "compliance.phone"),
        ("seller_name", "Smile Kitchen (support@smile-kitchen.example.com)", "compliance.email"),
        ("signature_name", "Anna, WhatsApp +49 30 1234567", "compliance.phone"),
    ],
)
def test_contacts_anywhere_in_the_rendered_reply_fail_the_lint(
    field: str, value: object, code: str
) -> None:
    ctx = context_for("en", **{field: value})
    reply = render_reply(decision_for("acknowledge.product_question"), ctx)
    assert not reply.ok
    assert code in {f.code for f in reply.errors}


@pytest.mark.parametrize(
    ("name", "quote"),
    [
        ("Robin shop.example.de", "Is it dishwasher safe?"),
        ("+1 (555) 123-4567", "Is it dishwasher safe?"),
        ("robin@example.com", "Is it dishwasher safe?"),
        ("Robin", "call me on +49\u00a030\u00a012345678 or see www.example.org/x"),
        ("Robin", "my number is 555-123-4567, mail r.w@example.co.uk"),
    ],
)
def test_contacts_in_the_buyers_name_or_words_never_reach_the_reply(name: str, quote: str) -> None:
    ctx = context_for("en", buyer_name=name, buyer_quote=quote)
    reply = render_reply(decision_for("acknowledge.product_question"), ctx)
    sent = f"{reply.subject}\n{reply.body}"
    assert lint.contact_findings(sent) == []
    for leak in ("example", "555", "12345678", "@"):
        assert leak not in sent
