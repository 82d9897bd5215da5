"""Whether a search's best entry is safe to answer with: a logistic model over the search's
figures (decision.json), trained with scikit-learn on the tuning set only (bench/kb_decision.py:
the dev sets and the KB's own question variants, never a held-out row).

Guarantees:
- `probability` is in [0, 1]: the model's estimate that the best entry is the right one;
  no search or no candidate is 0.
- Inference is plain arithmetic over the stored weights (scikit-learn is a training
  dependency only, as for the understanding model).
- The features are computed from the search and the question alone, the same way in
  training and in use (`features`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spconnector.kb.ngrams import held_share
from spconnector.kb.retrieval import Search
from spconnector.kb.text import asks_how, asks_something, is_fragment

FEATURES = (
    "confidence",  # top score over what the question's words could score
    "margin",  # lead over the next entry, same scale
    "unknown",  # share of the question's words no entry uses
    "coverage",  # rare-word-weighed share of the question the entry holds
    "matched",  # distinct question words the entry uses (capped at 4, over 4)
    "second_ratio",  # the next entry's score over the top one's
    "from_asks",  # share of the top score the entry's ways of asking give
    "asks_a_report",  # a question (not "Is that normal?") met by a symptom entry
    "query_words",  # how many words were scored (log)
    "margin_x_coverage",  # a lead over every other entry on all of the question's words
    "report_not_met",  # a statement of a symptom (no question) met by no symptom or tip entry
    "variant_overlap",  # Jaccard of the question and the entry's closest way of asking
    "asks_agree",  # the entry also leads on its ways of asking alone
    "answer_agree",  # the entry also leads on its answer alone
    "typed",  # an attribute question (typed.py) met by an entry stating it
    "competing",  # entries in the search (log): more neighbours, more room to be wrong
    "how_meets_fact",  # a how-to question met by a specification, wear, warranty or alternative
    "kind_tip",  # the entry's kind: a care or use tip
    "kind_spec",  # ... a specification
    "kind_symptom",  # ... a known issue or normal wear
    "trigram_held",  # share of the entry's closest way of asking (its trigrams) the text holds
    "trigram_lead",  # that share's lead over the next candidates'
    "fragment",  # search-box words ("skillet weight"), neither a question nor a statement
    "kind_alternative",  # ... something we don't sell: it answers only a question about that
)


@dataclass(frozen=True)
class DecisionModel:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # the least probability answered with (chosen on the tuning set)

    def probability(self, row: list[float]) -> float:
        z = self.intercept + sum(
            c * (x - m) / s
            for c, x, m, s in zip(self.coef, row, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def features(search: Search, text: str, language: str) -> list[float] | None:
    """The model's inputs for `search` of `text` (None: nothing to decide on)."""
    best = search.best
    if best is None:
        return None
    second = search.candidates[1].score if len(search.candidates) > 1 else 0.0
    report = best.ref.kind in ("issue", "normal_wear")
    held = held_share(best.ref.entry, text, language)
    asks = asks_something(text, language)
    fragment = is_fragment(text)
    return [
        best.confidence,
        search.margin,
        search.unknown,
        search.coverage,
        min(search.matched, 4) / 4,
        second / best.score if best.score > 0 else 1.0,
        search.from_asks,
        float(report and asks),
        math.log1p(search.words),
        search.margin * search.coverage,
        # search-box words name what they ask for without asking: not a statement
        float(not asks and not fragment and best.ref.kind not in ("issue", "normal_wear", "tip")),
        search.variant_overlap,
        float(search.asks_agree),
        float(search.answer_agree),
        float(search.typed),
        math.log1p(search.competing),
        float(asks_how(text, language) and best.ref.kind not in ("tip", "faq", "issue")),
        float(best.ref.kind == "tip"),
        float(best.ref.kind == "spec"),
        float(report),
        held,
        held
        - max(
            (held_share(c.ref.entry, text, language) for c in search.candidates[1:]), default=0.0
        ),
        float(fragment),
        float(best.ref.kind == "alternative"),
    ]


@cache
def model() -> DecisionModel:
    raw = json.loads(resources.files("spconnector.kb").joinpath("decision.json").read_text())
    if tuple(raw["features"]) != FEATURES:
        raise ValueError("decision.json was trained on other features: retrain it")
    return DecisionModel(
        tuple(raw["mean"]),
        tuple(raw["scale"]),
        tuple(raw["coef"]),
        float(raw["intercept"]),
        float(raw["threshold"]),
    )


def probability(search: Search, text: str, language: str) -> float:
    row = features(search, text, language)
    return 0.0 if row is None else model().probability(row)
