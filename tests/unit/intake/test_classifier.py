from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from spconnector.domain.enums import Intent
from spconnector.intake.classifier import (
    MODEL_MAX_CONFIDENCE,
    RuleClassifier,
    classify,
    normalize,
)
from spconnector.intake.language import detect_language
from spconnector.intake.naive_bayes import load_examples

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
CORPUS = FIXTURES / "corpus.jsonl"
EVAL_SETS = ("holdout.jsonl", "holdout2.jsonl", "holdout3.jsonl", "eval_blind.jsonl")
REFUND_RELEVANT = ("defective", "damaged_in_transit", "wrong_item", "not_as_described")
# eval_blind.jsonl is frozen: written before the classifier's second round, never edited.
EVAL_BLIND_SHA256 = "bb24420839f571be75b86cae6edd4f296c7b04daafd5ff6863b6bc5249d57510"


def rows_of(name: str) -> list[dict[str, str]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


def corpus() -> list[dict[str, str]]:
    return rows_of("corpus.jsonl")


def test_corpus_is_big_and_covers_every_intent_and_language() -> None:
    rows = corpus()
    assert len(rows) >= 80
    assert {r["intent"] for r in rows} == {i.value for i in Intent}
    assert {r["language"] for r in rows} == {"en", "de", "fr", "es", "it"}
    non_english = Counter(r["intent"] for r in rows if r["language"] != "en")
    families = {
        "damage or defect": ("defective", "damaged_in_transit"),
        "wrong or not as described": ("wrong_item", "not_as_described"),
        "size and fit": ("size_fit",),
        "not received": ("not_received",),
        "return or cancel": ("return_request", "cancel_request"),
        "question": ("product_question",),
    }
    for family, intents in families.items():
        assert sum(non_english[i] for i in intents) >= 10, family


def test_overall_accuracy_on_corpus_is_at_least_90_percent() -> None:
    rows = corpus()
    hits = sum(classify(r["subject"], r["text"]).intent.value == r["intent"] for r in rows)
    assert hits / len(rows) >= 0.9


def test_language_detection_on_corpus_is_at_least_90_percent() -> None:
    rows = corpus()
    hits = sum(classify(r["subject"], r["text"]).language == r["language"] for r in rows)
    assert hits / len(rows) >= 0.9


def test_negation_keeps_damage_out() -> None:
    result = classify("", "The box was not damaged at all, but the fan doesn't spin.")
    assert result.intent is Intent.DEFECTIVE
    assert "damaged" not in result.evidence


def test_abusive_wins_over_a_stated_reason() -> None:
    result = classify("", "You idiots sent the wrong item AGAIN.")
    assert result.intent is Intent.ABUSIVE
    assert "idiots" in result.evidence


def test_reason_beats_bare_return_wish() -> None:
    assert classify("", "I want to return it, it's too small").intent is Intent.SIZE_FIT
    assert classify("", "How do I return this?").intent is Intent.RETURN_REQUEST


def test_nothing_recognisable_is_other() -> None:
    # The model's confidence is that of the label it gives, `other` included (it sends the
    # message to a person); the rule classifier's "nothing matched" stays below 0.5.
    assert classify("", "ok").intent is Intent.OTHER
    result = RuleClassifier().classify("", "ok")
    assert result.intent is Intent.OTHER and result.confidence < 0.5 and result.evidence == ()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Das Paket ist nicht angekommen", "de"),
        ("Le colis n'est pas arrivé", "fr"),
        ("El pedido no ha llegado todavía", "es"),
        ("Il pacco non è arrivato", "it"),
        ("The parcel has not arrived", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text)[0] == language


def test_detect_language_without_votes_uses_default() -> None:
    assert detect_language("12345", default="de") == ("de", 0.0)


def test_eval_blind_is_frozen_and_big_enough() -> None:
    raw = (FIXTURES / "eval_blind.jsonl").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == EVAL_BLIND_SHA256
    rows = rows_of("eval_blind.jsonl")
    per_intent = Counter(r["intent"] for r in rows)
    assert len(rows) >= 120 and set(per_intent) == {i.value for i in Intent}
    assert min(per_intent.values()) >= 10
    assert sum(r["language"] != "en" for r in rows) >= 40


def test_eval_blind_accuracy_and_refund_precision_floors() -> None:
    """Regression guard: 91.0 % measured (80.7 % before the second round), 2 points margin;
    refund-relevant intents measured 90-100 % precise each, 97.7 % together."""
    rows = rows_of("eval_blind.jsonl")
    got = [classify(r["subject"], r["text"]).intent.value for r in rows]
    hits = sum(g == r["intent"] for g, r in zip(got, rows, strict=True))
    assert hits / len(rows) >= 0.89
    right_all = named_all = 0
    for intent in REFUND_RELEVANT:
        named = [r["intent"] for g, r in zip(got, rows, strict=True) if g == intent]
        right = sum(truth == intent for truth in named)
        assert named and right / len(named) >= 0.85, intent
        right_all, named_all = right_all + right, named_all + len(named)
    assert right_all / named_all >= 0.95


def test_model_trains_only_on_the_training_sets() -> None:
    shipped = load_examples()
    sources = rows_of("corpus.jsonl") + rows_of("train_extra.jsonl")
    expected = [
        (f"{r['subject']}\n{r['text']}" if r["subject"] else r["text"], r["intent"])
        for r in sources
    ]
    assert shipped == expected  # rebuild: python -m spconnector.intake.naive_bayes …
    trained = {normalize(text).strip() for text, _ in shipped}
    overlap = {
        normalize(r["text"]).strip()
        for name in EVAL_SETS
        for r in rows_of(name)
        if normalize(r["text"]).strip() in trained
    }
    # One everyday sentence was written independently into corpus.jsonl and eval_blind.jsonl
    # (a rule decides it either way); nothing else of the evaluation sets is trained on.
    assert overlap <= {"bitte stornieren sie meine bestellung, ich habe mich vertan."}


def test_model_decides_only_when_rules_abstain_and_says_so() -> None:
    text = "my earbuds keep cutting out after two days"  # no rule phrase in it
    rules_only = RuleClassifier(model=None).classify("", text)
    assert rules_only.intent is Intent.OTHER and rules_only.evidence == ()
    result = RuleClassifier().classify("", text)
    assert result.intent is Intent.DEFECTIVE
    assert 0.0 < result.confidence <= MODEL_MAX_CONFIDENCE and result.evidence


def test_model_abstains_on_messages_without_content_words() -> None:
    for text in ("ok", "hello?", "Bonjour, merci", "Hallo, bitte"):
        assert RuleClassifier().classify("", text).intent is Intent.OTHER, text
    # The trained model may read a bare "merci" as thanks; never as anything that moves money.
    for text in ("ok", "hello?", "Bonjour, merci", "Hallo, bitte"):
        assert classify("", text).intent in (Intent.OTHER, Intent.FEEDBACK), text


def test_threats_are_abusive_even_with_a_refund_wish() -> None:
    result = classify("", "Refund me today, I know where you live.")
    assert result.intent is Intent.ABUSIVE
