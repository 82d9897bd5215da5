from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from spconnector.domain.enums import Intent
from spconnector.intake.classifier import classify
from spconnector.intake.language import detect_language

CORPUS = Path(__file__).parents[2] / "fixtures" / "intake" / "corpus.jsonl"


def corpus() -> list[dict[str, str]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


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


def test_nothing_recognisable_is_other_with_low_confidence() -> None:
    result = classify("", "ok")
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
