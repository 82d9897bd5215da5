"""Character trigrams: how much of an entry's way of asking, as the seller wrote it, a buyer's
words hold — a check beside BM25 that needs no stemmer or lexicon ("dishwasher"/"dish-washer",
"lavavajillas"/"lavavajilla" share most of their trigrams).

Guarantees:
- `held_share` is in [0, 1]: the largest share, over the entry's question variants in the
  buyer's language, of the variant's trigrams that the text holds; 0 when the entry has no
  variant in that language.
"""

from __future__ import annotations

import re
from functools import cache

from spconnector.kb.schema import Entry

_NOT_LETTERS = re.compile(r"[^\w]+|_", re.UNICODE)


@cache
def trigrams(text: str) -> frozenset[str]:
    words = _NOT_LETTERS.sub(" ", text.casefold()).split()
    return frozenset(g for w in words for p in (f" {w} ",) for g in _grams(p))


def _grams(padded: str) -> list[str]:
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def held_share(entry: Entry, text: str, language: str) -> float:
    held = trigrams(text)
    variants = {str(k): v for k, v in entry.ask.items()}.get(language, [])
    return max(
        (len(g & held) / len(g) for v in variants if (g := trigrams(v))),
        default=0.0,
    )
