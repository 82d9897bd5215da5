"""Phrase rules for signals where a rule earns its place (bench/understanding.py measures
each against the learned head): insults and threats (the old rule table's abusive rules —
precise, and missing one costs a seller dearly), safety words, photo remarks, question marks.

Rules read the folded text (lower case, accents folded) from features.fold.
"""

from __future__ import annotations

import re

from spconnector.domain.understanding import Signal

# Safety: a hazard (fire, smoke, sparks, shock, melting, overheating) or harm to a person
# (burns, cuts, rashes, allergic reactions, poisoning, choking, a doctor or hospital). Written
# per language, and only in forms that mean the hazard: a bare "brand" ("brand new"; German
# Brand = fire), "feu" ("feu vert"), "fuoco" ("mettere a fuoco"), "puntos"/"punti" (points),
# "decharge" (a battery that runs down) or "shocked" ("shocked at the quality") sent every
# such message to the urgent-person rule.
_SAFETY_TERMS = (
    # en
    r"(caught|catch|catches|catching|on|set|started( a)?|start( a)?) fire|fire hazard|"
    r"flames?|burst into flames|smok(e|ing|ed|ey)|sparks?|sparked|sparking|"
    r"burn(ed|t|s)? (my|his|her|their|our|me|him|us|myself|himself|herself)|"
    r"got burn(ed|t)|burn(ing|t) smell|smell(s|ed)? (of )?burn(ing|t)|scorch\w*|"
    r"(electric(al)?|static) shock|(gave|got|get|gives|giving) (me |him |her |us |them )?"
    r"(a |an )?(electric(al)? )?shock|electrocut\w*|injur\w*|stitches|hospital|"
    r"emergency room|dangerous|hazard(ous)?|explod\w*|melt(ed|ing)|overheat\w*|"
    r"too hot to (touch|hold)|rash|hives|allerg(y|ic|ies)|poison\w*|toxic|"
    r"(made|making|makes|make) (me|him|her|us|them|my \w+|our \w+) (sick|ill|vomit)|"
    r"got sick|vomit\w*|threw up|(is|was|started|kept|keeps) bleeding|drew blood|"
    r"(cut|sliced|hurt) (my|his|her|myself|himself|herself|me|him)|chok(e|ed|es|ing)|"
    r"swallowed|suffocat\w*|(see|saw|seen|visit|visited|go to|went to) (a |the )?doctor|"
    # de
    r"feuer|in brand|brandgefahr|brandgeruch|brandfleck\w*|brandloch|brannte|abgebrannt|"
    r"flammen|funken|funkenflug|gefunkt|raucht\w*|geraucht|rauchentwicklung|qualm\w*|verbrannt|"
    r"verbrennung\w*|stromschlag|elektrischen schlag|verletz\w*|krankenhaus|notaufnahme|"
    r"(zum|beim) arzt|notarzt|gefahrlich|explodiert|geschmolzen|uberhitz\w*|"
    r"ausschlag|allergi\w*|giftig|vergift\w*|blutet\w*|geblutet|blutung\w*|"
    r"mich geschnitten|erstick\w*|verschluckt|genaht|"
    # fr
    r"(pris|prend|prendre|pris le|mis le|en) feu|incendi\w*|flammes?|etincelles?|fumee|"
    r"(me suis|s'est|se sont|m'a|l'a|lui a|a) brule\w*|brulure\w*|odeur de brule|"
    r"decharge electrique|electrocut\w*|electrise\w*|blesse\w*|points de suture|"
    r"dangereu\w*|hopital|urgences|explose\w*|a fondu|surchauff\w*|eruption\w*|"
    r"plaques rouges|allergi\w*|toxique|intoxi\w*|empoisonn\w*|saign\w*|"
    r"(me suis|s'est) coupe\w*|etouff\w*|avale|"
    # es
    r"fuego|en llamas|chispas|chispazo\w*|humo|(me|se|le|nos) quem\w*|quemadura\w*|"
    r"descarga electrica|(me|le|nos) dio (la )?corriente|herid\w*|puntos de sutura|"
    r"peligros\w*|urgencias|explot\w*|derreti\w*|sobrecalent\w*|sarpullido|ronchas|"
    r"erupcion\w*|alergi\w*|alergic\w*|toxic\w*|intoxic\w*|envenen\w*|sangr\w*|"
    r"(me|se) corto|ahog\w*|se lo trago|asfixi\w*|al medico|"
    # it
    r"(preso|prende|prendere|andato a|in) fuoco|fiamme|scintill\w*|fumo|fumava|"
    r"(mi sono|si e|mi ha|gli ha|le ha) bruciat\w*|ustion\w*|(scossa|scosse) elettric\w*|"
    r"(preso|presa|prende|da|dato) la scossa|folgorat\w*|ferit[oaie]|punti di sutura|"
    r"pericolos\w*|ospedale|pronto soccorso|esplos[oaie]|esploso|sciolt[oaie] (la|il)|"
    r"surriscald\w*|eruzion\w*|irritazion\w*|allergi\w*|tossic\w*|intossic\w*|"
    r"avvelen\w*|sangu\w*|(mi sono|si e) tagliat\w*|soffoc\w*|ingoiat\w*|dal medico"
)
_SAFETY = re.compile(rf"\b({_SAFETY_TERMS})\b")
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
    from spconnector.understanding.phrase_rules import ABUSIVE_THRESHOLD, rules

    score = 0.0
    for rule in rules():
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
