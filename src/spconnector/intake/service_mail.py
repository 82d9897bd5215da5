"""Two kinds of Amazon mail that speak of a buyer's problem, a claim or a refund, and are
neither the buyer's own message nor a notice that money moved.

- A customer-service contact: Amazon's customer service writes to the seller for a buyer
  ("We've been contacted by a customer regarding the order identified below", "Dear Amazon
  Seller, this is Amazon's Customer Service team … on behalf of a customer"), in Amazon's
  template of labelled lines (Order# / Order number, Item / Product, Reason / Reason for
  contact, Details, Return requested) and often a time to respond ("within 48 hours"). It
  comes from Amazon's addresses (cs-reply@, seller-notification@ …) or through the buyer's
  relay alias. Read by its structure, not by one sentence: who writes — an opening that says
  Amazon's customer service writes for a customer (EN, DE, FR, ES, IT and a few more), the
  template's closing that tells the seller how to answer "this customer", or Amazon's
  customer-service sender (cs-reply@) — and at least one part of the template: a labelled
  reason, details or return-requested line (with the opening, a stated time to respond
  also counts). Neither alone is enough: a buyer who writes "Amazon customer service told
  me to contact you" stays a buyer. Only the template's own "Reason for contact:" label
  (and its translations) says both at once.
- Seller news: Amazon's news or policy update ("A-to-z Guarantee claim", "refund", "policy
  update", "starting <date>") that names no order. An Amazon mail (not a relay) with no
  order id anywhere is news when it shows news: a policy-change or effective-date phrase in
  its subject or opening, a bulk-mail header (List-Unsubscribe, Precedence: bulk/list) or a
  news sender. Without that it keeps its kind: a real claim whose order we could not read
  is still an urgent claim for a person.

Guarantees: patterns are bounded alternations of short phrases, run on capped text; reading a
mail as either kind moves no money (notice routing gives it to a person); the details are
Amazon's account of the buyer's words, kept as data.
"""

from __future__ import annotations

import re

from spconnector.intake import labels
from spconnector.intake.labels import label_meaning

_OPENING = 3_000  # chars: the relay's own frame may come before the template
_MAX_LINES = 400

# "Amazon's customer service writes for a customer", in the marketplaces' languages
# (lower case, straight apostrophes). Each alternative is a phrase with small fixed gaps.
# Never the relay's own frame ("You have received a message from a customer"): the buyer's
# words follow it, and a buyer may well write "Reason:" or "within 2 days".
_ON_BEHALF = re.compile(
    # en
    r"(?:contacted|reached out to us|written to us) by (?:a|the|one of our|our) "
    r"(?:customer|buyer)|on behalf of (?:a|the|our|one of our) (?:customer|buyer)|"
    r"this is amazon(?:'s)? customer service|amazon customer service (?:has|have) been contacted|"
    r"(?:a|the|one of our|our) (?:customer|buyer) (?:has )?(?:contacted|reached out to|wrote to) "
    r"(?:us|amazon)|"
    # de
    r"im namen (?:eines|einer|des|der|unseres|unserer) (?:kunden|kundin|käufers|käuferin)|"
    r"(?:ein|eine) (?:kunde|kundin|käufer|käuferin) hat (?:sich )?(?:uns|an uns|mit uns|"
    r"(?:[\w-]{1,20} ){1,5}?(?:an uns gewandt|uns kontaktiert))|"
    r"von (?:einem|einer) (?:kunden|kundin|käufer|käuferin) (?:[\w-]{1,20} ){0,8}?kontaktiert|"
    r"hier ist der (?:amazon[- ])?kundenservice|"
    # fr
    r"au nom (?:d'un|d'une|du|de la|de notre) (?:client|cliente|acheteur|acheteuse)|"
    r"(?:un|une) (?:client|cliente|acheteur|acheteuse) nous a contacté|"
    r"contactés? par (?:un|une) (?:client|cliente|acheteur|acheteuse)|"
    r"ici le service (?:client|clientèle)|service à la clientèle d'amazon|"
    # es
    r"en nombre (?:de un|de una|del|de la|de nuestro|de nuestra) (?:cliente|comprador)|"
    r"(?:un|una) (?:cliente|compradora?) (?:se ha puesto en contacto|nos ha contactado)|"
    r"contactad[oa]s? (?:por )?(?:un|una) (?:cliente|compradora?)|"
    # it
    r"per conto (?:di un|di una|del|della|di un nostro) (?:cliente|acquirente)|"
    r"(?:un|una) (?:cliente|acquirente) (?:ci ha contattat|ha contattato)|"
    r"contattati da (?:un|una) (?:cliente|acquirente)|"
    # nl, sv, pl, pt, tr (Japanese only by the closing: its relay frame says お客様から too)
    r"namens (?:een|de) klant|een klant heeft contact met ons|för en kunds räkning|"
    r"w imieniu klienta|em nome de (?:um|uma) (?:cliente|comprador)|müşteri adına"
)
# The template's closing: Amazon tells the seller how to answer "this customer" (searched in
# the whole text, it ends the mail; an alternative to the opening, never to the structure).
_ANSWER_THIS_CUSTOMER = re.compile(
    r"to respond to this (?:customer|buyer)|respond directly to this (?:customer|buyer)|"
    r"um ihren (?:käufer|kunden) zu kontaktieren|répondre directement à ce client|"
    r"para responder al cliente|para enviarle una respuesta al cliente|"
    r"per rispondere a questo cliente|je kunt de klant antwoorden|"
    r"aby skontaktować się z tym klientem|bu müşteriye cevap vermek|購入者様へのご連絡は"
)
# "Reason for contact:": the label of Amazon's customer-service template, which no buyer
# or other notice writes — alone enough (lower case, as the label stands before its colon).
_CONTACT_REASON = frozenset(
    {"reason for contact", "contact reason", "raison du contact", "motif du contact",
     "kontaktgrund", "grund der kontaktaufnahme", "grund für die kontaktaufnahme",
     "motivo del contacto", "motivo de contacto", "motivo del contatto",
     "motivo della richiesta di contatto", "reden voor contact", "powód kontaktu"}
)  # fmt: skip
# "Return requested: Yes" — its label, and the values that say yes or no
_RETURN_REQUESTED = (
    "return requested", "retour demandé", "rücksendung angefordert", "rücksendung beantragt",
    "devolución solicitada", "reso richiesto", "retour aangevraagd",
)  # fmt: skip
_YES = ("yes", "oui", "ja", "sí", "si", "sì", "yes.", "true")
_NO = ("no", "non", "nein", "nee", "false")

