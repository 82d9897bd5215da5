"""A small stopword-based language detector for en/de/fr/es/it, and on request the language
of a marketplace beyond those (nl, sv, pl, tr, pt), so a buyer on amazon.nl writing Dutch is
not read as German.

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

# Asked for only where the marketplace speaks it (`also`): the five above stay as they were.
_EXTRA_STOPWORDS: dict[str, frozenset[str]] = {
    "nl": _words(
        "de het een en is ik niet mijn u uw van voor dat die met op te zijn heb heeft maar "
        "nog geen wel kunt graag bedankt bestelling pakket artikel ontvangen waarom wanneer "
        "hoe ook al er naar bij om dit deze kan wil hallo goedendag"
    ),
    "sv": _words(
        "och är jag inte min mitt det en ett att för på med har men ni er vad kan tack hej "
        "beställning paketet fått varför när hur också inget ingen skulle vill vänligen"
    ),
    "pl": _words(
        "i jest nie mój moja to że na w z do się ale czy jak dziękuję dzień dobry proszę "
        "zamówienie paczka otrzymałem otrzymałam dlaczego kiedy już jeszcze mam był była"
    ),
    "tr": _words(
        "ve bir bu için ama çok değil ben benim siparişim sipariş teşekkürler merhaba lütfen "
        "neden ne zaman hala ürün kargo geldi aldım iade"
    ),
    "pt": _words(
        "o a os as e é eu não meu minha um uma com para que mas obrigado obrigada pedido "
        "olá ainda produto recebi quando porque você"
    ),
}

# Letters that point at one language; a weak vote each.
_LETTER_HINTS = {"ß": "de", "ä": "de", "ö": "de", "ü": "de", "ñ": "es", "¿": "es", "¡": "es"}

_ITALIAN_ENDINGS = re.compile(r"\w[àìòù](?!\w)|(?<!\w)è(?!\w)")
_WORD = re.compile(r"[^\W\d_][\w']{0,40}")


def _weights(lists: dict[str, frozenset[str]]) -> dict[str, dict[str, float]]:
    owners: dict[str, list[str]] = {}
    for lang, words in lists.items():
        for word in words:
            owners.setdefault(word, []).append(lang)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


_VOTES = _weights(_STOPWORDS)
_VOTES_WITH = {
    lang: _weights(_STOPWORDS | {lang: words}) for lang, words in _EXTRA_STOPWORDS.items()
}


def detect_language(
    text: str, default: str = "en", *, also: str | None = None
) -> tuple[str, float]:
    """(language, share of votes) — `default` with 0.0 when nothing votes. `also`: one more
    language to consider (a marketplace's, beyond the five)."""
    votes_by_word = _VOTES_WITH.get(also or "", _VOTES)
    languages = (*LANGUAGES, also) if also in _EXTRA_STOPWORDS else LANGUAGES
    scores = dict.fromkeys(languages, 0.0)
    lowered = text.lower()[:20_000]
    for word in _WORD.findall(lowered):
        votes = votes_by_word.get(word)
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
    best = max(languages, key=lambda lang: (scores[lang], lang == default))
    return best, scores[best] / total
