"""Fuzz: `reply render` on its own — a mutated decision (each field given a hostile value, or
the JSON cut), the mutated cases `policy decide` is fuzzed with, and hostile options
(language, channel, seller name, signature, care notes, replacement). The command prints the
reply, or exits 1 (lint errors: such a reply is never sent) or 2 with one line on stderr.
Never a traceback, never over a second of CPU."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given

from spconnector.cli.reply import render
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.grammar import junk, pick, value
from tests.fuzz.test_fuzz_cli import CASE, _call, _case, _write

RENDER_INPUTS = 20_000
DECISION = {
    "action": "refund_without_return",
    "refund": {"amount": "12.99", "currency": "USD", "requires_return": False},
    "ask_for_photos": False,
    "reply_template": "refund_without_return.low_value",
    "priority": "normal",
    "respond_by": "2026-11-20T21:00:00Z",
    "needs_approval": False,
    "rules": ["low-value-problem"],
    "guards": [],
    "explanation": "fuzz",
    "policy_version": "sha256:1b809defd33e",
    "intent": "defective",
    "tenant": "demo-us",
    "case_id": "demo-us#order#113-1234567-1234567",
    "decided_at": "2026-11-20T10:00:00Z",
}
ACTIONS = ["refund_without_return", "replace", "educate", "escalate_review", "acknowledge", "x"]
TEMPLATES = [
    "refund_without_return.low_value",
    "replace.default",
    "escalate_review.cancel_request",
    "acknowledge.default",
    "nope.nope",
]

render_tally = Tally(RENDER_INPUTS)


def _decision(rnd: random.Random) -> str:
    decision = json.loads(json.dumps(DECISION))
    field = pick(rnd, ["action", "refund", "reply_template", "respond_by", "rules", "ask", ""])
    if field == "action":
        decision["action"] = value(rnd, ACTIONS)
    elif field == "refund":
        amount = value(rnd, ["12.99", "0", "-5", "12,99", "1e999999999", "NaN"])
        decision["refund"] = pick(
            rnd, [None, {"amount": amount, "currency": value(rnd, ["USD", "EUR", "XXX"])}]
        )
    elif field == "reply_template":
        decision["reply_template"] = value(rnd, TEMPLATES)
    elif field == "respond_by":
        decision["respond_by"] = value(rnd, ["2026-11-20T21:00:00Z", "9999-12-31T23:59:59Z"])
    elif field == "rules":
        decision["rules"] = pick(rnd, [[], [value(rnd, ["low-value-problem"])], "r"])
    elif field == "ask":
        decision["ask_for_photos"] = value(rnd, ["true", "1"])
    text = json.dumps(decision)
    if rnd.random() < 0.1:
        text = text[: rnd.randrange(len(text) + 1)] + junk(rnd, 4)
    return text


@fuzz_settings(RENDER_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_reply_render(tmp: Path, seed: int) -> None:
    rnd = random.Random(seed)
    case_text = json.dumps(CASE)
    for n in range(BATCH):
        case = _write(tmp, f"rc{n}.json", _case(rnd) if rnd.random() < 0.5 else case_text)
        decision = _write(tmp, f"rd{n}.json", _decision(rnd))
        language = pick(rnd, [None, "en", "DE", "xx", value(rnd, ["fr"])])
        channel = pick(rnd, ["email", "messaging", value(rnd, ["email"])])
        options = [value(rnd, ["Acme", "Jo"]) if rnd.random() < 0.3 else None for _ in range(2)]
        notes = [value(rnd, ["Rinse after use."])] if rnd.random() < 0.2 else None
        replacement = value(rnd, ["in size M"]) if rnd.random() < 0.2 else None
        render_tally.run(
            _call,
            render,
            case,
            decision,
            rnd.random() < 0.5,
            language,
            channel,
            *options,
            notes,
            replacement,
            None,
        )


def test_fuzz_cli_reply_render_ran_its_inputs() -> None:
    render_tally.check()
    assert render_tally.outcomes.get("exit 0", 0) > 0
    assert render_tally.outcomes.get("exit 2", 0) > 0
