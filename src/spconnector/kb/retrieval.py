"""Find the knowledge-base entries a buyer's words are about: BM25 (rank-bm25, with Lucene's
idf) over three fields of each entry, within the product the case is about: its question
variants in the buyer's language (the best one counts), its answer in that language, and the
concepts of its variants in the other languages (the best one counts). Words are Snowball
stems; the seller's synonyms, then the built-in multilingual lexicon (lexicon.yaml), read a
group of words as one token, so paraphrases and translations meet.

Guarantees:
- Only entries of the product in scope (and its family) compete: the SKU of the order, or
  the products the question names (every written word of a name, or its plural), or
  (neither known) every product — then similar entries of different products tie and
  nothing is confident. An entry competes in a language it lacks only through concepts.
- `confidence` is the top score over what the query's words score in an average entry
  (unknown words count with the weight of a word no entry has), so words the KB never
  mentions lower it; `margin` is the lead over the best *other* entry, on the same scale;
  `coverage` the idf-weighed share of the question's words the best entry holds. All three
  lie in [0, 1].
- A typed question (typed.py: "What fabric is it?") ranks only the entries that state that
  attribute; none does: no candidate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spconnector.kb.corpus import ANSWER_WEIGHT, OTHER_WEIGHT, build_corpus, by_language, ceiling_of
from spconnector.kb.lexicon import lexicon
from spconnector.kb.schema import EntryKind, KnowledgeBase
from spconnector.kb.scoring import Corpus, coverage_of
from spconnector.kb.scoring import EntryRef as EntryRef  # re-exported: part of the search API
from spconnector.kb.text import (
    asks_how,
    compound_parts,
    same_word,
    sentences,
    stop_words,
    surface_words,
    tokens,
)
from spconnector.kb.typed import asked_types, states

# A how-to question's score for a specification or normal-wear entry (1: no discount); chosen
# on the tuning set by bench/kb_decision.py's out-of-fold utility (1.0: 298, 0.8: 298, 0.65: 302,
# 0.5: 302 with more tuning questions right, 0.35: 301), never on a held-out set
HOW_FACT_WEIGHT = 0.5


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
    matched: int = 0  # distinct words of the question the best entry uses
    # share of the question's words (each weighed by how rare it is among the entries; a word
    # no entry uses weighs most) that the best entry holds in any field or language
    coverage: float = 0.0
    from_asks: float = 0.0  # share of the best entry's score its ways of asking give
    words: int = 0  # distinct words of the question scored
    # the best entry's closest way of asking (any language): shared words over all words of
    # the two (Jaccard), so a question put as the seller put it stands out from a loose match
    variant_overlap: float = 0.0
    asks_agree: bool = False  # the best entry also leads on its ways of asking alone
    answer_agree: bool = False  # ... and on its answer alone
    typed: bool = False  # the question asks for an attribute (typed.py) the entry states
    competing: int = 0  # entries in the search (after the attribute filter)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass
class KbIndex:
    kb: KnowledgeBase
    _corpora: dict[tuple[tuple[str, ...], tuple[str, ...], str], Corpus] = field(
        default_factory=dict
    )
    _synonym_maps: dict[str, dict[str, str]] = field(default_factory=dict)

    def refs_of(self, product: str) -> list[EntryRef]:
        item = self.kb.products[product]
        refs = [EntryRef(product, kind, e) for kind, e in item.entries()]
        if item.family is not None:
            fam = self.kb.families[item.family]
            refs += [EntryRef(f"family:{item.family}", kind, e) for kind, e in fam.entries()]
        return refs

    def _names(self, product: str, language: str) -> list[list[str]]:
        names = by_language(self.kb.products[product].names)
        found = names.get(language, []) + (names.get("en", []) if language != "en" else [])
        return [t for t in (self.stems(n, language) for n in found) if t]

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
        """Products whose buyer-facing names (every word of one name) occur in the text; a
        name inside a longer one that also occurs ("press" in "french press") does not count."""
        found = self._mentioned_names(text, language)
        return tuple(
            key
            for key, name in found.items()
            if not any(name < other for k, other in found.items() if k != key)
        )

    def _mentioned_names(self, text: str, language: str) -> dict[str, frozenset[str]]:
        """Each product named in the text, with the stems of its longest name found there."""
        words = set(self.stems(text, language))
        written = surface_words(text)
        found: dict[str, frozenset[str]] = {}
        for key, product in self.kb.products.items():
            written_names = by_language(product.names)
            names = written_names.get(language, []) + (
                written_names.get("en", []) if language != "en" else []
            )
            # the stems must meet and each written word too (its plural counts): stems alone
            # fold words that differ ("taglie" sizes and "tagliere" board)
            matched = [
                frozenset(t)
                for n in names
                if (t := self.stems(n, language))
                and set(t) <= words
                and all(
                    any(same_word(w, part) for w in written)
                    for part in surface_words(n)
                    if part not in stop_words(language)  # "prensa de ajos": not "de"
                )
            ]
            if matched:
                found[key] = max(matched, key=len)
        return found

    def scope_for(self, text: str, language: str, sku: str | None) -> tuple[str, ...]:
        named = self.mentioned_products(text, language)
        product = self.kb.product_for(sku)
        if named and product not in named and not self._own_words(product, text, language):
            return named  # the buyer asks about another product than the order's
        if product is not None:
            return (product,)
        return named or tuple(self.kb.products)

    def _own_words(self, product: str | None, text: str, language: str) -> bool:
        """Whether every other product's name the text holds is made of words of one of
        `product`'s own names: "press the plunger down" on a French press order names the
        garlic press's "press", but the buyer is talking about their own coffee press."""
        if product is None:
            return False
        own = [frozenset(n) for n in self._names(product, language)]
        found = self._mentioned_names(text, language)
        return all(any(name <= o for o in own) for k, name in found.items() if k != product)

    def search(
        self,
        text: str,
        language: str,
        *,
        sku: str | None = None,
        kinds: Iterable[EntryKind] | None = None,
        limit: int = 3,
        about: str | None = None,
    ) -> Search:
        """`about`: the text that says which product is meant (default `text` itself): the
        whole message when `text` is only its question."""
        about = text if about is None else about
        scope = self.scope_for(about, language, sku)
        known = bool(self.mentioned_products(about, language)) or (
            self.kb.product_for(sku) is not None
        )
        wanted = tuple(sorted(kinds)) if kinds is not None else ()
        corpus = self._corpus(scope, wanted, language)
        query = self.query_tokens(text, language, scope, corpus)
        if (corpus.asks is None and corpus.others is None) or not query:
            return Search((), 0.0, scope, product_known=known)
        scores = [0.0] * len(corpus.refs)
        if corpus.asks is not None:
            for n, score in zip(corpus.ask_owner, corpus.asks.get_scores(query), strict=True):
                scores[n] = max(scores[n], float(score))
        if corpus.others is not None and OTHER_WEIGHT:
            best_other = [0.0] * len(corpus.refs)
            for n, score in zip(corpus.other_owner, corpus.others.get_scores(query), strict=True):
                best_other[n] = max(best_other[n], float(score))
            # the best way of asking counts, in the buyer's language or another: the same
            # question put in five languages is no more evidence than put in one
            scores = [max(a, OTHER_WEIGHT * b) for a, b in zip(scores, best_other, strict=True)]
        asked = list(scores)  # what the ways of asking alone score
        answered = [0.0] * len(corpus.refs)
        if corpus.answers is not None and ANSWER_WEIGHT:
            answered = [float(v) for v in corpus.answers.get_scores(query)]
            scores = [t + ANSWER_WEIGHT * a for t, a in zip(scores, answered, strict=True)]
        from_asks = {
            ref.key: a / t for a, t, ref in zip(asked, scores, corpus.refs, strict=True) if t > 0
        }
        if asks_how(text, language):
            # "How do I clean the holes?" asks for a way of doing it: a tip or an FAQ gives
            # one, a specification or a wear note that mentions the same words seldom does
            scores = [
                t * HOW_FACT_WEIGHT if r.kind in ("spec", "normal_wear") else t
                for t, r in zip(scores, corpus.refs, strict=True)
            ]
        ranked = sorted(zip(scores, corpus.refs, strict=True), key=lambda p: p[0], reverse=True)
        # a question asking for an attribute competes only among entries that state one
        types = asked_types(text, language)
        ranked = [p for p in ranked if states(p[1].entry, p[1].kind, types)]
        if not ranked:
            return Search((), 0.0, scope, product_known=known)
        ceiling = ceiling_of(corpus, query)
        unknown = sum(q not in corpus.vocabulary for q in query) / len(query)
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
        words = corpus.words[corpus.refs.index(candidates[0].ref)]
        matched = len(set(query) & words)
        coverage = coverage_of(corpus, query, words)
        share = from_asks.get(candidates[0].ref.key, 0.0)
        scored = len(set(query))
        kept = {corpus.refs.index(r) for _, r in ranked}
        n = corpus.refs.index(candidates[0].ref)
        return Search(
            candidates, margin, scope, unknown, known, matched, coverage, share, scored,
            variant_overlap=_variant_overlap(corpus, n, set(query)),
            asks_agree=max(kept, key=lambda k: asked[k]) == n,
            answer_agree=max(kept, key=lambda k: answered[k]) == n,
            typed=bool(types),
            competing=len(ranked),
        )  # fmt: skip

    def uses_kb_words(
        self, text: str, language: str, *, sku: str | None, kinds: Iterable[EntryKind]
    ) -> bool:
        """Whether any word of `text` (beyond the product's names) is one the entries use."""
        scope = self.scope_for(text, language, sku)
        corpus = self._corpus(scope, tuple(sorted(kinds)), language)
        return any(t in corpus.vocabulary for t in self.query_tokens(text, language, scope, corpus))

    def query_tokens_of(
        self, text: str, language: str, *, about: str, sku: str | None, kinds: Iterable[EntryKind]
    ) -> list[str]:
        """The tokens `search` scores for `text` about the product `about` names (or `sku`)."""
        scope = self.scope_for(about, language, sku)
        corpus = self._corpus(scope, tuple(sorted(kinds)), language)
        return self.query_tokens(text, language, scope, corpus)

    def query_tokens(
        self, text: str, language: str, scope: tuple[str, ...], corpus: Corpus
    ) -> list[str]:
        """The question's retrieval tokens: sentences that use no word of the KB (greetings,
        sign-offs, the buyer's story) are left out, the product's own names too (they picked
        the scope), German compounds the KB does not use whole are read as their parts."""
        kept: list[str] = []
        every: list[str] = []
        concepts = lexicon(language).concepts
        for sentence in sentences(text) or [text]:
            words = self.stems(sentence, language)
            named = self.named_words(scope, words, language)
            words = [t for t in words if t not in named]
            if language == "de":
                split = corpus.stems | frozenset(concepts)
                words = [p for t in words for p in self._compound(t, split, concepts)]
            words = [concepts.get(t, t) for t in words]
            every += words
            if any(t in corpus.vocabulary for t in words):
                kept += words
        return kept or every

    def stems(self, text: str, language: str) -> list[str]:
        """Stems with the seller's synonyms read as the first word of their group."""
        synonyms = self._synonyms(language)
        words = lexicon(language)
        found = (synonyms.get(t, t) for t in tokens(text, language, words.whole))
        return [t for t in found if t not in words.filler]

    def tokens(self, text: str, language: str) -> list[str]:
        """Retrieval tokens: `stems`, then the lexicon's words read as their concept."""
        concepts = lexicon(language).concepts
        return [concepts.get(t, t) for t in self.stems(text, language)]

    # -- internals -----------------------------------------------------------------------
    @staticmethod
    def _compound(word: str, known: frozenset[str], concepts: Mapping[str, str]) -> list[str]:
        """A German compound the KB does not use whole, read as the parts it uses; a part
        the KB does not know stays as the whole word (an unknown word: "Übergröße" is not
        just "Größe")."""
        if word in concepts or word in known:
            return [word]
        parts = compound_parts(word, known)
        if not parts:
            return [word]
        if len("".join(parts)) < len(word) - 3:  # more than a linking letter or two is unknown
            parts.append(word)
        return parts

    def _synonyms(self, language: str) -> dict[str, str]:
        found = self._synonym_maps.get(language)
        if found is None:
            found = {}
            for group in by_language(self.kb.synonyms).get(language, []):
                stems = [t for word in group for t in tokens(word, language)[:1]]
                for stem in stems[1:]:
                    found.setdefault(stem, stems[0])
            self._synonym_maps[language] = found
        return found

    def _corpus(self, scope: tuple[str, ...], kinds: tuple[str, ...], language: str) -> Corpus:
        key = (scope, kinds, language)
        found = self._corpora.get(key)
        if found is None:
            found = self._corpora[key] = build_corpus(self, scope, kinds, language)
        return found


def _variant_overlap(corpus: Corpus, n: int, query: set[str]) -> float:
    """Jaccard of the query's words and entry `n`'s closest way of asking, in the buyer's
    language or (concepts) another."""
    docs = []
    for owners, bm25 in ((corpus.ask_owner, corpus.asks), (corpus.other_owner, corpus.others)):
        if bm25 is not None:
            docs += [set(f) for o, f in zip(owners, bm25.doc_freqs, strict=True) if o == n]
    return max((len(query & d) / len(query | d) for d in docs if d or query), default=0.0)
