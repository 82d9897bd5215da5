"""Amazon compliance lint for buyer replies, plus the tone lint.

Amazon's rules for messages to buyers: no links except Amazon's or those the order needs, no
email addresses or phone numbers, no incentives, never ask for positive feedback or for feedback
to be changed in exchange for anything, plain text, ≤ 2000 characters where the Messaging API
carries it. A reply with an error-level finding is never sent; the case is escalated with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from spconnector.replies.findings import Finding, excerpt_of
from spconnector.replies.patterns import (
    BARE_HOST,
    EMAIL,
    OFF_PLATFORM,
    URL,
    PatternList,
    phone_spans,
)
from spconnector.replies.tone import tone_findings

Channel = Literal["email", "messaging"]

MESSAGING_MAX_CHARS = 2000  # Messaging API createUnexpectedProblem & co.: 1–2000 characters
MAX_LINT_CHARS = 20_000  # far above any reply we write; beyond it a text is refused as it is

_I = re.IGNORECASE

_AMAZON_HOST = re.compile(
    r"^(?:[a-z0-9-]+\.)*amazon\.(?:com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|nl|pl|se|com\.be"
    r"|in|co\.jp|com\.au|sg|ae|sa|eg|com\.tr|ie)$",
    _I,
)
# Possessive: a "<a" followed by pages of spaces and no ">" costs one scan, not a square.
_HTML = re.compile(r"<\s*+/?\s*+[a-z][a-z0-9]*+(?:\s[^<>]*+)?>", _I)
_TEMPLATE_LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")

INCENTIVES = [
    r"\bgift ?cards?\b",
    r"\bvouchers?\b",
    r"\bcoupons?\b",
    r"\bdiscount(?:s|ed)?\b",
    r"\bpromo(?:tional)? codes?\b",
    r"\bfree (?:product|gift|item|sample|unit|bottle|pack)s?\b",
    r"\bin exchange for\b",
    r"\bcash ?back\b",
    r"\breward(?:s|ed)?\b",
    r"\b(?:Gutschein\w*|Rabatt\w*|Geschenkkarte\w*|Gratisprodukt\w*|Rabattcode\w*)\b",
    r"\bkostenlose[snm]? (?:Produkt|Geschenk|Artikel)\w*\b",
    r"\bim Austausch (?:für|gegen)\b",
    r"\bals (?:kleines )?Dankeschön\b",
    r"\bcartes?[- ]cadeaux?\b",
    r"\bbons? d'achat\b",
    r"\bcodes? promo\w*\b",
    r"\b(?:réduction|remise)s?\b",
    r"\bproduits? (?:gratuits?|offerts?)\b",
    r"\ben échange (?:de|d'|d’)",
    r"\btarjetas? (?:de )?regalo\b",
    r"\bcupon(?:es)?\b|\bcupón\b",
    r"\bdescuentos?\b",
    r"\bcódigos? promocional(?:es)?\b",
    r"\bproductos? (?:gratis|gratuitos?)\b",
    r"\ba cambio de\b",
    r"\b(?:buono|buoni|carta|carte) (?:regalo|sconto)\b",
    r"\bscont[oi]\b",
    r"\bcodic[ei] promozional[ei]\b",
    r"\bprodott[oi] (?:gratuit[oi]|omaggio|in omaggio)\b",
    r"\bin cambio di\b",
]

POSITIVE_FEEDBACK = [
    r"\bpositive (?:feedback|review|rating)s?\b",
    r"\b(?:5|five)[- ]stars?\b",
    r"\b(?:good|great|glowing) (?:feedback|review|rating)\b",
    r"\bpositive (?:Bewertung|Rezension|Feedback)\w*\b",
    r"\b(?:5|fünf) Sterne\w*\b",
    r"\b(?:avis|commentaire|évaluation)s? positi(?:f|ve)s?\b",
    r"\b(?:5|cinq) étoiles\b",
    r"\b(?:valoración|opinión|reseña|comentario)(?:es)? positiv[oa]s?\b",
    r"\b(?:5|cinco) estrellas\b",
    r"\b(?:feedback|recensione|valutazione|recensioni|valutazioni) positiv[eoia]\b",
    r"\b(?:5|cinque) stelle\b",
]

_FB_NOUN = (
    r"(?:(?:your|the|this|that|a|my|negative|neutral|bad|low|seller) (?:review|rating)|feedback|"
    r"Bewertung|Rezension|évaluation|avis|commentaire|valoración|"
    r"opinión|reseña|calificación|valutazione|recensione)"
)
_FB_VERB = (
    r"(?:remov|chang|updat|delet|revis|edit|withdraw|amend|take down|ändern|änderst|entfern|"
    r"lösch|zurückzieh|aktualisier|anpass|modifi|retir|supprim|mett\w* à jour|chang|elimin|"
    r"cambi|actualiz|actualic|modifiq|borr|rimuov|rimoss|cancell|aggiorn|ritir|rivedere)"
)
FEEDBACK_CHANGE = [
    rf"\b{_FB_VERB}\w*\b[^.!?\n]{{0,40}}\b{_FB_NOUN}",
    rf"\b{_FB_NOUN}\w*\b[^.!?\n]{{0,40}}\b{_FB_VERB}",
]
# In the same sentence as a feedback change, these make it an exchange or a request.
FEEDBACK_COMPENSATION = [
    r"\b(?:refund|replace|replacement|reimburs|money back|compensat|send you|give you|gift|"
    r"Erstatt|erstatt|Ersatz|Rückerstattung|Geld zurück|schicke Ihnen|rembours|remplac|"
    r"vous envoie|vous offr|reembols|reemplaz|le envi|le regal|rimbors|sostitu|le invi|"
    r"le regal)\w*",
]
FEEDBACK_CONDITION = [
    r"\b(?:if|once|as soon as|after|when) you\b",
    r"\b(?:wenn|sobald|nachdem|falls) Sie\b",
    r"\b(?:si|dès que|une fois que|après que) vous\b",
    r"\b(?:si usted|una vez que|en cuanto|cuando usted|si (?:modifica|elimina|retira|cambia))\b",
    r"\b(?:se lei|non appena|una volta che|se (?:modifica|rimuove|aggiorna|cancella))\b",
]
FEEDBACK_REQUEST = [
    r"\b(?:please|kindly|would you (?:mind|consider|be willing)|could you|can you|"
    r"(?:I|we)(?:'d| would) (?:appreciate|be grateful|love)|ask(?:ing)? you to|we hope you)\b",
    r"\b(?:bitte|würden Sie|könnten Sie|wir bitten Sie|ich bitte Sie|wären wir dankbar)\b",
    r"\b(?:merci de|pourriez-vous|pouvez-vous|nous vous (?:prions|demandons)|"
    r"je vous (?:prie|demande))\b",
    r"\b(?:por favor|podría|le (?:pedimos|pido|agradecer\w*)|nos gustaría que)\b",
    r"\b(?:per favore|potrebbe|le chiedo|le chiediamo|la preghiamo|le saremmo grat\w*)\b",
]


def _compile(patterns: Iterable[str]) -> PatternList:
    return PatternList(patterns, _I)


_INCENTIVES = _compile(INCENTIVES)
_POSITIVE = _compile(POSITIVE_FEEDBACK)
_FB_CHANGE = _compile(FEEDBACK_CHANGE)
_FB_COMPENSATION = _compile(FEEDBACK_COMPENSATION)
_FB_CONDITION = _compile(FEEDBACK_CONDITION)
_FB_REQUEST = _compile(FEEDBACK_REQUEST)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _error(code: str, message: str, text: str, match: re.Match[str] | None) -> Finding:
    excerpt = excerpt_of(text, match.start(), match.end()) if match else ""
    return Finding(code=code, severity="error", message=message, excerpt=excerpt)


def _host_allowed(host: str, allowed_domains: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    if _AMAZON_HOST.match(host):
        return True
    for domain in allowed_domains:
        domain = domain.lower().strip(".")
        if host == domain or host.endswith("." + domain):
            return True
    return False


def _host_of(url: str) -> str:
    rest = re.sub(r"^[a-z]+://", "", url, flags=_I)
    return re.split(r"[/?#:]", rest, maxsplit=1)[0]


def _link_findings(text: str, allowed_domains: Iterable[str]) -> list[Finding]:
    findings = []
    allowed = tuple(allowed_domains)
    covered: list[tuple[int, int]] = []
    for match in URL.finditer(text):
        covered.append(match.span())
        if not _host_allowed(_host_of(match.group(0)), allowed):
            findings.append(
                _error("compliance.link", "links other than Amazon's are not allowed", text, match)
            )
    masked = EMAIL.sub(lambda m: " " * len(m.group(0)), text)
    for match in BARE_HOST.finditer(masked):
        if any(lo <= match.start() < hi for lo, hi in covered):
            continue
        if not _host_allowed(match.group(1), allowed):
            findings.append(
                _error("compliance.link", "links other than Amazon's are not allowed", text, match)
            )
    return findings


def _phone_findings(text: str) -> list[Finding]:
    return [
        Finding(
            code="compliance.phone",
            severity="error",
            message="phone numbers are not allowed",
            excerpt=excerpt_of(text, start, end),
        )
        for start, end in phone_spans(text)
    ]


def _feedback_findings(text: str) -> list[Finding]:
    findings = [
        _error(
            "compliance.feedback_positive",
            "never ask for positive feedback or a star rating",
            text,
            match,
        )
        for match in _POSITIVE.matches(text)
    ]
    for sentence in _SENTENCE.finditer(text):
        piece = sentence.group(0)
        change = _FB_CHANGE.first_search(piece)
        if change is None:
            continue
        excerpt = " ".join(piece.split())
        if _INCENTIVES.any_match(piece) or _FB_COMPENSATION.any_match(piece):
            findings.append(
                Finding(
                    code="compliance.feedback_incentive",
                    severity="error",
                    message="feedback may never be tied to a refund, replacement or any benefit",
                    excerpt=excerpt,
                )
            )
        elif _FB_CONDITION.any_match(piece):
            findings.append(
                Finding(
                    code="compliance.feedback_conditional",
                    severity="error",
                    message="feedback may only be mentioned neutrally, never with a condition",
                    excerpt=excerpt,
                )
            )
        elif _FB_REQUEST.any_match(piece):
            findings.append(
                Finding(
                    code="compliance.feedback_request",
                    severity="error",
                    message="do not ask the buyer to change or remove feedback; "
                    "say neutrally that they can update it",
                    excerpt=excerpt,
                )
            )
    return findings


def contact_findings(text: str, *, allowed_domains: Iterable[str] = ()) -> list[Finding]:
    """Links, email addresses, phone numbers, off-platform contact and markup: what must never
    reach the buyer, whoever wrote it — so these run on the reply exactly as it would be sent,
    the buyer's quoted words and name included."""
    findings = _link_findings(text, allowed_domains)
    findings += [
        _error("compliance.email", "email addresses are not allowed", text, m)
        for m in EMAIL.finditer(text)
    ]
    findings += _phone_findings(text)
    findings += [
        _error("compliance.off_platform", "no contact outside Amazon's messaging", text, m)
        for m in OFF_PLATFORM.finditer(text)
    ]
    findings += [
        _error("compliance.html", "replies are plain text: no HTML", text, m)
        for m in _HTML.finditer(text)
    ]
    return findings


