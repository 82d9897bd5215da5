"""A small stopword-based language detector for en/de/fr/es/it.

Buyer messages are short, so each word votes for every language whose stopword list holds
it, split evenly (a word shared by two languages counts half to each). Letters only one
language uses (ß, ñ, ¿) add a little. No dependency, a few microseconds per message.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "de", "fr", "es", "it")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and is it i my you to of was this that with not have but for on are be me your "
        "what can did will would please thanks thank order just it's i'm don't didn't "
        "received item got hi hello when how why which there they been has had an at from "
        "does doesn't isn't still yet after"
    ),
    "de": _words(
        "der die das und ist ich nicht mein meine meinen ein eine einen es mit sie zu bitte "
        "danke auf den dem des wurde habe hat kann aber war wie noch leider ware bestellung "
        "artikel keine kein sehr für ist hallo guten tag warum wann wo nach bei auch schon "
        "nur mir mich ihr ihnen wir sind wird wäre gibt geht hatte produkt lieferung paket "
        "bewertung zufrieden rücksendung größe tolles"
    ),
    "fr": _words(
        "le la les et est je pas mon ma mes un une des du avec vous pour que qui ce cette "
        "merci mais été ai commande il elle sur bonjour svp n'est j'ai au aux ne suis "
        "votre vos c'est très produit reçu toujours pourquoi quand où comment qu'il colis "
        "livraison"
    ),
    "es": _words(
        "el los las y es yo no mi mis un una con usted para que por pero gracias pedido "
        "está muy hola llegó del lo se he ha me su sus al como cuando porque todavía "
        "producto recibido esta este hace paquete envío sois"
    ),
    "it": _words(
        "il lo gli e è io non mio mia miei un una con per che ma grazie ordine sono ho "
        "della del questo questa buongiorno salve arrivato molto ancora mi ci al alla "
        "come quando perché prodotto ricevuto sempre dopo anche pacco arrivata allego siete dei "
        "delle nel questa"
    ),
}

# Letters that point at one language; a weak vote each.
_LETTER_HINTS = {"ß": "de", "ä": "de", "ö": "de", "ü": "de", "ñ": "es", "¿": "es", "¡": "es"}

_ITALIAN_ENDINGS = re.compile(r"\w[àìòù](?!\w)|(?<!\w)è(?!\w)")
_WORD = re.compile(r"[a-zàâäáçéèêëíìîïñóòôöúùûüß']+")


def _weights() -> dict[str, dict[str, float]]:
    owners: dict[str, list[str]] = {}
    for lang, words in _STOPWORDS.items():
        for word in words:
            owners.setdefault(word, []).append(lang)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


_VOTES = _weights()


def detect_language(text: str, default: str = "en") -> tuple[str, float]:
    """(language, share of votes) — `default` with 0.0 when nothing votes."""
    scores = dict.fromkeys(LANGUAGES, 0.0)
    lowered = text.lower()
    for word in _WORD.findall(lowered):
        votes = _VOTES.get(word)
        if votes:
            for lang, weight in votes.items():
                scores[lang] += weight
    # Italian writes its final accents (qualità, perché, più); "è" alone is Italian too.
    scores["it"] += 0.5 * len(_ITALIAN_ENDINGS.findall(lowered))
    for letter, lang in _LETTER_HINTS.items():
        if letter in lowered:
            scores[lang] += 0.5
    total = sum(scores.values())
    if total == 0:
        return default, 0.0
    best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == default))
    return best, scores[best] / total