# Seller news: a policy change or an effective date (lower case).
_NEWS = re.compile(
    # en
    r"policy (?:update|change)|(?:update|change)s? to (?:the|our|your|how)|"
    r"we(?:'re| are| will be) (?:updating|changing|introducing|expanding|launching|removing|"
    r"extending|simplifying)|(?:starting|beginning|effective|as of) (?:on )?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d{1,2}[./ ])|"
    r"seller news|news for sellers|important update|going forward|"
    r"(?:from|on) (?:january|february|march|april|june|july|august|september|october|"
    r"november|december) \d|will (?:no longer|now|begin|start) |"
    r"(?:new|updated) (?:policy|policies|requirement|process|program|programme)|"
    # de
    r"änderung(?:en)? (?:an|der|des|bei|zu|unserer)|aktualisierung (?:der|des|unserer)|"
    r"richtlinienänderung|(?:ab dem|ab|seit dem|mit wirkung zum) \d{1,2}\.|"
    r"wir (?:ändern|aktualisieren|erweitern|vereinfachen)|neuigkeiten für verkäufer|"
    r"(?:ab|ab dem|seit) (?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|"
    r"november|dezember)|künftig|in zukunft|"
    # fr
    r"mise à jour (?:de|des|du|importante)|modifications? (?:de|des|du|apportée)|"
    r"(?:à compter du|à partir du|dès le) \d|nous (?:modifions|mettons à jour|élargissons)|"
    r"actualités (?:pour les )?vendeurs|nouvelle politique|désormais|à l'avenir|"
    # es
    r"actualización (?:de|del|en|importante)|cambios? en (?:la|el|los|las|nuestra)|"
    r"a partir del? \d|(?:vamos a|estamos) (?:actualizar|cambiar|actualizando|cambiando)|"
    r"novedades para vendedores|nueva política|próximamente|de ahora en adelante|"
    # it
    r"aggiornamento (?:della|del|delle|dei|importante)|modific(?:a|he) (?:alla|alle|al|della|"
    r"delle)|a partire dal? \d|(?:stiamo|abbiamo) (?:aggiornando|modificando|aggiornato)|"
    r"novità per i venditori|nuova (?:politica|normativa)|d'ora in poi|dal prossimo|"
    # nl, sv, pl, tr, ja
    r"wijziging(?:en)? (?:in|van|aan)|vanaf \d|ändring(?:ar)? (?:i|av)|från och med \d|"
    r"zmian[ay] (?:w|dotycząc)|od \d{1,2} (?:stycznia|lutego|marca|kwietnia|maja|czerwca|"
    r"lipca|sierpnia|września|października|listopada|grudnia)|itibaren|変更|お知らせ"
)
# Amazon's customer-service senders (their Amazon domain is checked by the caller).
_SERVICE_SENDERS = frozenset(
    {"cs-reply", "customer-service", "customerservice", "cs-seller-reply", "cs-noreply"}
)
_NEWS_SENDERS = ("news", "marketing", "announce", "campaign", "newsletter")
_BULK_PRECEDENCE = ("bulk", "list", "junk")


