"""Rendering: sandbox and strictness, buyer text as data, language choice, promises kept."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from spconnector.domain import Money, RefundSpec
from spconnector.replies import ReplyRenderError, language_for, render_reply
from spconnector.replies import render as render_module
from tests.unit.replies.support import ORDER_ID, context_for, decision_for

# --- buyer text is data ----------------------------------------------------------------------

INJECTION = (
    "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %} {{ ''.__class__.__mro__ }} "
    "{{ cycler.__init__.__globals__ }}"
)


def test_template_code_in_buyer_words_appears_literally_and_never_runs() -> None:
    ctx = context_for("en", buyer_quote=INJECTION, buyer_name="{{ 7*7 }}")
    reply = render_reply(decision_for("acknowledge.product_question"), ctx)

    assert "{{ 7*7 }}" in reply.body
    assert "{% for x in range(3) %}loop{% endfor %}" in reply.body
    assert "49" not in reply.body
    assert "looploop" not in reply.body
    assert "<class" not in reply.body
    assert "Hi {{" in reply.body  # the name is data too
    assert reply.ok
    assert reply.findings == []


@pytest.mark.parametrize(
    "quote",
    [
        "Sorry if this is a silly question, do you have a discount code or a coupon?",
        "I'll give you 5 stars if it's dishwasher safe!",
        "Du bist schuld, your fault, gift card?",
    ],
)
def test_the_buyers_own_words_do_not_block_the_reply(quote: str) -> None:
    ctx = context_for("en", buyer_quote=quote)
    reply = render_reply(decision_for("acknowledge.product_question"), ctx)
    assert quote in reply.body
    assert reply.ok, [str(f) for f in reply.findings]


def test_our_own_words_are_still_linted_next_to_the_buyers() -> None:
    ctx = context_for("en", buyer_quote="coupon?", care_notes=("Use coupon SAVE10 next time.",))
    reply = render_reply(decision_for("educate"), ctx)
    assert "compliance.incentive" in {f.code for f in reply.errors}


def test_control_characters_in_buyer_text_are_removed() -> None:
    quote = "Is it\x00 dishwasher\x1b[31m safe?\u202e\u200b\r\nThanks"
    ctx = context_for("en", buyer_quote=quote, buyer_name="Ro\x07bin\u202e")
    body = render_reply(decision_for("acknowledge.product_question"), ctx).body

    assert "Is it dishwasher[31m safe? Thanks" in body
    assert "Hi Robin," in body
    assert not any(ord(c) < 32 and c != "\n" for c in body)
    assert "\u202e" not in body and "\u200b" not in body


def test_links_emails_and_phones_in_buyer_words_are_not_echoed() -> None:
    quote = (
        "Is it dishwasher safe? See https://evil.example.net/x or www.spam.shop, "
        "mail me at jane@gmail.com or call +1 555 123 4567."
    )
    ctx = context_for("en", buyer_quote=quote, buyer_name="jane@gmail.com")
    reply = render_reply(decision_for("acknowledge.product_question"), ctx)

    for leaked in ("evil.example", "spam.shop", "gmail", "555"):
        assert leaked not in reply.body
    assert "Is it dishwasher safe?" in reply.body
    assert reply.ok, [str(f) for f in reply.findings]


def test_long_buyer_words_are_shortened() -> None:
    ctx = context_for("en", buyer_quote="word " * 200)
    body = render_reply(decision_for("acknowledge.product_question"), ctx).body
    assert "word …" in body or "word…" in body
    assert body.count("word") < 60


# --- strict templates --------------------------------------------------------------------------


@pytest.fixture
def template_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the environment at a scratch template folder for one test."""
    monkeypatch.setattr(render_module, "TEMPLATE_DIR", tmp_path)
    render_module.environment.cache_clear()
    (tmp_path / "en").mkdir()
    yield tmp_path
    render_module.environment.cache_clear()


def test_a_missing_variable_is_an_error_never_a_blank(template_dir: Path) -> None:
    (template_dir / "en" / "decline.j2").write_text("Subject: x\n\nHello {{ not_a_variable }}\n")
    with pytest.raises(ReplyRenderError, match="not_a_variable"):
        render_reply(decision_for("decline"), context_for("en"))


