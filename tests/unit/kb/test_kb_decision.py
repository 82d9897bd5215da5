"""The answer/abstain model (kb/decision.py, decision.json): its inputs are the search's own
figures, its output a probability the product compares with the stored threshold."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from spconnector.kb import KbIndex, answer_question, load_kb
from spconnector.kb.decision import FEATURES, features, model, probability
from spconnector.kb.retrieval import Search

DEMO = Path(__file__).resolve().parents[3] / "src" / "spconnector" / "kb" / "demo.yaml"
INDEX = KbIndex(load_kb(DEMO.read_text(encoding="utf-8")))


def test_the_stored_model_matches_the_features_and_has_a_threshold() -> None:
    raw = json.loads(resources.files("spconnector.kb").joinpath("decision.json").read_text())
    assert tuple(raw["features"]) == FEATURES
    assert len(raw["coef"]) == len(raw["mean"]) == len(raw["scale"]) == len(FEATURES)
    assert 0.0 < model().threshold < 1.0


def test_no_candidate_is_never_answered() -> None:
    empty = Search((), 0.0, ("KG-SKILLET",))
    assert features(empty, "Does it come in blue?", "en") is None
    assert probability(empty, "Does it come in blue?", "en") == 0.0


def test_a_clear_question_scores_above_a_vague_one_and_the_bar_decides() -> None:
    clear = "Does the skillet work on an induction hob?"
    vague = "Is it any good for my kitchen?"
    p_clear = probability(INDEX.search(clear, "en", sku="KG-SKILLET"), clear, "en")
    p_vague = probability(INDEX.search(vague, "en", sku="KG-SKILLET"), vague, "en")
    assert 0.0 <= p_vague < p_clear <= 1.0
    assert p_clear >= model().threshold
    assert answer_question(INDEX, clear, "en", sku="KG-SKILLET").answered
    # the same question with the bar above its probability goes to a person
    above = min(1.0, p_clear + 1e-6)
    assert not answer_question(INDEX, clear, "en", sku="KG-SKILLET", min_probability=above).answered


def test_a_question_put_as_the_seller_put_it_overlaps_its_variant_fully() -> None:
    # the KB's own way of asking meets itself: Jaccard 1; a loose paraphrase less
    own = INDEX.search("Does it work on induction?", "en", sku="KG-SKILLET")
    loose_q = "Any issue using it over my new induction cooktop?"
    loose = INDEX.search(loose_q, "en", sku="KG-SKILLET")
    assert own.best is not None and own.best.ref.key == "KG-SKILLET/faq/induction"
    assert own.variant_overlap == 1.0
    assert loose.best is not None and 0.0 < loose.variant_overlap < own.variant_overlap
    assert own.asks_agree and own.competing >= 2


def test_an_attribute_question_is_marked_typed() -> None:
    typed = INDEX.search("What is the carafe made of?", "en", sku="KG-FRENCHPRESS")
    untyped = INDEX.search("Is the french press dishwasher safe?", "en", sku="KG-FRENCHPRESS")
    assert typed.typed and not untyped.typed
    assert typed.best is not None and typed.best.ref.kind == "spec"


def test_a_how_to_question_is_told_from_a_question_of_fact() -> None:
    from spconnector.kb.text import asks_how

    for text, lang in (
        ("How do I clean the holes?", "en"),
        ("Wie reinige ich die Löcher?", "de"),
        ("Comment nettoyer les trous ?", "fr"),
        ("¿Cómo limpio los agujeros?", "es"),
        ("Come si pulisce?", "it"),
    ):
        assert asks_how(text, lang), text
    for text, lang in (("How big is the skillet?", "en"), ("Wie groß ist die Pfanne?", "de")):
        assert not asks_how(text, lang), text
    # a statement asks nothing: "how I use it" in a story is not a how-to question
    assert not asks_how("I love how I can use it every day.", "en")


def test_a_how_to_question_ranks_a_tip_above_a_spec_using_its_words() -> None:
    # the in-the-box spec names "a small cleaning brush for the holes"; the tip says how.
    # (The dishwasher FAQ still leads here, so the decision must hand it over: the discount
    # only keeps a specification from leading a how-to question.)
    search = INDEX.search("¿Cómo limpio los agujeros?", "es", sku="KG-GARLIC")
    keys = [c.ref.key for c in search.candidates]
    assert keys.index("KG-GARLIC/tip/cleaning") < keys.index("KG-GARLIC/spec/in-the-box")
    got = answer_question(INDEX, "¿Cómo limpio los agujeros?", "es", sku="KG-GARLIC")
    assert [e.key for e in got.entries] in ([], ["KG-GARLIC/tip/cleaning"])


def test_trigrams_hold_a_way_of_asking_written_a_little_differently() -> None:
    from spconnector.kb.ngrams import held_share

    entry = next(r.entry for r in INDEX.refs_of("KG-GARLIC") if r.key.endswith("faq/dishwasher"))
    own = entry.ask["en"][0]
    assert held_share(entry, own, "en") == 1.0
    near = held_share(entry, "is the garlic-press dish-washer safe", "en")
    far = held_share(entry, "Where do you ship from?", "en")
    assert 0.0 <= far < near < 1.0
    assert held_share(entry, own, "xx") == 0.0  # no variant in that language


def test_search_box_words_are_not_a_statement_of_a_symptom() -> None:
    # "skillet weight" asks for the weight: the "statement met by no symptom entry" input,
    # which holds a bare report ("The handle wobbles") back from a spec, stays off for it
    names = list(FEATURES)
    words = "skillet weight"
    row = features(INDEX.search(words, "en", sku="KG-SKILLET"), words, "en")
    assert row is not None
    assert row[names.index("fragment")] == 1.0
    assert row[names.index("report_not_met")] == 0.0
    said = "The skillet weighs too much for me."
    row = features(INDEX.search(said, "en", sku="KG-SKILLET"), said, "en")
    assert row is not None and row[names.index("fragment")] == 0.0
    assert row[names.index("report_not_met")] == 1.0


def test_the_fit_weighs_a_wrong_answer_as_the_threshold_does() -> None:
    # bench/kb_decision.py: the fit and the threshold's utility use the same cost
    source = (DEMO.parents[3] / "bench" / "kb_decision.py").read_text(encoding="utf-8")
    assert "NEGATIVE_WEIGHT = float(WRONG_COST)" in source
    assert "w_ = np.where(y_, w_, w_ * args.negative_weight)" in source
