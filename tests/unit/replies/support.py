"""Shared builders for the replies tests: a decision per template, a fixed context per language."""

from __future__ import annotations

from decimal import Decimal

from spconnector.domain import Action, Decision, Priority, RefundSpec
from spconnector.replies import ReplyContext

ORDER_ID = "302-1234567-7654321"
LANGUAGES = ("en", "de", "fr", "es", "it")

_MARKETPLACE = {
    "en": "ATVPDKIKX0DER",
    "de": "A1PA6795UKMFR9",
    "fr": "A13V1IB3VIYZZH",
    "es": "A1RKKUPIHCS9HS",
    "it": "APJ6JRA9NG5V4",
}
_ITEM = {
    "en": "Stainless Steel Garlic Press",
    "de": "Knoblauchpresse aus Edelstahl",
    "fr": "Presse-ail en inox",
    "es": "Prensa de ajos de acero inoxidable",
    "it": "Spremiaglio in acciaio inox",
}
_CARE = {
    "en": ("Press one clove at a time, peeled or unpeeled.", "Rinse it straight after use."),
    "de": (
        "Pressen Sie immer nur eine Zehe auf einmal.",
        "Spülen Sie die Presse direkt nach Gebrauch aus.",
    ),
    "fr": ("Pressez une gousse à la fois.", "Rincez-le juste après usage."),
    "es": ("Presione un diente cada vez.", "Enjuáguela justo después de usarla."),
    "it": ("Sprema uno spicchio alla volta.", "Lo sciacqui subito dopo l'uso."),
}
_REPLACEMENT = {
    "en": "in size M",
    "de": "in Größe M",
    "fr": "en taille M",
    "es": "en talla M",
    "it": "nella taglia M",
}
_PHOTO_BASES = {"replace", "request_info", "refund_without_return"}


def decision_for(
    template: str,
    *,
    refund: RefundSpec | str | None = "auto",
    ask_for_photos: bool | None = None,
    currency: str = "EUR",
) -> Decision:
    """A plausible decision whose reply_template is `template`."""
    base = template.split(".", 1)[0]
    # a follow-up on bad feedback solves the problem first: here, with a refund
    action = Action.REFUND_WITHOUT_RETURN if template == "feedback_follow_up" else Action(base)
    if refund == "auto":
        refund = (
            RefundSpec(
                amount=Decimal("24.99"),
                currency=currency,
                requires_return=action is Action.REFUND_ON_RETURN,
            )
            if action.moves_money
            else None
        )
    assert not isinstance(refund, str)
    return Decision(
        action=action,
        refund=refund,
        ask_for_photos=(base in _PHOTO_BASES) if ask_for_photos is None else ask_for_photos,
        reply_template=template,
        priority=Priority.NORMAL,
        respond_by=None,
        needs_approval=False,
        rules=("test",),
        guards=(),
        explanation="test decision",
        policy_version="test",
    )


# a knowledge-base entry's own words, as the demo KB holds them
_KB_ANSWER = {
    "en": "Yes, it is dishwasher safe on the top rack.",
    "de": "Ja, sie ist spülmaschinenfest (oberer Korb).",
    "fr": "Oui, il passe au lave-vaisselle, dans le panier du haut.",
    "es": "Sí, se puede lavar en el lavavajillas, en la bandeja superior.",
    "it": "Sì, va in lavastoviglie nel cestello superiore.",
}


def context_for(language: str, **overrides: object) -> ReplyContext:
    fields: dict[str, object] = {
        "marketplace_id": _MARKETPLACE[language],
        "amazon_order_id": ORDER_ID,
        "buyer_name": "Robin Weber",
        "item_titles": (_ITEM[language],),
        "buyer_quote": "Is it dishwasher safe?",
        "seller_name": "Smile Kitchen",
        "signature_name": "Anna",
        "care_notes": _CARE[language],
        "kb_answer": _KB_ANSWER[language],
        "replacement": _REPLACEMENT[language],
        "reply_channel": "messaging",
        "proactive": True,
    }
    fields.update(overrides)
    return ReplyContext.model_validate(fields)


def currency_for(language: str) -> str:
    return "USD" if language == "en" else "EUR"
