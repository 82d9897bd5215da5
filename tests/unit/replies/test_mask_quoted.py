r"""The buyer's quoted words are blanked before the wording lint exactly where the regex
`(?<!\w)VALUE(?!\w)` would match: whole occurrences only, left to right."""

from __future__ import annotations

import random
import re

from spconnector.replies.render import _blank_whole

PIECES = ["a", "b", "_", " ", "é", "1", "٣", ".", "-", "\n", "ab", "ba", "²", "\u0301", "░"]


def _by_regex(text: str, value: str) -> str:
    whole = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
    return whole.sub(lambda m: "░" * len(m.group(0)), text)


def test_blanking_matches_the_regex_on_random_text() -> None:
    rnd = random.Random(11)
    for _ in range(5_000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(0, 14)))
        value = "".join(rnd.choice(PIECES) for _ in range(rnd.randrange(1, 4)))
        assert _blank_whole(text, value) == _by_regex(text, value), (text, value)


def test_a_name_inside_a_longer_word_is_left_alone() -> None:
    assert _blank_whole("Anna, Annabel and Anna_x and Anna.", "Anna") == (
        "░░░░, Annabel and Anna_x and ░░░░."
    )
