"""Fuzz: policy YAML. Whatever the document — hostile scalars, YAML tags, broken structure —
load_policy returns a Policy or raises PolicyError; a loaded policy always compiles."""

from __future__ import annotations

import random

from hypothesis import given

from spconnector.policy import PolicyError, load_policy
from spconnector.policy.loader import compiled
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.grammar import junk, pick

INPUTS = 20_000
TEMPLATE = """name: {name}
description: {text}
defaults:
  currency: {currency}
  return_window_days: {int}
  sla_hours: {{urgent: {number}, normal: {number}}}
guards:
  autonomy_limit: {{{currency}: {number}}}
catalog:
  {sku}:
    title: {text}
    unit_cost: {number}
    return_shipping_cost: {number}
rules:
  - id: {rule_id}
    description: {text}
    when: {{intent: [{intent}], item_value: {{max: {number}}}}}
    then: {{action: {action}, refund: {{percent: {number}}}}}
"""
SCALARS = {
    "name": ["shop", "x", "'quoted'", "!!timestamp 2026-01-01", "[a", "{", "*alias", "&a x"],
    "text": ["words here", "2026-02-30", "!!binary =", "'{{ 7*7 }}'", "|", ">", ""],
    "currency": ["USD", "EUR", "usd", "XYZ", "1", "~"],
    "int": ["30", "-1", "1e5", "!!int 1e5", "99999999999999999999", "3.5", "0x1F", "0o17"],
    "number": [
        "12.5",
        "0",
        "-3",
        "1e20",
        "1e999999999",
        ".inf",
        "-.nan",
        "9" * 60,
        "!!float x",
        "!!timestamp 2026-13-45",
        "2026-01-01",
        "'12,99'",
        "true",
        "~",
        "1_000",
        "0b101",
    ],
    "sku": ["GP-01", "2026-01-01", "? complex", "'x: y'", "1e5"],
    "rule_id": ["refund-low", "Bad Id", "a" * 70, "1"],
    "intent": ["defective", "unknown", "[]", "!!timestamp 2026-01-01"],
    "action": ["refund_without_return", "escalate_review", "explode", "~"],
}


def _document(rnd: random.Random) -> str:
    fields = {}
    for key, options in SCALARS.items():
        roll = rnd.random()
        fields[key] = pick(rnd, options) if roll < 0.9 else junk(rnd, 12).replace("\n", " ")
    text = TEMPLATE.format(**fields)
    if rnd.random() < 0.15:  # cut or damaged anywhere
        at = rnd.randrange(len(text) + 1)
        text = text[:at] + (junk(rnd, 5) if rnd.random() < 0.5 else "")
    return text


def _load(text: str) -> str:
    try:
        policy = load_policy(text)
    except PolicyError as exc:
        assert str(exc)
        return "refused"
    compiled(policy)
    return "policy"


tally = Tally(INPUTS)
# The first load in a process imports PyYAML and builds the deferred policy models (cold-start
# cost, measured by bench/cold_start.py): paid once here, so the per-input budget times inputs.
_load(TEMPLATE.format(**{key: options[0] for key, options in SCALARS.items()}))


@fuzz_settings(INPUTS)
@given(SEEDS)
def test_fuzz_policy_loader(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        tally.run(_load, _document(rnd))


def test_fuzz_policy_ran_its_inputs() -> None:
    tally.check()
    assert tally.outcomes.get("refused", 0) > 0
