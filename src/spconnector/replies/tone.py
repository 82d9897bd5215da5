"""Tone lint, from the users' own advice (seeds): a real apology that takes ownership, no
non-apologies, never blame the buyer, photos asked kindly and never as a condition, and always a
clear next step. Patterns cover English, German, French, Spanish and Italian; every language's
patterns run on every text, so a mislabelled language cannot slip past."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spconnector.replies.findings import Finding, excerpt_of
from spconnector.replies.patterns import PatternList

_I = re.IGNORECASE

# Actions where something went wrong for the buyer: the reply owes a real apology.
PROBLEM_ACTIONS = frozenset(
    {
        "refund_without_return",
        "refund_on_return",
        "replace",
        "decline",
        "educate",
        "request_info",
        "escalate_owner",
        "escalate_review",
        "feedback_follow_up",
    }
)

NON_APOLOGIES = [
    # English (Rework's "non-apology apologies")
    r"\bsorry (?:if|that you feel|you feel|that you think|you think)\b",
    r"\b(?:apologi[sz]e|sorry|regret)\b[^.!?\n]{0,20}\bany inconvenience\b",
    r"\bsorry for the inconvenience\b",
    r"\binconvenience (?:this|that) may have caused\b",
    # German
    r"\b(?:Entschuldigung|entschuldigen (?:uns|wir uns)|bedauern)\b[^.!?\n]{0,30}"
    r"\b(?:eventuelle|etwaige|jegliche|entstandene)n? Unannehmlichkeiten\b",
    r"\btut (?:uns|mir) leid,? (?:falls|wenn Sie (?:das Gefühl|den Eindruck))\b",
    # French
    r"\bdésolée?s? pour la gêne occasionnée\b",
    r"\bexcus\w*[^.!?\n]{0,25}\b(?:la|toute|toutes les|cette) gênes? (?:occasionnée|éventuelle)",
    r"\b(?:désolée?s?|excuse\w*) si\b",
    r"\bdésolée?s? que vous (?:ayez l'impression|ressentiez|pensiez)\b",
    # Spanish
    r"\bdisculpe?n? (?:las|cualquier) molestias?\b",
    r"\bdisculpas por (?:las|cualquier|las posibles) molestias?\b",
    r"\b(?:lo )?(?:siento|sentimos) si\b",
    r"\b(?:siento|sentimos) que (?:usted )?(?:sienta|piense|crea)\b",
    # Italian
    r"\bci scusiamo per (?:l'|l’|gli |eventuali |qualsiasi |ogni )?(?:inconvenient\w*|disag\w*)",
    r"\b(?:mi|ci) dispiace se\b",
    r"\b(?:mi|ci) dispiace che (?:lei )?(?:si senta|pensi|abbia l'impressione)\b",
]

BLAME = [
    r"\byou should have (?:read|checked|looked|measured)\b",
    r"\bas (?:clearly|plainly) (?:stated|described|shown|mentioned)\b",
    r"\bit (?:is|was) clearly (?:stated|described|shown)\b",
    r"\byour (?:own )?fault\b",
    r"\byou (?:failed|neglected) to\b",
    r"\byou (?:didn't|did not) read\b",
    r"\buser error\b",
    r"\b(?:Ihre|Ihr) (?:eigene )?Schuld\b",
    r"\bhätten Sie (?:\w+ )?(?:lesen|prüfen|nachmessen) (?:sollen|müssen)\b",
    r"\bwie (?:deutlich|klar|eindeutig) (?:angegeben|beschrieben|erwähnt)\b",
    r"\bSie haben (?:die \w+ )?nicht (?:gelesen|beachtet)\b",
    r"\bvotre (?:propre )?faute\b",
    r"\bvous auriez dû (?:lire|vérifier|mesurer)\b",
    r"\bcomme (?:clairement|bien) (?:indiqué|précisé|mentionné)\b",
    r"\bcomme indiqué clairement\b",
    r"\b(?:su|tu) culpa\b",
    r"\bculpa suya\b",
    r"\bdebería haber (?:leído|comprobado|medido)\b",
    r"\bcomo se (?:indica|especifica|menciona) claramente\b",
    r"\bcolpa sua\b",
    r"\bè colpa (?:sua|tua)\b",
    r"\bavrebbe dovuto (?:leggere|controllare|misurare)\b",
    r"\bcome (?:chiaramente|ben) (?:indicato|specificato|descritto)\b",
    r"\bcome indicato chiaramente\b",
]

_PHOTO_EN = r"(?:photos?|pictures?|images?)"
PHOTO_CONDITIONS = [
    rf"\b(?:need|require)s? (?:the |some |your |a |a few )?{_PHOTO_EN} "
    r"(?:before|first|in order to)",
    rf"\b(?:once|as soon as|when|after) (?:we|I) (?:receive|get|see|have) (?:the |some |your |a )?"
    rf"{_PHOTO_EN}\b[^.!?\n]{{0,40}}\b(?:refund|replace|send|issue)",
    rf"\b(?:until|unless) (?:we|I) (?:receive|get|see|have) (?:the |some |your |a )?{_PHOTO_EN}",
    rf"\b{_PHOTO_EN} (?:are|is) (?:required|mandatory|needed|necessary)\b",
    rf"\b(?:can(?:no|')t|cannot|unable to|won't|will not) (?:refund|replace|process)"
    rf"[^.!?\n]{{0,40}}\b(?:without|until)\b[^.!?\n]{{0,20}}{_PHOTO_EN}",
    rf"\bno (?:refund|replacement) (?:without|until)\b[^.!?\n]{{0,20}}{_PHOTO_EN}",
    r"\b(?:sobald|wenn|nachdem) (?:wir|ich) (?:die |Ihre )?(?:Fotos|Bilder) "
    r"(?:erhalten|haben|gesehen)",
    r"\berst nach Erhalt (?:der|Ihrer) (?:Fotos|Bilder)\b",
    r"\b(?<!keine )(?:Fotos|Bilder) (?:sind |werden )?(?:zwingend |unbedingt )?"
    r"(?:erforderlich|notwendig|Voraussetzung|benötigt, bevor)",
    r"\bohne (?:Fotos|Bilder)\b[^.!?\n]{0,30}\b(?:kein|nicht)",
    r"\b(?:dès|après) (?:réception|reçu) (?:des|de vos) photos\b",
    r"\bune fois (?:les|vos) photos reçues\b",
    r"\b(?<!pas )photos (?:sont )?(?:obligatoires|nécessaires|requises|indispensables)\b",
    r"\bsans (?:les |vos )?photos?\b[^.!?\n]{0,30}\b(?:pas|aucun|impossible)\b",
    r"\buna vez (?:que )?(?:recibamos|reciba|tengamos) (?:las|sus) fotos\b",
    r"\b(?<!no )(?:fotos|fotografías) (?:son )?(?:obligatorias|necesarias|imprescindibles)\b",
    r"\bsin (?:las |sus )?fotos\b[^.!?\n]{0,30}\bno\b",
    r"\buna volta ricevute le foto\b",
    r"\bsolo dopo aver ricevuto le foto\b",
    r"\b(?<!non )(?:foto|fotografie) (?:sono )?(?:obbligatorie|necessarie|indispensabili)\b",
    r"\bsenza (?:le )?foto\b[^.!?\n]{0,30}\bnon\b",
]

APOLOGIES = [
    r"\bI(?:'m| am)(?: so| very| really| truly)? sorry\b",
    r"\bI (?:sincerely )?apologi[sz]e\b",
    r"\b(?:es )?tut mir (?:sehr |wirklich |aufrichtig )?leid\b",
    r"\bich entschuldige mich\b",
    r"\bje suis (?:vraiment |sincèrement |tellement )?désolée?\b",
    r"\bje vous présente (?:toutes )?mes excuses\b",
    r"\btoutes mes excuses\b",
    r"\b(?:lo )?siento\b",
    r"\ble pido disculpas\b",
    r"\bmi dispiace(?: molto| davvero| tanto)?\b",
    r"\bmi scuso\b",
]

# A next step the buyer can see: what I do now, or what they can do.
NEXT_STEPS = [
    r"\bI(?:'ll| will| have|'ve| am|'m) (?:\w+ )?(?:issu|refund|send|sent|start|pass|look|check|"
    r"get|reply|make|review|arrang|sort|help|walk|be)\w*\b",
    r"\b(?:please|just) (?:reply|send|let me know|start|return|tell)\b",
    r"\blet me know\b",
    r"\bwithin \d+ hours\b",
    r"\b(?:ich werde|werde ich|habe ich|ich habe|ich melde|melde ich|ich kümmere|ich schicke|"
    r"schicke ich|erstatte ich|ich erstatte|antworten Sie|schreiben Sie mir|geben Sie mir)\b",
    r"\binnerhalb von \d+ Stunden\b",
    r"\b(?:je vais|j'ai|je vous (?:envoie|rembourse|réponds|recontacte|écris)|je reviens|"
    r"répondez|écrivez-moi|dites-moi)\b",
    r"\bdans les \d+ heures\b",
    r"\b(?:voy a|le (?:enviaré|enviamos|envío|reembolso|reembolsaré|responderé|escribiré)|he "
    r"(?:\w+ado|\w+ido)|responda|escríbame|dígame|le contestaré)\b",
    r"\ben (?:un plazo de |menos de )?\d+ horas\b",
    r"\b(?:ho (?:\w+ato|\w+ito|\w+uto)|le (?:invierò|invio|rimborso|rimborserò|risponderò|"
    r"scriverò)|provvederò|mi (?:scriva|faccia sapere)|risponda)\b",
    r"\bentro \d+ ore\b",
]


def _compile(patterns: Iterable[str]) -> PatternList:
    return PatternList(patterns, _I)


_NON_APOLOGIES = _compile(NON_APOLOGIES)
_BLAME = _compile(BLAME)
_PHOTO_CONDITIONS = _compile(PHOTO_CONDITIONS)
_APOLOGIES = _compile(APOLOGIES)
_NEXT_STEPS = _compile(NEXT_STEPS)


def _hits(text: str, patterns: PatternList, code: str, message: str) -> list[Finding]:
    return [
        Finding(
            code=code,
            severity="error",
            message=message,
            excerpt=excerpt_of(text, match.start(), match.end()),
        )
        for match in patterns.matches(text)
    ]


def tone_findings(text: str, *, action: str | None = None) -> list[Finding]:
    findings = _hits(
        text,
        _NON_APOLOGIES,
        "tone.non_apology",
        'a non-apology: say "I\'m sorry" and own it, with no condition attached',
    )
    findings += _hits(text, _BLAME, "tone.blame", "never blame the buyer")
    findings += _hits(
        text,
        _PHOTO_CONDITIONS,
        "tone.photos_as_condition",
        "photos may be asked for kindly, never as a condition of a refund or replacement",
    )
    if action is not None:
        base = action.split(".", 1)[0]
        if base in PROBLEM_ACTIONS and not _APOLOGIES.any_match(text):
            findings.append(
                Finding(
                    code="tone.no_apology",
                    severity="error",
                    message=f'a {base} reply needs a real apology ("I\'m sorry …")',
                )
            )
        if not _NEXT_STEPS.any_match(text):
            findings.append(
                Finding(
                    code="tone.no_next_step",
                    severity="error",
                    message="say clearly what happens next (what I do, or what the buyer can do)",
                )
            )
    return findings
