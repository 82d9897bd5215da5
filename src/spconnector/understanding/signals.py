"""Phrase rules for signals where a rule earns its place (bench/understanding.py measures
each against the learned head): insults and threats (the old rule table's abusive rules —
precise, and missing one costs a seller dearly), safety words, photo remarks, question marks.

Rules read the folded text (lower case, accents folded) from features.fold.
"""

from __future__ import annotations

import re

from spconnector.domain.understanding import Signal

_SAFETY = re.compile(
    r"\b(fire|caught fire|flames?|smok(e|ing|ed)|sparks?|sparked|burn(ed|t)? (my|his|her)|"
    r"electric shock|shocked me|injur\w*|stitches|hospital|dangerous|explod\w*|melt(ed|ing)|"
    r"brand|feuer|funk(en|t)|qualm\w*|verbrannt|verbrennung|stromschlag|verletz\w*|"
    r"krankenhaus|gefahrlich|explodiert|feu|pris feu|etincelles?|fum(e|ee)|brule|"
    r"decharge|blesse\w*|points de suture|dangereu\w*|fuego|chispas|humo|queme|quemadura|"
    r"descarga|herid\w*|puntos|peligros\w*|fuoco|scintille|fumo|ustion\w*|scossa|"
    r"bruciat[oa] (la|le|il) (mano|dita|braccio)|"
    r"ferit\w*|punti|pericolos\w*)\b"
)
_PHOTO = re.compile(
    r"\b(photos?|pictures?|pics?|snap|images?|fotos?|bild(er)?|anhang|angehangt|"
    r"piece jointe|jointe?s?|imagen(es)?|adjunt\w*|immagin[ei]|allegat\w*|allego)\b"
)
_QUESTION = re.compile(r"\?|¿")
# Threats to shame the seller in public: the owner answers those, whatever the complaint.
_PUBLIC_THREAT = re.compile(
    r"\b(trash|expose|destroy|ruin|bash) (you|your (shop|store|company|business))\b"
    r"[^.!?\n]{0,40}\b(social media|online|facebook|instagram|tiktok|twitter|reviews?|"
    r"everywhere)|\b(fertigmachen|blossstellen|anprangern)\b|\b(detruire|demolir) (votre|ta) "
    r"(reputation|boutique)|\bhundir(os|te) en (las )?redes|\bsputtanar(vi|ti)\b"
)


def abusive_rule(norm: str) -> bool:
    from spconnector.domain.enums import Intent
    from spconnector.understanding.phrase_rules import ABUSIVE_THRESHOLD, RULES

    score = 0.0
    for rule in RULES:
        if rule.intent is Intent.ABUSIVE and rule.find(norm) is not None:
            score += rule.weight
            if score >= ABUSIVE_THRESHOLD:
                return True
    return False


def rule_signals(text: str, norm: str, *, attachments: int = 0) -> set[Signal]:
    found: set[Signal] = set()
    if abusive_rule(norm) or _PUBLIC_THREAT.search(norm):
        found.add(Signal.ABUSIVE)
    if _SAFETY.search(norm):
        found.add(Signal.SAFETY)
    if attachments or _PHOTO.search(norm):
        found.add(Signal.PHOTO)
    if _QUESTION.search(text):
        found.add(Signal.QUESTION)
    return found
