"""Find the knowledge-base entries a buyer's words are about: BM25 (rank-bm25) over each
entry's question variants and answer, per language, within the product the case is about.

Guarantees:
- Only entries with question variants in the buyer's language compete, and only those of
  the product in scope (and its family) compete: the SKU of the order, or the
  products the question names, or (neither known) every product — then similar entries of
  different products tie and nothing is confident.
- `confidence` is the top score over what the query's words score in an average entry (unknown words
  count with the weight of a word no entry has), so words the KB never mentions lower it;
  `margin` is the lead over the best *other* entry, on the same scale. Both lie in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rank_bm25 import BM25Okapi

from spconnector.kb.schema import Entry, EntryKind, KnowledgeBase, Language
from spconnector.kb.text import tokens

K1 = 1.5
B = 0.75


@dataclass(frozen=True)
class EntryRef:
    owner: str  # the product key, or "family:<name>"
    kind: EntryKind
    entry: Entry

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.kind}/{self.entry.id}"


@dataclass(frozen=True)
class Candidate:
    ref: EntryRef
    score: float
    confidence: float


@dataclass(frozen=True)
class Search:
    candidates: tuple[Candidate, ...]  # best first, one per entry
    margin: float
    scope: tuple[str, ...]  # the product keys searched
    unknown: float = 0.0  # share of the question's words no entry in scope uses
    product_known: bool = True  # False: neither the SKU nor a product name set the scope

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class _Corpus:
    refs: list[EntryRef]
    bm25: BM25Okapi | None
    size: int


@dataclass
class KbIndex:
    kb: KnowledgeBase
    _corpora: dict[tuple[tuple[str, ...], tuple[str, ...], str], _Corpus] = field(
        default_factory=dict
    )

    def refs_of(self, product: str) -> list[EntryRef]:
        item = self.kb.products[product]
        refs = [EntryRef(product, kind, e) for kind, e in item.entries()]
        if item.family is not None:
            fam = self.kb.families[item.family]
            refs += [EntryRef(f"family:{item.family}", kind, e) for kind, e in fam.entries()]
        return refs

    def _names(self, product: str, language: str) -> list[list[str]]:
        names = _by_language(self.kb.products[product].names)
        found = names.get(language, []) + (names.get("en", []) if language != "en" else [])
        return [t for t in (tokens(n, language) for n in found) if t]

    def named_words(self, products: Iterable[str], words: list[str], language: str) -> set[str]:
        """The words of the products' names that occur whole in `words`."""
        present = set(words)
        return {
            t
            for p in products
            for name in self._names(p, language)
            if set(name) <= present
            for t in name
        }

    def mentioned_products(self, text: str, language: str) -> tuple[str, ...]:
        """Products whose buyer-facing names (every word of one name) occur in the text."""
        words = set(tokens(text, language))
        found = []
        for key, product in self.kb.products.items():
            by_language = _by_language(product.names)
            names = by_language.get(language, []) + (
                by_language.get("en", []) if language != "en" else []
            )
            if any((t := tokens(n, language)) and set(t) <= words for n in names):
                found.append(key)
        return tuple(found)

    def scope_for(self, text: str, language: str, sku: str | None) -> tuple[str, ...]:
        named = self.mentioned_products(text, language)
        if named:
            return named
        product = self.kb.product_for(sku)
        if product is not None:
            return (product,)
        return tuple(self.kb.products)

    def search(
        self,
        text: str,
        language: str,
        *,
        sku: str | None = None,
        kinds: Iterable[EntryKind] | None = None,
        limit: int = 3,
    ) -> Search:
        scope = self.scope_for(text, language, sku)
        known = bool(self.mentioned_products(text, language)) or (
            self.kb.product_for(sku) is not None
        )
        wanted = tuple(sorted(kinds)) if kinds is not None else ()
        corpus = self._corpus(scope, wanted, language)
        # the product's own names pick the scope; within it they say nothing about the entry
        words = tokens(text, language)
        named = self.named_words(scope, words, language)
        query = [t for t in words if t not in named]
        if corpus.bm25 is None or not query:
            return Search((), 0.0, scope, product_known=known)
        scores = corpus.bm25.get_scores(query)
        best: dict[str, tuple[float, EntryRef]] = {}
        for ref, score in zip(corpus.refs, scores, strict=True):
            found = best.get(ref.key)
            if found is None or score > found[0]:
                best[ref.key] = (float(score), ref)
        ranked = sorted(best.values(), key=lambda pair: pair[0], reverse=True)
        ceiling = self._ceiling(corpus, query)
        unknown = sum(q not in corpus.bm25.idf for q in query) / len(query)
        candidates = tuple(
            Candidate(ref, score, min(1.0, score / ceiling) if ceiling > 0 else 0.0)
            for score, ref in ranked[:limit]
            if score > 0
        )
        if not candidates:
            return Search((), 0.0, scope, product_known=known)
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        top = candidates[0].score
        margin = min(1.0, max(0.0, (top - max(second, 0.0)) / ceiling)) if ceiling > 0 else 0.0
        return Search(candidates, margin, scope, unknown, known)

    # -- internals -----------------------------------------------------------------------
    def _corpus(self, scope: tuple[str, ...], kinds: tuple[str, ...], language: str) -> _Corpus:
        key = (scope, kinds, language)
        found = self._corpora.get(key)
        if found is not None:
            return found
        refs: list[EntryRef] = []
        docs: list[list[str]] = []
        seen: set[str] = set()
        for product in scope:
            for ref in self.refs_of(product):
                if (kinds and ref.kind not in kinds) or (
                    ref.owner.startswith("family:") and ref.key in seen
                ):
                    continue
                seen.add(ref.key)
                # one document per question variant in the buyer's language and one for the
                # answer in it (once, so its words keep their weight); stems of different
                # languages never meet ("faire"/"fair")
                variants = _by_language(ref.entry.ask).get(language, [])
                if not variants:
                    continue
                for text in (*variants, _by_language(ref.entry.answer).get(language, "")):
                    refs.append(ref)
                    docs.append(tokens(text, language))
        bm25 = BM25Okapi(docs, k1=K1, b=B) if docs and any(docs) else None
        corpus = _Corpus(refs, bm25, len(docs))
        self._corpora[key] = corpus
        return corpus

    @staticmethod
    def _ceiling(corpus: _Corpus, query: list[str]) -> float:
        """What `query` scores against an entry of average length holding each of its words
        once (BM25's k1 + 1 over 1 + k1): shorter entries may score a little above it."""
        assert corpus.bm25 is not None
        unseen = math.log((corpus.size + 0.5) / 0.5)
        idf = corpus.bm25.idf
        return float(sum(max(float(idf.get(q, unseen)), 0.0) for q in query))


def _by_language[T](texts: Mapping[Language, T]) -> dict[str, T]:
    # keyed by the plain code, so a buyer's language of any spelling can be looked up
    return {str(k): v for k, v in texts.items()}
