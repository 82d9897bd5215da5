"""A buyer's message read for its questions: which parts it asks, and the searches each part
gets (answer.py decides from them).

Guarantees:
- Every question sentence is a part, with the statements before it as its context; only a
  short follow-on that asks nothing of its own ("Any tips?", "Is that normal?") is read with
  the question before it, and "…, and does …" splits one sentence into two questions.
- A part's question is searched on its own (without lead-ins); the part with its context is
  searched too only when the context adds a word the KB could use.
- The product searched is the one the question names, else its part, else the message,
  else the order's SKU.
"""

from __future__ import annotations

import re

from spconnector.kb.retrieval import KbIndex, Search
from spconnector.kb.schema import EntryKind
from spconnector.kb.text import FOLLOW_ON, is_question, question_focus, sentences, tokens

_QUESTION_KINDS: tuple[EntryKind, ...] = (
    "faq",
    "spec",
    "tip",
    "issue",
    "normal_wear",
    "warranty",
    "alternative",
)
# "…, and does …": a second question joined to the first in one sentence
_AND_ASKS = re.compile(
    r",?\s+(?:and|und|et|y|e)\s+(?=(?:does|do|is|are|can|will|would|how|what|which|"
    r"ist|sind|kann|können|hat|wie|was|gibt|est-ce|peut|comment|quel|quelle|"
    r"se puede|puede|tiene|cómo|qué|viene|si può|può|come|quale|viene)\b)",
    re.IGNORECASE,
)


def question_parts(index: KbIndex, text: str, language: str, sku: str | None) -> list[str]:
    """The message's questions, each with the statements before it (the buyer's context for
    that question). Every question counts: one the KB has no word for is a part the KB
    cannot answer, so a person answers the message (a question is never left unanswered);
    only a short follow-on ("Any tips?") is read with the question before it."""
    parts: list[str] = []
    pending: list[str] = []
    for sentence in sentences(text):
        pending.append(sentence)
        if is_question(sentence):
            part = " ".join(pending)
            pending = []
            # a follow-on that asks nothing of its own ("Any tips?", "Is that normal?")
            # belongs to the question before it
            if parts and set(tokens(part, language)) <= FOLLOW_ON:
                parts[-1] = f"{parts[-1]} {part}"
            else:
                # "is it dishwasher safe, and does the blade come included?": two questions,
                # each read as one (the first keeps no question mark of its own)
                pieces = [p.strip() for p in _AND_ASKS.split(part) if p and p.strip()]
                parts += [p if is_question(p) else f"{p}?" for p in pieces]
    return parts


def question_searches(
    index: KbIndex, part: str, language: str, sku: str | None, message: str | None = None
) -> tuple[Search, Search | None]:
    """The part's question searched on its own, then (None when the part is only its
    question) the whole part with the buyer's context. The product is the one the question
    names, else the one its part names, else the one the whole `message` names ("is the
    mandoline dishwasher safe, and does the blade come included?"), else the order's."""
    said = sentences(part)
    asked = [s for s in said if is_question(s)]
    focus = " ".join(question_focus(s) for s in asked) if asked else question_focus(part)
    if not focus or set(tokens(focus, language)) <= FOLLOW_ON:
        # "I soaked it overnight. The blade wobbles. Is that normal?": the question asks about
        # what was said just before it
        first = said.index(asked[0]) if asked else len(said)
        if first == 0:
            about = part if message is None or index.mentioned_products(part, language) else message
            return index.search(part, language, sku=sku, kinds=_QUESTION_KINDS, about=about), None
        focus = " ".join(said[first - 1 :])
    about = next(
        (t for t in (focus, part, message or part) if index.mentioned_products(t, language)), part
    )
    alone = index.search(focus, language, sku=sku, kinds=_QUESTION_KINDS, about=about)
    kinds = _QUESTION_KINDS
    same = index.query_tokens_of(focus, language, about=about, sku=sku, kinds=kinds)
    if same == index.query_tokens_of(part, language, about=about, sku=sku, kinds=kinds):
        return alone, None  # the context adds no word the KB could use
    return alone, index.search(part, language, sku=sku, kinds=kinds, about=about)
