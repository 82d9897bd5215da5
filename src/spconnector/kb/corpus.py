"""The BM25 corpus retrieval (retrieval.py) searches for one product scope, entry kinds and
language: three fields per entry, and the ceiling a query's words could score.

Guarantees:
- Only the scope's entries (the product's own, then its family's not already present) of the
  wanted kinds are indexed; an entry with no text in the language and no concept is left out.
- Stems of different languages never meet: another language lends only its concepts.
- The ceiling counts a word no entry uses as much as the rarest word could (times
  UNKNOWN_WEIGHT), so words the KB never mentions lower a search's confidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from spconnector.kb.lexicon import is_concept, lexicon
from spconnector.kb.schema import Language
from spconnector.kb.scoring import Corpus, EntryRef, LuceneBm25, lucene_idf, with_parts

K1 = 1.5
B = 0.75
# How much the answer's words count next to the best question variant's, and how much a word
# no entry uses weighs in the ceiling (1: as much as the rarest word could). Chosen on the
# tuning set (by the threshold grid bench/answers.py --tune had until issue 16's fourth round),
# never on a held-out set.
ANSWER_WEIGHT = 1.0
UNKNOWN_WEIGHT = 0.5
# How much the entry's question variants in the other languages count (their concepts only;
# the best variant of either field counts)
OTHER_WEIGHT = 0.75


class Tokenizer(Protocol):
    """What the corpus needs of the index: its entries and how it reads words."""

    def refs_of(self, product: str) -> list[EntryRef]: ...

    def stems(self, text: str, language: str) -> list[str]: ...

    def tokens(self, text: str, language: str) -> list[str]: ...


def by_language[T](texts: Mapping[Language, T]) -> dict[str, T]:
    # keyed by the plain code, so a buyer's language of any spelling can be looked up
    return {str(k): v for k, v in texts.items()}


def _concepts_of(index: Tokenizer, text: str, language: str) -> list[str]:
    return [t for t in index.tokens(text, language) if is_concept(t)]


def build_corpus(
    index: Tokenizer, scope: tuple[str, ...], kinds: tuple[str, ...], language: str
) -> Corpus:
    refs: list[EntryRef] = []
    ask_docs: list[list[str]] = []
    ask_owner: list[int] = []
    answer_docs: list[list[str]] = []
    extra_docs: list[list[str]] = []
    extra_asks: list[tuple[int, list[str]]] = []
    seen: set[str] = set()
    for product in scope:
        for ref in index.refs_of(product):
            if (kinds and ref.kind not in kinds) or (
                ref.owner.startswith("family:") and ref.key in seen
            ):
                continue
            seen.add(ref.key)
            # three fields per entry: in the buyer's language (stems of different
            # languages never meet: "faire"/"fair") the question variants, each a
            # document of its own (the best one counts), and the answer; and the
            # concepts of the variants in the other languages
            variants = by_language(ref.entry.ask).get(language, [])
            answer = by_language(ref.entry.answer).get(language, "")
            # the entry's other languages lend their concepts (never their stems): a
            # question in German meets an entry the seller wrote in English only, and
            # the English variants' ways of asking
            other_asks = [
                held
                for lang, texts in by_language(ref.entry.ask).items()
                if lang != language
                for text in texts
                if (held := _concepts_of(index, text, lang))
            ]
            other_answers = [
                t
                for lang, text in by_language(ref.entry.answer).items()
                if lang != language
                for t in _concepts_of(index, text, lang)
            ]
            if not variants and not answer and not other_asks and not other_answers:
                continue
            n = len(refs)
            refs.append(ref)
            for variant in variants:
                ask_docs.append(index.stems(variant, language))
                ask_owner.append(n)
            answer_docs.append(index.stems(answer, language))
            extra_docs.append(other_answers)
            extra_asks += [(n, doc) for doc in other_asks]
    stems = frozenset(t for doc in (*ask_docs, *answer_docs) for t in doc)
    if language == "de":  # the KB's compounds also hold their parts the KB uses alone
        split = stems | frozenset(lexicon(language).concepts)
        ask_docs = [with_parts(doc, split) for doc in ask_docs]
        answer_docs = [with_parts(doc, split) for doc in answer_docs]
    concepts = lexicon(language).concepts
    ask_docs = [[concepts.get(t, t) for t in doc] for doc in ask_docs]
    other_docs = [doc for _, doc in extra_asks]
    other_owner = [n for n, _ in extra_asks]
    answer_docs = [
        [concepts.get(t, t) for t in doc] + extra
        for doc, extra in zip(answer_docs, extra_docs, strict=True)
    ]
    asks = LuceneBm25(ask_docs, k1=K1, b=B) if ask_docs and any(ask_docs) else None
    answers = LuceneBm25(answer_docs, k1=K1, b=B) if answer_docs and any(answer_docs) else None
    others = LuceneBm25(other_docs, k1=K1, b=B) if other_docs else None
    vocabulary = frozenset(t for doc in (*ask_docs, *answer_docs, *other_docs) for t in doc)
    words = [set(doc) for doc in answer_docs]
    pairs = (*zip(ask_owner, ask_docs, strict=True), *zip(other_owner, other_docs, strict=True))
    for owner, doc in pairs:
        words[owner] |= set(doc)
    return Corpus(
        refs, asks, ask_owner, answers, others, other_owner, max(len(ask_docs), 1),
        vocabulary, words, stems,
    )  # fmt: skip


def ceiling_of(corpus: Corpus, query: list[str]) -> float:
    """What `query` scores against an entry of average length holding each of its words
    once (BM25's k1 + 1 over 1 + k1), in every field: shorter entries may score a little
    above it. A word the KB never uses counts as much as the rarest word could."""
    unseen = lucene_idf(corpus.size, 0)
    ask_idf = corpus.asks.idf if corpus.asks is not None else {}
    answer_idf = corpus.answers.idf if corpus.answers is not None else {}
    other_idf = corpus.others.idf if corpus.others is not None else {}
    total = 0.0
    for q in query:
        if q in corpus.vocabulary:
            total += max(float(ask_idf.get(q, 0.0)), OTHER_WEIGHT * other_idf.get(q, 0.0))
            total += ANSWER_WEIGHT * float(answer_idf.get(q, 0.0))
        else:
            total += (max(1, OTHER_WEIGHT) + ANSWER_WEIGHT) * unseen * UNKNOWN_WEIGHT
    return total