def test_printing_a_none_is_an_error_never_the_word_none(template_dir: Path) -> None:
    (template_dir / "en" / "decline.j2").write_text("Subject: x\n\nHello {{ buyer_name }}\n")
    with pytest.raises(ReplyRenderError, match="None"):
        render_reply(decision_for("decline"), context_for("en", buyer_name=None))


def test_templates_run_in_the_sandbox(template_dir: Path) -> None:
    (template_dir / "en" / "decline.j2").write_text(
        "Subject: x\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"
    )
    with pytest.raises(ReplyRenderError):
        render_reply(decision_for("decline"), context_for("en"))


def test_a_template_without_a_subject_line_is_an_error(template_dir: Path) -> None:
    (template_dir / "en" / "decline.j2").write_text("Hello\n")
    with pytest.raises(ReplyRenderError, match="Subject"):
        render_reply(decision_for("decline"), context_for("en"))


def test_an_order_reply_without_an_order_id_is_an_error() -> None:
    with pytest.raises(ReplyRenderError):
        render_reply(decision_for("refund_without_return"), context_for("en", amazon_order_id=None))


def test_a_presale_question_needs_no_order() -> None:
    ctx = context_for("en", amazon_order_id=None, proactive=False, reply_channel="email")
    reply = render_reply(decision_for("acknowledge.product_question"), ctx)
    assert reply.ok
    assert "order" not in reply.body


# --- template lookup ---------------------------------------------------------------------------


def test_an_unknown_variant_falls_back_to_its_action() -> None:
    reply = render_reply(decision_for("decline.no_such_variant"), context_for("en"))
    assert reply.template == "decline"


def test_no_template_name_uses_the_action() -> None:
    decision = decision_for("educate").model_copy(update={"reply_template": None})
    assert render_reply(decision, context_for("en")).template == "educate"


@pytest.mark.parametrize("name", ["../../etc/passwd", "en/decline", "Decline", "decline..x"])
def test_template_names_cannot_reach_outside_the_package(name: str) -> None:
    decision = decision_for("decline").model_copy(update={"reply_template": name})
    with pytest.raises(ReplyRenderError, match="not a template name"):
        render_reply(decision, context_for("en"))


# --- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "marketplace", "expected"),
    [
        ("fr-FR", "A1PA6795UKMFR9", "fr"),  # a French speaker on amazon.de
        ("de_AT", None, "de"),
        ("IT", None, "it"),
        (None, "A1PA6795UKMFR9", "de"),
        (None, "A1RKKUPIHCS9HS", "es"),
        (None, "A1AM78C64UM0Y8", "es"),  # amazon.com.mx
        (None, "A13V1IB3VIYZZH", "fr"),
        (None, "APJ6JRA9NG5V4", "it"),
        (None, "A1F83G8C2ARO7P", "en"),
        ("pt-BR", "A1PA6795UKMFR9", "de"),  # no Portuguese templates: the marketplace's
        (None, "A2Q3Y263D00KWC", "en"),  # amazon.com.br: Portuguese → English
        ("zh-CN", None, "en"),
        ("not a locale!", "A1RKKUPIHCS9HS", "es"),
        (None, "UNKNOWN", "en"),
        (None, None, "en"),
    ],
)
def test_language_for(locale: str | None, marketplace: str | None, expected: str) -> None:
    assert language_for(locale, marketplace) == expected


def test_the_reply_follows_the_buyer_locale() -> None:
    ctx = context_for("de", buyer_locale="it-IT")
    reply = render_reply(decision_for("decline", currency="EUR"), ctx)
    assert reply.language == "it"
    assert reply.body.startswith("Gentile")


def test_an_explicit_language_wins_and_must_be_supported() -> None:
    ctx = context_for("en")
    spanish = ctx.model_copy(update={"language": "ES"})
    assert render_reply(decision_for("decline"), spanish).language == "es"
    with pytest.raises(ReplyRenderError, match="pt"):
        render_reply(decision_for("decline"), ctx.model_copy(update={"language": "pt"}))


# --- never promise what the decision does not say ----------------------------------------------


def test_no_need_to_send_back_only_when_no_return_is_required() -> None:
    with_return = RefundSpec(amount=Decimal("10"), currency="USD", requires_return=True)
    body = render_reply(
        decision_for("refund_without_return", refund=with_return), context_for("en")
    ).body
    assert "send anything back" not in body

    without = RefundSpec(amount=Decimal("10"), currency="USD", requires_return=False)
    body = render_reply(
        decision_for("refund_without_return", refund=without), context_for("en")
    ).body
    assert "no need to send anything back" in body
    assert "$10.00" in body


