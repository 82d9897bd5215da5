"""Every action × variant × language renders, matches its golden file and passes the lint.

Regenerate after an intended wording change: UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/replies
(then read the diff before committing it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spconnector.domain import Action
from spconnector.replies import render_reply, template_names
from spconnector.replies.render import TEMPLATE_DIR
from tests.unit.replies.support import LANGUAGES, ORDER_ID, context_for, currency_for, decision_for

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "replies" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

REQUIRED = {a.value for a in Action} | {
    "request_info.photos",
    "educate.care",
    "decline.custom_item",
    "decline.final_sale",
    "replace.size_exchange",
    "acknowledge.product_question",
    "acknowledge.kb_answer",
    "acknowledge.not_received",
    "escalate_review.cancel_request",
    "escalate_owner.holding",
    "refund_without_return.low_value",
    "refund_without_return.defect_photo",
    "feedback_follow_up",
}
CASES = [(lang, name) for lang in LANGUAGES for name in sorted(REQUIRED)]


def test_every_named_template_exists_in_every_language() -> None:
    assert set(template_names()) == REQUIRED
    for lang in LANGUAGES:
        present = {p.stem for p in (TEMPLATE_DIR / lang).glob("*.j2") if not p.name.startswith("_")}
        assert present == REQUIRED, lang


@pytest.mark.parametrize(("language", "template"), CASES)
def test_golden_reply(language: str, template: str) -> None:
    decision = decision_for(template, currency=currency_for(language))
    reply = render_reply(decision, context_for(language))

    assert reply.template == template
    assert reply.language == language
    assert reply.findings == [], [str(f) for f in reply.findings]
    assert reply.ok
    assert ORDER_ID in reply.body
    assert len(reply.body) <= 2000
    # short, like a person writes: the greeting, sign-off and tips are extra
    assert len(reply.body.split()) < 150

    text = f"Subject: {reply.subject}\n\n{reply.body}\n"
    path = GOLDEN / language / f"{template}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")
