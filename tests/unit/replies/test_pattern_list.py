"""PatternList (the lint's pattern lists behind one combined pass) answers exactly as trying
each pattern in turn: on every golden reply and on random buyer-like text, for every list."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

from spconnector.replies.patterns import PatternList

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "replies" / "golden"
WORDS = ["sorry", "if", "any", "inconvenience", "discount", "feedback", "5", "stars", "remove",
         "update", "your", "review", "refund", "photo", "before", "we", "can", "Ich", "tut",
         "mir", "leid", "désolé", "siento", "mi", "dispiace", "."]  # fmt: skip
# (`spconnector.replies.lint` the module: the package's `lint` is the function)
MODULES = [importlib.import_module(f"spconnector.replies.{n}") for n in ("tone", "lint")]
LISTS = [v for m in MODULES for v in vars(m).values() if isinstance(v, PatternList)]


def _texts() -> list[str]:
    rnd = random.Random(3)
    texts = [p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.txt"))]
    texts += [" ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(1, 30))) for _ in range(150)]
    return texts


def test_the_combined_pass_answers_as_each_pattern_in_turn() -> None:
    assert len(LISTS) >= 10
    for text in _texts():
        for patterns in LISTS:
            each = [m.span() for p in patterns for m in p.finditer(text)]
            assert [m.span() for m in patterns.matches(text)] == each
            assert patterns.any_match(text) is bool(each)
            first = next((m for p in patterns if (m := p.search(text))), None)
            found = patterns.first_search(text)
            assert (found and found.span()) == (first and first.span())