def test_no_amount_without_a_refund_in_the_decision() -> None:
    body = render_reply(decision_for("refund_on_return", refund=None), context_for("de")).body
    assert "€" not in body
    assert "den Kaufpreis" in body


def test_amounts_are_written_for_the_buyer() -> None:
    refund = RefundSpec(amount=Decimal("1234.5"), currency="EUR", requires_return=False)
    decision = decision_for("refund_without_return", refund=refund)
    assert "1.234,50 €" in render_reply(decision, context_for("de")).body
    assert "1 234,50 €" in render_reply(decision, context_for("fr")).body
    assert "€1,234.50" in render_reply(decision, context_for("en")).body


def test_the_context_refund_must_agree_with_the_decision() -> None:
    ctx = context_for("en", refund=Money.of("99.00", "EUR"))
    with pytest.raises(ReplyRenderError, match="refund"):
        render_reply(decision_for("refund_without_return"), ctx)


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it"])
def test_photos_only_when_asked_and_never_a_condition(language: str) -> None:
    without = render_reply(decision_for("replace", ask_for_photos=False), context_for(language))
    assert "foto" not in without.body.lower() and "photo" not in without.body.lower()

    defect = render_reply(
        decision_for("refund_without_return.defect_photo", ask_for_photos=False),
        context_for(language),
    )
    optional = {
        "en": "completely optional",
        "de": "ganz freiwillig",
        "fr": "entièrement facultatif",
        "es": "totalmente opcional",
        "it": "del tutto facoltativo",
    }[language]
    assert optional in defect.body
    assert defect.ok


def test_feedback_follow_up_without_a_remedy_asks_what_went_wrong() -> None:
    decision = decision_for("feedback_follow_up", refund=None)
    body = render_reply(decision, context_for("en", replacement=None)).body
    assert "tell me what went wrong" in body
    assert "refund" not in body
    assert "update it at any time" in body


def test_feedback_follow_up_with_a_replacement() -> None:
    decision = decision_for("feedback_follow_up", refund=None)
    body = render_reply(decision, context_for("fr")).body
    assert "article de remplacement en taille M" in body


# --- the lint decides whether a reply may go -----------------------------------------------------


def test_a_seller_care_note_with_a_link_blocks_the_reply() -> None:
    ctx = context_for("en", care_notes=("See our video at https://myshop.example.com/v",))
    reply = render_reply(decision_for("educate"), ctx)
    assert not reply.ok
    assert [f.code for f in reply.errors] == ["compliance.link"]


def test_too_long_for_the_messaging_api() -> None:
    notes = tuple(f"Tip number {i}: " + "keep it dry and clean. " * 8 for i in range(12))
    reply = render_reply(decision_for("educate"), context_for("en", care_notes=notes))
    assert "compliance.too_long" in {f.code for f in reply.errors}
    email = render_reply(
        decision_for("educate"), context_for("en", care_notes=notes, reply_channel="email")
    )
    assert email.ok


def test_sign_off_without_names() -> None:
    ctx = context_for("es", signature_name=None, seller_name=None, buyer_name=None)
    body = render_reply(decision_for("acknowledge"), ctx).body
    assert body.startswith("Hola:")
    assert body.endswith("Un cordial saludo,\nAtención al cliente")
    assert ORDER_ID in body


def test_a_catalog_care_note_string_becomes_one_tip_per_clause() -> None:
    ctx = context_for("en", care_notes="rinse right after use; press gently\nkeep dry")
    assert ctx.care_notes == ("Rinse right after use.", "Press gently.", "Keep dry.")
    body = render_reply(decision_for("educate"), ctx).body
    assert "- Rinse right after use.\n- Press gently.\n- Keep dry." in body


@pytest.mark.parametrize(
    "title", ["Five Star Notebook, 5 Stars", "Gift Card Holder (discount pack)"]
)
def test_item_titles_are_quoted_not_linted(title: str) -> None:
    ctx = context_for("en", item_titles=(title,))
    reply = render_reply(decision_for("replace"), ctx)
    assert title in reply.body
    assert reply.ok, [str(f) for f in reply.findings]
    reply = render_reply(decision_for("acknowledge.product_question"), ctx)
    assert title in reply.subject
    assert reply.ok, [str(f) for f in reply.findings]