def _norm(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u00a0", " ")


def is_customer_service_contact(text: str, *, sender: str = "") -> bool:
    """Amazon's customer service writes here for a buyer (see the module docstring): its
    on-behalf opening with a labelled line of the template or a stated time to respond; or
    the template's closing, or Amazon's customer-service sender (cs-reply@ …), with a
    labelled line (a time to respond alone is a buyer's words too)."""
    opening = _ON_BEHALF.search(" ".join(_norm(text[:_OPENING]).split())) is not None
    from_service = sender.partition("@")[0].lower() in _SERVICE_SENDERS
    if (
        not opening
        and not from_service
        and not _ANSWER_THIS_CUSTOMER.search(" ".join(_norm(text[:20_000]).split()))
    ):
        return _has_contact_reason(text)
    deadline = False
    for line in text[:50_000].splitlines()[:_MAX_LINES]:
        label, sep, _value = line.strip()[:400].partition(":")
        # "Reason: …", or a label alone on its line (a table cell, the value in the next)
        if (sep or len(label.split()) <= 4) and 1 <= len(label.strip()) <= 60:
            low = _norm(label.strip())
            if label_meaning(low) in ("reason", "details") or low.startswith(_RETURN_REQUESTED):
                return True
        deadline = deadline or bool(
            labels.WITHIN_HOURS.search(line[:1_000]) or labels.WITHIN.search(line[:1_000])
        )
    return opening and deadline


def _has_contact_reason(text: str) -> bool:
    for line in text[:50_000].splitlines()[:_MAX_LINES]:
        label, sep, _value = line.strip()[:400].partition(":")
        if sep and _norm(label.strip()) in _CONTACT_REASON:
            return True
    return False


def is_seller_news(*, sender: str, subject: str, text: str, bulk: bool) -> bool:
    """Amazon's mail shows news (the caller checks that it names no order)."""
    local = sender.partition("@")[0].lower()
    if bulk or any(word in local for word in _NEWS_SENDERS):
        return True
    return bool(_NEWS.search(_norm(f"{subject[:500]}\n{text[:_OPENING]}")))


def is_bulk(precedence: str | None, list_unsubscribe: str | None) -> bool:
    """Mail sent to a list (List-Unsubscribe, Precedence: bulk/list), not about one order."""
    return bool(list_unsubscribe) or (precedence or "").strip().lower() in _BULK_PRECEDENCE


def details(lines: list[str]) -> str | None:
    """The text on the "Details:" line; when the label stands alone (plain-text template),
    the lines after it up to the template's rule line (-----), the next labelled line, a
    time to respond, or the closing ("To respond to this customer … following link:")."""
    for index, line in enumerate(lines[:_MAX_LINES]):
        label, sep, value = line[:400].partition(":")
        if not sep or not 1 <= len(label.strip()) <= 60 or label_meaning(label) != "details":
            continue
        if value.strip():
            return value.strip()[:4_000]
        found: list[str] = []
        for after in lines[index + 1 : index + 40]:
            head, colon, _rest = after[:400].partition(":")
            if set(after) <= set("-_=* ") or (colon and label_meaning(head) is not None):
                break
            if colon and _norm(head).rstrip().endswith(_CLOSING_ENDS):
                break  # "To respond to this customer, please reply … at the following link:"
            if labels.WITHIN_HOURS.search(after[:1_000]):
                break  # Amazon's own "respond within 48 hours"
            found.append(after)
        text = "\n".join(found).strip()
        return text[:4_000] or None
    return None


# How the template's closing line ends before its link, by language (lower case).
_CLOSING_ENDS = (
    "following link", "folgenden link", "compte vendeur", "siguiente enlace", "seguente link",
    "conta de vendedor pelo link", "verkopersaccount",
)  # fmt: skip


def table_value(tables: list[list[list[str]]], meaning: str) -> str | None:
    """The value of a two-column row whose first cell is a label of `meaning` (the template
    as an HTML table: "Grund | Artikel beschädigt")."""
    for rows in tables:
        for row in rows:
            if len(row) == 2 and row[1].strip() and label_meaning(row[0].rstrip(" :")) == meaning:
                return row[1].strip()[:4_000]
    return None


def return_requested(lines: list[str]) -> bool | None:
    for line in lines[:_MAX_LINES]:
        label, sep, value = line[:400].partition(":")
        if sep and _norm(label.strip()).startswith(_RETURN_REQUESTED):
            answer = _norm(value).strip().rstrip(".")
            if answer in _YES:
                return True
            if answer in _NO:
                return False
            return None
    return None
