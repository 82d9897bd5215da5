"""Text → features, written once for training and for inference so both see the same thing.

The analyzers reproduce scikit-learn's TfidfVectorizer `char_wb` (2–5) and `word` (1–2)
analyzers exactly (tests check it against scikit-learn), so inference needs no scikit-learn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

CHAR_RANGE = (2, 5)
WORD_RANGE = (1, 2)
MAX_CHARS = 4000  # buyer messages are short; a huge body is read by its start

_SPECIAL = str.maketrans({"ß": "ss", "’": "'", "‘": "'", "`": "'", "´": "'"})
_WHITE = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# Emoji carry tone ("😡"); keep them as words, drop other symbols.
_REPEATS = re.compile(r"(\w)\1{2,}")
# Punctuation that ends a word, and ¿ ¡ that open one, stand apart from it: "broke!" reads as
# "broke" (plus "!"), not as grams that only exclamations such as "Thanks!" had taught.
_TRAILING = re.compile(r"([!?.,;:]+)(?=\s|$)")
_LEADING = re.compile(r"(^|\s)([¿¡]+)")
# Only ! and ¡ apart: "broke!" still reads as "broke", while "one?" and "back." keep the grams
# that carried what the buyer wants (setting every mark apart cost wants on the dev sets).
_TRAILING_BANG = re.compile(r"(!+)(?=\s|$)")
_LEADING_BANG = re.compile(r"(^|\s)(¡+)")
_BANGS = re.compile(r"[!¡]+")


def fold(text: str) -> str:
    """Lower case, accents folded, ß → ss, straight apostrophes, letter runs shortened: what
    the phrase rules read."""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower().translate(_SPECIAL))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _REPEATS.sub(r"\1\1", folded)


def normalize(text: str) -> str:
    """What a format-2 model reads: the folded text with punctuation set apart from the word
    it ends (or, for ¿ ¡, opens)."""
    return _LEADING.sub(r"\1\2 ", _TRAILING.sub(r" \1", fold(text)))


def normalize_exclamations(text: str) -> str:
    """The folded text with only ! (ending a word) and ¡ (opening one) set apart from it."""
    return _LEADING_BANG.sub(r"\1\2 ", _TRAILING_BANG.sub(r" \1", fold(text)))


def without_exclamations(text: str) -> str:
    """The folded text with ! and ¡ dropped: a mark every intent uses, which "Thanks!" rows
    had taught to mean feedback ("The product broke!" leaned to feedback)."""
    return _BANGS.sub(" ", fold(text))


def reader(artifact_format: int) -> Callable[[str], str]:
    """What a model of this artifact format reads: 1 the folded text, 2 every mark set apart,
    3 only exclamation marks set apart, 4 exclamation marks dropped. Training and inference
    take it from here."""
    return {
        1: fold,
        2: normalize,
        3: normalize_exclamations,
        4: without_exclamations,
    }[artifact_format]


def char_ngrams(text: str) -> list[str]:
    """scikit-learn's `_char_wb_ngrams` over an already normalized text."""
    low, high = CHAR_RANGE
    grams: list[str] = []
    append = grams.append
    for word in _WHITE.sub(" ", text).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                append(padded[offset : offset + n])
            if offset == 0:  # a short word counted once
                break
    return grams


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's word analyzer (token_pattern, 1–2 grams) over a normalized text."""
    tokens = _TOKEN.findall(text)
    grams = list(tokens)
    for n in range(WORD_RANGE[0] + 1, min(WORD_RANGE[1] + 1, len(tokens) + 1)):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams
