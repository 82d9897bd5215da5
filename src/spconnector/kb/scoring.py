"""The scoring parts of KB retrieval (retrieval.py): an entry as retrieval sees it, one BM25
corpus per product scope and language, BM25 with Lucene's idf, and coverage (how much of a
question an entry holds)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rank_bm25 import BM25Okapi

from spconnector.kb.schema import Entry, EntryKind
from spconnector.kb.text import compound_parts


@dataclass(frozen=True)
class EntryRef:
    owner: str  # the product key, or "family:<name>"
    kind: EntryKind
    entry: Entry

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.kind}/{self.entry.id}"


@dataclass
class Corpus:
    refs: list[EntryRef]  # one per entry
    asks: BM25Okapi | None  # one document per question variant
    ask_owner: list[int]  # the entry (index in refs) of each variant document
    answers: BM25Okapi | None  # one document per entry, in the order of refs
    others: BM25Okapi | None  # the concepts of each variant in another language
    other_owner: list[int]
    size: int
    vocabulary: frozenset[str]
    words: list[set[str]]  # each entry's words, both fields
    stems: frozenset[str]  # the stems before the lexicon (where German compounds are cut)


def lucene_idf(documents: int, holding: int) -> float:
    # Lucene's BM25 idf: never zero or negative, so a word most of a small KB uses still counts
    return math.log(1 + (documents - holding + 0.5) / (holding + 0.5))


class LuceneBm25(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's Okapi BM25 with Lucene's idf: Okapi's original idf is zero or negative for
    a word in half the documents or more, which a small product's few entries often are."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.idf = {word: lucene_idf(self.corpus_size, freq) for word, freq in nd.items()}


def coverage_of(corpus: Corpus, query: list[str], words: set[str]) -> float:
    """The idf-weighed share of `query` that `words` hold (idf over entries: a word every
    entry uses says little, a word none uses the most)."""
    n = len(corpus.words)
    weights = []
    for q in set(query):
        df = sum(q in w for w in corpus.words)
        weights.append((math.log(1 + n / (1 + df)), q in words))
    total = sum(w for w, _ in weights)
    return sum(w for w, held in weights if held) / total if total else 0.0


def with_parts(doc: list[str], vocabulary: frozenset[str]) -> list[str]:
    return doc + [p for t in doc for p in compound_parts(t, vocabulary - {t})]
