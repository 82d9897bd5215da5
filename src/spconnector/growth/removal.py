"""Which 1–3★ feedback Amazon would remove, and why: a task for a person, never an API call.

Amazon removes (or strikes through) seller feedback that (Seller Central Help, "Feedback
removal" and the feedback guidelines, checked November 2026):
- uses obscene or hateful language;
- includes the seller's personal information (an email address, a phone number, a name);
- is entirely a product review (product feedback belongs in a product review);
- is about fulfilment or delivery of an order Amazon fulfilled (FBA: "This item was fulfilled
  by Amazon, and we take responsibility for this fulfillment experience");
- is promotional (links, other shops, discount codes).
The removal API is gone (`createNegativeFeedbackRemoval` left the model on 2025-08-04), so a
candidate becomes a task with the reason and the Seller Central steps.

The check errs towards "not a candidate": a plain complaint about the seller (slow answers,
a refund refused, a rude reply) is never one, and a comment that mixes the product with the
seller's service is not "entirely" a product review. Comments are buyer text: matched, never
run or rendered. Five languages: English, German, French, Spanish, Italian.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Criterion = Literal[
    "obscene_or_hateful", "personal_information", "product_review", "fba_fulfilment", "promotional"
]

REASONS: dict[Criterion, str] = {
    "obscene_or_hateful": "the feedback uses obscene or hateful language",
    "personal_information": "the feedback contains personal contact information",
    "product_review": "the feedback is entirely a product review, not about the seller",
    "fba_fulfilment": "the order was fulfilled by Amazon and the feedback is about delivery or "
    "fulfilment, which Amazon takes responsibility for",
    "promotional": "the feedback is promotional (a link, another shop, a discount code)",
}

SELLER_CENTRAL_STEPS = (
    "Seller Central → Performance → Feedback (Feedback Manager)",
    "find the feedback by its order ID and choose Request removal",
    "answer Amazon's questions so they match the reason given here; Amazon decides at once",
    "if Amazon declines and the reason still holds, open a case with Selling Partner Support "
    "citing the feedback guidelines",
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w-])\+?\d[\d\s().\-/]{6,}\d(?![\w-])")
_ORDER_ID = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|de|fr|es|it|net|shop|store)\b", re.I)

# Obscene words and insults Amazon's guidelines call profane or hateful (stems: matched as
# word starts). Mild criticism ("terrible", "useless", "Abzocke") is not here on purpose.
_OBSCENE = (
    # en
    "fuck", "shit", "bullshit", "bastard", "bitch", "asshole", "crap", "dickhead", "scumbag",
    "wanker", "motherf",
    # de
    "scheiß", "scheiss", "arschloch", "wichser", "hurensohn", "fick", "verpiss", "drecksau",
    "mistkerl",
    # fr
    "merde", "putain", "connard", "salope", "enculé", "encule", "bordel", "pute",
    # es
    "mierda", "joder", "cabrón", "cabron", "gilipollas", "puta", "hijo de puta", "coño",
    "pendejo",
    # it
    "cazzo", "stronzo", "vaffanculo", "merda", "puttana", "coglion", "bastardo",
)  # fmt: skip

# Words about the seller's own part — service, contact, refunds — apart from delivery.
_SERVICE = (
    # en
    "seller", "vendor", "merchant", "store", "shop", "customer service", "service", "support",
    "contact", "respond", "response", "reply", "replied", "answer", "message", "email",
    "refund", "return", "rude", "communication", "ignored", "scam", "wrong item", "sent me",
    "cancel", "description", "as described", "listing", "advertised", "never again",
    # de
    "verkäufer", "händler", "haendler", "kundenservice", "service", "antwort", "geantwortet",
    "kontakt", "nachricht", "erstattung", "rückerstattung", "rücksendung", "unfreundlich",
    "falsch", "storn", "beschreibung", "nie wieder",
    # fr
    "vendeur", "marchand", "boutique", "service client", "réponse", "répondu", "contact",
    "message", "remboursement", "retour", "impoli", "annul", "description", "jamais plus",
    # es
    "vendedor", "tienda", "atención", "atencion", "respuesta", "respond", "contacto",
    "mensaje", "reembolso", "devolución", "devolucion", "grosero", "cancel", "descripción",
    "descripcion", "nunca más",
    # it
    "venditore", "negozio", "assistenza", "servizio", "risposta", "rispost", "contatt",
    "messaggio", "rimborso", "reso", "scortese", "annull", "descrizione", "mai più",
)  # fmt: skip

# Words about delivery and fulfilment (for FBA orders: Amazon's responsibility).
_DELIVERY = (
    # en
    "deliver", "delivery", "arrived", "arrive", "shipping", "shipped", "package", "packaging",
    "box", "late", "never came", "never received", "tracking", "courier", "lost in transit",
    "damaged in transit", "crushed",
    # de
    "liefer", "geliefert", "angekommen", "versand", "paket", "verpackung", "karton", "spät",
    "nie erhalten", "nicht angekommen", "sendungsverfolgung", "zusteller", "beschädigt",
    # fr
    "livr", "arrivé", "arrive", "colis", "emballage", "carton", "retard", "jamais reçu",
    "suivi", "transporteur", "écrasé",
    # es
    "entreg", "llegó", "llego", "envío", "envio", "paquete", "embalaje", "caja", "tarde",
    "retraso", "nunca recibí", "seguimiento", "transportista", "aplastad",
    # it
    "consegn", "arrivat", "spedizion", "pacco", "imballaggio", "scatola", "ritardo",
    "mai ricevuto", "tracciamento", "corriere", "schiacciat",
)  # fmt: skip

# Words about the product itself.
_PRODUCT = (
    # en
    "product", "item", "quality", "broke", "broken", "cheap", "flimsy", "material", "size",
    "small", "large", "color", "colour", "fit", "fits", "works", "work", "stopped working",
    "battery", "taste", "smell", "design", "plastic", "fabric", "blade", "handle", "useless",
    "rusted", "rust", "instructions", "sharp", "dull", "leaks", "leak", "tore", "shrank",
    "shrunk", "wash", "engraving", "crooked", "came loose", "stitching", "seam", "zipper",
    # de
    "produkt", "artikel", "qualität", "qualitaet", "kaputt", "billig", "material", "größe",
    "groesse", "farbe", "passt", "funktioniert", "akku", "geschmack", "geruch", "plastik",
    "stoff", "griff", "klinge", "rostet", "rost", "anleitung", "stumpf", "undicht",
    "eingelaufen", "naht", "reißverschluss", "gravur",
    # fr
    "produit", "article", "qualité", "qualite", "cassé", "casse", "matériau", "matiere",
    "taille", "couleur", "fonctionne", "marche", "batterie", "goût", "odeur", "plastique",
    "tissu", "poignée", "lame", "rouille", "notice", "fuit", "rétréci", "couture",
    "fermeture", "gravure",
    # es
    "producto", "artículo", "articulo", "calidad", "roto", "rompió", "rompio", "barato",
    "material", "talla", "tamaño", "color", "funciona", "batería", "bateria", "sabor", "olor",
    "plástico", "plastico", "tela", "mango", "hoja", "óxido", "oxido", "instrucciones",
    "gotea", "encogió", "encogio", "costura", "cremallera", "grabado",
    # it
    "prodotto", "articolo", "qualità", "qualita", "rotto", "rotta", "economico", "materiale",
    "taglia", "colore", "funziona", "batteria", "sapore", "odore", "plastica", "tessuto",
    "manico", "lama", "ruggine", "istruzioni", "perde", "ristrett", "cucitura", "cerniera",
    "incisione",
)  # fmt: skip

# Promotion: another shop, a code, an invitation to buy elsewhere.
_PROMO = (
    "discount code", "promo code", "coupon code", "use code", "visit my", "check out my",
    "buy from", "buy it at", "cheaper at", "follow me", "subscribe",
    "rabattcode", "gutscheincode", "besucht meinen", "kauft bei", "folgt mir",
    "code promo", "code de réduction", "visitez", "achetez chez", "suivez-moi",
    "código de descuento", "codigo de descuento", "visita mi", "compra en", "sígueme",
    "codice sconto", "visitate", "comprate da", "seguitemi",
)  # fmt: skip


def _normalize(text: str) -> str:
    # NFC: "é" typed as e + combining accent matches the lexicon's "é"
    return " " + " ".join(unicodedata.normalize("NFC", text).lower().split()) + " "


def _has(text: str, words: tuple[str, ...]) -> bool:
    """Whether any word (or phrase) starts a word of `text` (so stems match their forms)."""
    return any(re.search(rf"(?<![\w]){re.escape(w)}", text) for w in words)


@dataclass(frozen=True, slots=True)
class RemovalCandidate:
    criterion: Criterion
    reason: str
    steps: tuple[str, ...] = SELLER_CENTRAL_STEPS


def check(comment: str, *, fulfilled_by_amazon: bool | None) -> RemovalCandidate | None:
    """The first removal criterion the comment meets, or None (the safe answer).

    `fulfilled_by_amazon`: None when the order's channel is not known (then the FBA criterion
    is never claimed)."""
    text = _normalize(comment)
    if not text.strip():
        return None
    scrubbed = _ORDER_ID.sub(" ", text)  # an order id is not a phone number
    if _has(text, _OBSCENE):
        return _candidate("obscene_or_hateful")
    if _EMAIL.search(text) or _PHONE.search(scrubbed):
        return _candidate("personal_information")
    if _URL.search(text) or _has(text, _PROMO):
        return _candidate("promotional")
    about_delivery = _has(text, _DELIVERY)
    about_service = _has(text, _SERVICE)
    if fulfilled_by_amazon and about_delivery and not about_service:
        return _candidate("fba_fulfilment")
    if _has(text, _PRODUCT) and not about_service and not about_delivery:
        return _candidate("product_review")
    return None


def _candidate(criterion: Criterion) -> RemovalCandidate:
    return RemovalCandidate(criterion=criterion, reason=REASONS[criterion])
