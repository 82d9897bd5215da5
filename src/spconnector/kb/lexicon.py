"""The built-in multilingual lexicon (lexicon.yaml): general product-question words read as
one concept token per group, the same in every language, so paraphrases and translations of
a KB's words meet. Data only; a concept token never reaches a reply (answers are the entry's
own text)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from spconnector.kb.text import stem

CONCEPT_MARK = "~"  # no stem starts with it (tokens are letters and digits)


@dataclass(frozen=True)
class Lexicon:
    concepts: dict[str, str]  # stem -> concept token
    whole: frozenset[str]  # stems of hyphenated lexicon words, read as one token
    filler: frozenset[str]  # stems that say how a question is put: read as nothing


@cache
def lexicon(language: str) -> Lexicon:
    raw = yaml.safe_load(resources.files("spconnector.kb").joinpath("lexicon.yaml").read_text())
    concepts: dict[str, str] = {}
    whole: set[str] = set()
    filler = frozenset(stem(str(w), language) for w in raw["_filler"].get(language, []))
    for name, by_language in raw.items():
        if name.startswith("_"):
            continue
        for word in by_language.get(language, []):
            s = stem(str(word), language)
            concepts.setdefault(s, CONCEPT_MARK + name)  # the first group keeps a shared stem
            if "-" in str(word):
                whole.add(s)
    return Lexicon(concepts, frozenset(whole), filler - concepts.keys())


def is_concept(token: str) -> bool:
    return token.startswith(CONCEPT_MARK)