def compliance_findings(
    text: str,
    *,
    channel: Channel,
    amazon_order_id: str | None = None,
    proactive: bool = False,
    allowed_domains: Iterable[str] = (),
    contacts: bool = True,
) -> list[Finding]:
    """`contacts=False` leaves out `contact_findings`, for a caller that runs them itself on
    other text (the renderer: on the whole unmasked reply)."""
    findings = contact_findings(text, allowed_domains=allowed_domains) if contacts else []
    findings += [
        _error("compliance.incentive", "no incentives of any kind", text, m)
        for m in _INCENTIVES.matches(text)
    ]
    findings += _feedback_findings(text)
    if not text.strip():
        findings.append(Finding(code="compliance.empty", severity="error", message="empty reply"))
    if channel == "messaging" and len(text) > MESSAGING_MAX_CHARS:
        findings.append(
            Finding(
                code="compliance.too_long",
                severity="error",
                message=f"{len(text)} characters; the Messaging API carries at most "
                f"{MESSAGING_MAX_CHARS}",
            )
        )
    if proactive and (not amazon_order_id or amazon_order_id not in text):
        findings.append(
            Finding(
                code="compliance.order_id_missing",
                severity="error",
                message="a proactive message must name the order id",
            )
        )
    return findings


def lint(
    text: str,
    *,
    channel: Channel,
    amazon_order_id: str | None = None,
    proactive: bool = False,
    allowed_domains: Iterable[str] = (),
    action: str | None = None,
    contacts: bool = True,
) -> list[Finding]:
    """Every compliance and tone finding for a reply's text. `action` (an Action value or a
    template name) turns on the checks that depend on it: a real apology in problem replies and
    a clear next step. `contacts` as in `compliance_findings`. A text over MAX_LINT_CHARS is an
    error and only its first MAX_LINT_CHARS are checked further (every check is linear, but
    ~100 patterns over megabytes would still take seconds)."""
    cut: list[Finding] = []
    if len(text) > MAX_LINT_CHARS:
        cut.append(
            Finding(
                code="compliance.too_long",
                severity="error",
                message=f"{len(text)} characters; no reply is longer than {MAX_LINT_CHARS}",
            )
        )
        text = text[:MAX_LINT_CHARS]
    findings = cut + compliance_findings(
        text,
        channel=channel,
        amazon_order_id=amazon_order_id,
        proactive=proactive,
        allowed_domains=allowed_domains,
        contacts=contacts,
    )
    findings += tone_findings(text, action=action)
    findings += [
        Finding(
            code="render.leftover",
            severity="warning",
            message="template syntax in the text (harmless if it is the buyer's own words)",
            excerpt=excerpt_of(text, m.start(), m.end()),
        )
        for m in _TEMPLATE_LEFTOVER.finditer(text)
    ]
    return findings
