r"""The renderer's fast paths answer as the slower code they replaced: the buyer's quoted
words are blanked before the wording lint exactly where the regex `(?<!\w)VALUE(?!\w)`
would match (whole occurrences, left to right), and ASCII text loses exactly the control
characters the per-character category rule drops."""

from __future__ import annotations

import random
import re
import unicodedata

from spconnector.replies.render import _blank_whole
from spconnector.replies.sanitize import strip_control

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


def _by_category(text: str, keep_newlines: bool) -> str:
    out = []
    for ch in text:
        if ch in "\r\n\t":
            out.append("\n" if keep_newlines and ch == "\n" else " ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(ch)
    return "".join(out)


def test_strip_control_on_ascii_drops_what_the_category_rule_drops() -> None:
    rnd = random.Random(12)
    for _ in range(5_000):
        text = "".join(
            chr(rnd.randrange(0, 128)) if rnd.random() < 0.95 else rnd.choice(["é", "\u202e"])
            for _ in range(rnd.randrange(0, 16))
        )
        for keep in (False, True):
            assert strip_control(text, keep_newlines=keep) == _by_category(text, keep), text
