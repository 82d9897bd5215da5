"""Typed questions (typed.yaml): a question asking for an attribute of the product — its
material, size, weight or capacity — is answered only by an entry that states it.

Guarantees:
- `asked_types` reads only the question's own sentences (those that ask), never the buyer's
  story: "synthetic fabrics make me itch" types nothing, "What fabric is the t-shirt?" does.
  A few search-box words (text.is_short: "tee material") are typed by the attribute's nouns,
  unless a word says the noun is about something else ("guarantee length").
- `states` holds only for a specification entry (the KB's section for what the product is:
  dimensions, materials, capacity, what is in the box) whose answer, in any of its languages,
  holds a value of one of the asked types; an FAQ that mentions "the glass carafe" or a symptom
  entry that mentions "organic cotton" does not state the material. A type may name other
  kinds that answer it as they are (`also`: "we don't sell a lid" answers "Does it come with
  a lid?"). A question of no type: every entry may answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from spconnector.kb.schema import Entry, EntryKind
from spconnector.kb.text import is_question, is_short, sentences


@dataclass(frozen=True)
class _Type:
    asks: dict[str, tuple[re.Pattern[str], ...]]  # by language
    values: tuple[re.Pattern[str], ...]
    names: dict[str, frozenset[str]]  # the attribute's own nouns, by language (fragments)
    unless: dict[str, frozenset[str]]  # words that make those nouns about something else
    also: frozenset[str]  # other entry kinds that answer the type without stating a value


@cache
def _types() -> dict[str, _Type]:
    raw = yaml.safe_load(resources.files("spconnector.kb").joinpath("typed.yaml").read_text())
    return {
        name: _Type(
            {
                lang: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
                for lang, patterns in spec["asks"].items()
            },
            tuple(re.compile(p, re.IGNORECASE) for p in spec["values"]),
            {
                lang: frozenset(w.casefold() for w in words)
                for lang, words in spec.get("names", {}).items()
            },
            {
                lang: frozenset(w.casefold() for w in words)
                for lang, words in spec.get("unless", {}).items()
            },
            frozenset(spec.get("also", ())),
        )
        for name, spec in raw.items()
    }


def asked_types(text: str, language: str) -> frozenset[str]:
    """The attribute types the text's questions ask for (empty: an untyped question)."""
    said = sentences(text) or [text]
    asking = [s for s in said if is_question(s)] or said[-1:]
    asked = {
        name
        for name, kind in _types().items()
        for pattern in kind.asks.get(language, ())
        if any(pattern.search(s) for s in asking)
    }
    if is_short(text):
        # "tee material", "Pfanne Gewicht?": a few words naming the attribute ask for it
        words = {w.casefold() for w in re.findall(r"\w+", text)}
        asked |= {
            name
            for name, kind in _types().items()
            if words & kind.names.get(language, set())
            and not words & kind.unless.get(language, set())
        }
    return frozenset(asked)


def states(entry: Entry, kind: EntryKind, types: frozenset[str]) -> bool:
    """Whether the entry can answer a question asking for `types`."""
    if not types:
        return True
    found = _types()
    if any(kind in found[name].also for name in types):
        return True
    if kind != "spec":
        return False
    texts = list(entry.answer.values())
    return any(p.search(t) for name in types for p in found[name].values for t in texts)
