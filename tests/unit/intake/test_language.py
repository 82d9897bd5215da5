"""The language detector (fastText's lid.176, restricted to the languages asked for)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spconnector.intake.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("DAS GERÄT FUNKTIONIERT NICHT MEHR, ICH WILL MEIN GELD ZURÜCK", "de"),  # capitals
        ("le produit est arrivé cassé\net je voudrais un remboursement", "fr"),  # two lines
        ("Grazie mille, tutto perfetto", "it"),
        ("hola no me ha llegado el pedido", "es"),
        ("Hi, where is my parcel? It was due on Monday.", "en"),
    ],
)
def test_the_five_languages_are_read(text: str, language: str) -> None:
    found, share = detect_language(text)
    assert found == language and 0.5 < share <= 1.0


def test_a_marketplace_language_beyond_the_five_only_when_asked_for() -> None:
    dutch = "Het pakket is nog steeds niet aangekomen, kunt u mij helpen?"
    assert detect_language(dutch, default="nl", also="nl")[0] == "nl"
    assert detect_language(dutch)[0] != "nl"  # not asked for: one of the five
    assert detect_language("Paketet har inte kommit fram än", default="sv", also="sv")[0] == "sv"


@pytest.mark.parametrize(
    "text", ["12345", "👍👍", "?!", "", "ご注文の商品が届きません", "\udc80\udcff", "\x00\x00"]
)
def test_a_text_it_cannot_place_gives_the_callers_default(text: str) -> None:
    assert detect_language(text, default="de") == ("de", 0.0)


def test_a_long_text_is_read_within_its_bound() -> None:
    found, _ = detect_language("das ist kaputt " * 100_000)
    assert found == "de"


def test_a_lone_surrogate_or_a_nul_in_the_text_is_no_error() -> None:
    # mail bytes decoded with surrogateescape keep lone surrogates; fastText takes UTF-8 only
    assert detect_language("where is my order\udc80 please")[0] == "en"
    assert detect_language("wo ist meine Bestellung\x00 bitte")[0] == "de"


@settings(max_examples=3000, deadline=None)
@given(
    text=st.text(alphabet=st.characters(exclude_categories=()), max_size=300),
    also=st.sampled_from([None, "nl", "sv", "pl", "tr", "pt", "xx"]),
)
def test_any_text_gives_a_language_asked_for_or_the_default(text: str, also: str | None) -> None:
    found, share = detect_language(text, default="fr", also=also)
    assert found in ("en", "de", "fr", "es", "it", also) and 0.0 <= share <= 1.0
