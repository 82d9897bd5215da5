"""Chatty messages: the question is read before the buyer's context, which counts only as a
fallback; a question that asks about its context is read with it; disagreement goes to a
person; and nothing in the answer comes from anywhere but the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from spconnector.kb import KbIndex, answer_question, load_kb
from spconnector.kb.answer import entry_text
from spconnector.kb.questions import question_searches
from spconnector.kb.text import is_question, question_focus

DEMO = Path(__file__).resolve().parents[3] / "src" / "spconnector" / "kb" / "demo.yaml"
INDEX = KbIndex(load_kb(DEMO.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("sentence", "focus"),
    [
        ("Hi, before I buy: is the mandoline dishwasher safe?",
         "is the mandoline dishwasher safe?"),
        ("I was wondering whether the skillet works on induction.",
         "the skillet works on induction."),
        ("Hallo, könnten Sie mir sagen, ob die Pfanne in die Spülmaschine darf?",
         "die Pfanne in die Spülmaschine darf?"),
        ("Bonjour, je voudrais savoir si la chemise rétrécit.", "la chemise rétrécit."),
        ("Hola, quisiera saber si la mandolina va al lavavajillas.",
         "la mandolina va al lavavajillas."),
        ("Buongiorno, vorrei sapere se la padella va in lavastoviglie.",
         "la padella va in lavastoviglie."),
        ("Hello, I'm careful, what is it made of?", "what is it made of?"),
        ("Is it dishwasher safe, and does the blade come included?",
         "Is it dishwasher safe, and does the blade come included?"),
        ("Hola, ¿la sartén funciona en inducción?", "¿la sartén funciona en inducción?"),
    ],
)  # fmt: skip
def test_the_question_is_cut_from_what_the_buyer_put_before_it(sentence: str, focus: str) -> None:
    assert question_focus(sentence) == focus


def test_an_indirect_question_asks_and_a_statement_does_not() -> None:
    assert is_question("Je voudrais savoir si la poêle va au four.")
    assert is_question("I'd like to know if it comes with a glove")
    assert not is_question("I would like a refund.")
    assert not is_question("My husband loves cooking.")


@pytest.mark.parametrize(
    ("message", "language", "sku", "expected"),
    [
        ("Hello! My husband loves cooking and I want to surprise him for his birthday next "
         "week. Can this press go in the dishwasher? Best wishes, Anne", "en", "KG-GARLIC",
         ["KG-GARLIC/faq/dishwasher"]),
        ("Hi, I'm looking for a present for my dad. I was wondering whether the skillet works "
         "on an induction cooktop. Thanks, Kim", "en", "KG-SKILLET", ["KG-SKILLET/faq/induction"]),
        ("Hallo, könnten Sie mir sagen, ob die Pfanne in die Spülmaschine darf? Danke, Petra",
         "de", "KG-SKILLET", ["KG-SKILLET/faq/dishwasher"]),
        # the demo's question, before any order: the product named in part 1 scopes part 2
        ("Hi, before I buy: is the mandoline dishwasher safe, and does the {{size}} blade come "
         "included? <b>Need it by Friday</b>.", "en", None,
         ["KG-MANDOLINE/faq/dishwasher", "KG-MANDOLINE/spec/in-the-box"]),
    ],
)  # fmt: skip
def test_a_chatty_message_is_answered_from_its_question(
    message: str, language: str, sku: str | None, expected: list[str]
) -> None:
    answer = answer_question(INDEX, message, language, sku=sku)
    assert answer.answered, answer.reason
    assert [e.key for e in answer.entries] == expected
    # every word of the answer is the entries' own text: the buyer's story adds nothing
    texts = [entry_text(e, language, "en")[0] for e in answer.entries]
    assert answer.text == " ".join(texts)


def test_the_question_alone_is_more_confident_than_read_with_the_buyers_story() -> None:
    message = ("Dear seller, I have had the mandoline for two years and use it almost every "
               "day. Can I buy replacement blades somewhere? Best, Jo")  # fmt: skip
    alone, with_context = question_searches(INDEX, message, "en", "KG-MANDOLINE")
    assert with_context is not None and alone.best is not None and with_context.best is not None
    assert alone.best.confidence > with_context.best.confidence
    assert alone.coverage > with_context.coverage


def test_a_question_about_its_context_is_read_with_the_sentence_before_it() -> None:
    alone, _ = question_searches(
        INDEX, "I love it. The blade wobbles. Is that normal?", "en", "KG-MANDOLINE"
    )
    assert alone.best is not None and alone.best.ref.key == "KG-MANDOLINE/issue/loose-blade"


@pytest.mark.parametrize(
    ("message", "sku"),
    [
        ("Hello, I'm planning to buy two of these for my restaurant. Is it oven safe? Thanks",
         "KG-GARLIC"),
        ("Hi, I bought the t-shirt in white last month and really like it. Does it also come "
         "in navy blue? Best", "AP-TEE"),
        ("Hi, is the mandoline dishwasher safe, and can I get it in green?", "KG-MANDOLINE"),
    ],
)  # fmt: skip
def test_a_chatty_question_the_kb_cannot_answer_goes_to_a_person(message: str, sku: str) -> None:
    answer = answer_question(INDEX, message, "en", sku=sku)
    assert not answer.answered and answer.text is None and answer.entries == ()


_NO_BARS = {
    "min_confidence": 0.0, "min_margin": 0.0, "max_unknown": 1.0, "min_coverage": 0.0,
    "min_probability": 0.0,
}  # fmt: skip


def test_question_and_context_pointing_at_different_entries_go_to_a_person() -> None:
    # alone the question is about the lid; read with the whole story, about the crack
    message = (
        "The skillet has a crack along the bottom, a crack in cast iron, the skillet cracked. "
        "Do you sell a lid for the skillet?"
    )
    alone, with_context = question_searches(INDEX, message, "en", "KG-SKILLET")
    assert alone.best is not None and alone.best.ref.key == "KG-SKILLET/alternative/no-lid"
    assert with_context is not None and with_context.best is not None
    assert with_context.best.ref.key == "KG-SKILLET/issue/crack"
    # even with every bar at zero (both searches "confident"), a person decides
    answer = answer_question(INDEX, message, "en", sku="KG-SKILLET", **_NO_BARS)
    assert not answer.answered and answer.text is None
    assert "read with the buyer's context at KG-SKILLET/issue/crack" in answer.reason


def test_question_and_context_that_agree_are_answered() -> None:
    message = (
        "My skillet cracked, there is a crack in the cast iron. Does the lifetime guarantee work?"
    )
    answer = answer_question(INDEX, message, "en", sku="KG-SKILLET", **_NO_BARS)
    assert answer.answered and answer.entry is not None
    assert answer.entry.key == "KG-SKILLET/warranty/lifetime"
