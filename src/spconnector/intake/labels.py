"""What the words of Amazon's notices mean, in every language of its marketplaces.

Labels ("Order ID:", "Bestellnummer:", "Reden voor retour:", "Powód zwrotu:") by the words
they contain, never by position; and the phrases of a deadline ("respond within 3 days",
"within 72 hours"), of a decided claim and of a rating. Adding a language is adding words
here. All patterns are bounded and run on capped text.
"""

from __future__ import annotations

import re

# What labels mean, by the words they contain (lower-case). Checked in this order.
LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("comment", ("comment", "kommentar", "comentario", "opmerking", "komentarz", "yorum",
                 "comentário", "コメント")),
    ("policy", ("policy", "politiche", "richtlinie", "politique", "política", "politica",
                "beleid", "polityk", "zasad", "politika", "regler")),
    # "Return Authorization Number" is the RMA id; a bare "Authorization" is its status
    ("rma", ("rma", "authorization number", "authorisation number", "numéro d'autorisation",
             "numero di autorizzazione", "número de autorización", "autorisierungsnummer")),
    ("authorization", ("authori", "autorizzazione", "genehmigung", "autorisation", "autoriza",
                       "autorisatie", "machtiging", "auktoriser", "autoryzac", "yetkilendirme")),
    ("carrier", ("carrier", "corriere", "versanddienst", "transportunternehmen", "transporteur",
                 "transportista", "vervoerder", "transportör", "fraktbolag", "przewoźnik",
                 "kargo firması", "transportadora", "配送業者")),
    ("tracking", ("tracking", "tracciamento", "sendungsnummer", "sendungsverfolgung", "suivi",
                  "seguimiento", "volgnummer", "spårning", "śledzeni", "numer przesyłki",
                  "takip", "rastreamento", "追跡")),
    # "raison du/de …" but never the "raison" inside "livraison"
    ("reason", ("reason", "motivo", "grund", "motif", "raison du", "raison de", "raison d'",
                "reden", "anledning", "orsak", "powód", "przyczyn", "neden", "sebep", "理由",
                "سبب", "原因", "कारण")),
    ("quantity", ("quantit", "menge", "anzahl", "cantidad", "aantal", "antal", "ilość", "adet",
                  "miktar", "数量", "qty", "मात्रा")),
    ("asin", ("asin",)),
    ("sku", ("sku",)),
    ("rating", ("rating", "valutazione", "bewertung", "évaluation", "valoración", "beoordeling",
                "betyg", "ocena", "puan", "avaliação", "評価")),
    ("refund", ("refund", "rimborso", "erstattung", "remboursement", "reembolso", "terugbetaling",
                "restitutie", "återbetalning", "zwrot kwoty", "zwrot środków", "kwota zwrotu",
                "geri ödeme", "返金", "استرداد", "退款", "धनवापसी")),
    ("date", ("date", "data", "datum", "fecha", "tarih", "日付", "受付日", "received",
              "eingegangen", "reçue", "recibida", "ricevuta", "ontvangen", "mottagen")),
    ("title", ("item", "articolo", "artikel", "article", "artículo", "articulo", "product",
               "produkt", "produit", "producto", "prodotto", "produto", "ürün", "pozycja", "vara",
               "商品", "title", "titolo")),
    ("order", ("order", "ordine", "bestel", "beställning", "commande", "pedido", "zamówien",
               "sipariş", "注文", "الطلب", "订单", "ऑर्डर")),
    # what Amazon's customer service relays of the buyer's words ("Details:", "Weitere Angaben:")
    ("details", ("detail", "détail", "weitere angaben", "dettagli", "detalle", "detalhe",
                 "szczegół", "ayrıntı", "詳細")),
)  # fmt: skip
WORDS_ONLY = frozenset({"rma", "asin", "sku"})  # short names: whole words (phrases as they are)
SHIPPING = (
    "shipping",
    "spedizion",
    "versand",
    "livraison",
    "envío",
    "envio",
    "verzend",
    "frakt",
    "wysyłk",
    "dostaw",
    "kargo",
    "配送",
)
NEGATIONS = (
    "not ",
    "outside",
    "non ",
    "nicht",
    "außerhalb",
    "hors",
    "fuera",
    "no ",
    "buiten",
    "niet ",
    "utanför",
    "inte ",
    "poza",
    "nie ",
    "dışında",
    "fora",
    "対象外",
)

# Number words Amazon writes instead of digits ("within seven calendar days"), by language.
NUMBER_WORDS: dict[str, int] = {
    **dict(zip(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
               range(1, 11), strict=True)),
    **dict(zip(("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
                "zehn"), range(1, 11), strict=True)),
    **dict(zip(("un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"),
               range(1, 11), strict=True)),
    **dict(zip(("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
                "diez"), range(1, 11), strict=True)),
    **dict(zip(("uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove",
                "dieci"), range(1, 11), strict=True)),
}  # fmt: skip
_NUMBER = r"(\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
# What comes before the time to respond: "within", or "you have" (to respond), per language.
# Longer phrases first: "en un plazo de" before "en", "dans un délai de" before "dans".
_LEAD_WORDS = (
    r"within|you have|you've got|innerhalb(?: von)?|sie haben|ihnen bleiben|"
    r"dans un délai de|dans les|vous disposez de|vous avez|sous|en un plazo de|dispones de|"
    r"dispone de|tienes|tiene|dentro de|entro|hai a disposizione|hai|avete|"
    r"binnen|u heeft|je hebt|inom|du har|w ciągu|masz|"
    # Portuguese: "Responda em até 3 dias corridos", "você tem 3 dias", "no prazo de"
    r"em até|no prazo de|você tem|em|en|"
    # Arabic "يُرجى الرد خلال 3 أيام" (within), "لديك" (you have)
    r"خلال|في غضون|لديك"
)
# "3 days", "seven calendar days", "7 Kalendertagen", "3 jours calendaires", "3 días naturales"
WITHIN = re.compile(
    rf"(?<!\w)(?:{_LEAD_WORDS})\s{{1,3}}{_NUMBER}\s{{1,3}}(?:[^\W\d]{{1,20}}\s{{1,3}}){{0,2}}?"
    r"(?:kalender|werk|arbeits)?(?:days|giorni|tagen|tage|jours|días|dias|dagen|dagar|dni|أيام|يوم)\b",
    re.IGNORECASE,
)
# the number before its postposition: Japanese "3日以内", Chinese "3 天内", Hindi "3 दिनों के भीतर"
WITHIN_JA = re.compile(
    r"(\d{1,2})\s{0,2}(?:日以内|天内|天之内|日内|(?:दिनों|दिन) (?:के भीतर|के अंदर|में))"
)
# "respond within 72 hours": the same phrases with hours
WITHIN_HOURS = re.compile(
    r"(?<!\w)(?:in den nächsten|dans les|en las próximas|nelle prossime|le prossime|"
    rf"{_LEAD_WORDS})\s{{1,3}}{_NUMBER}\s{{1,3}}"
    r"(?:hours|ore|stunden|heures|horas|uur|timmar|godzin)\b",
    re.IGNORECASE,
)


WITHIN_HOURS_JA = re.compile(r"(\d{1,3})\s{0,2}時間以内")


def number(text: str) -> int | None:
    """A number as a notice writes it: digits or a number word ("seven", "sieben")."""
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text.lower())


DECIDED = re.compile(
    r"decision|decided|granted|denied|closed|decisione|concesso|respinto|entschieden|"
    r"entscheidung|"
    r"gewährt|abgelehnt|décision|accordé|refusé|decisión|concedido|denegado|beslissing|"
    r"toegekend|afgewezen|beslut|beviljat|avslag|decyzj|przyznan|odrzucon|karar|decisão|決定|"
    # a claim the buyer withdrew is closed too
    r"withdrawn|withdrew|zurückgezogen|retirée|retirada|ritirat|ingetrokken|wycofan",
    re.IGNORECASE,
)
GRANTED_BODY = re.compile(
    r"we have granted|we granted|hemos concedido|abbiamo concesso|nous avons accordé|"
    r"wir haben .{0,40}gewährt|przyznaliśmy|vi har beviljat|wij hebben .{0,40}toegekend|"
    r"we hebben .{0,40}toegekend",
    re.IGNORECASE,
)
# A decision stated in a claim's or chargeback's text, whatever its subject: decided for one
# side ("decided the claim in your favour", "zugunsten des Karteninhabers entschieden"), an
# appeal's outcome, a claim the buyer withdrew, a claim Amazon paid itself (Claims
# Protection). Read only where the clause says it happened (see `stated_decision`): "the
# claim will be granted in favour of the buyer if you do not respond" is no decision.
DECIDED_BODY = re.compile(
    r"decided (?:it|this|the) (?:\w{1,12} ){0,2}in (?:your|the \w{1,12}['’]s) favou?r|"
    r"upheld (?:our|the) (?:original |earlier |initial )?decision|"
    r"(?:has|have) withdrawn (?:the|their|his|her|this) |claim (?:has been|was|is now) closed|"
    r"(?:amazon|we) (?:has|have) (?:reimbursed|refunded) the (?:buyer|customer)|"
    r"zu ?gunsten (?:des|der|ihres|ihrer|von) .{0,40}entschieden|"
    r"(?:tranché|décidé|statué|résolu)e? .{0,40}en (?:votre|sa|leur) faveur|"
    r"(?:resuelto|decidido|resuelta|decidida) .{0,40}a (?:su|tu) favor|"
    r"(?:deciso|risolto|decisa|risolta) .{0,40}a (?:suo|tuo|vostro) favore|"
    r"(?:decidid[ao]|resolvid[ao]) .{0,40}a (?:seu|sua) favor",
    re.IGNORECASE,
)
# What makes a clause a possibility or a condition, not a decision made.
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|once|when|until|may|might|could|would|will|can|should|falls|wenn|sofern|"
    r"sobald|wird|werden|kann|könnte|si|lorsque|quand|sera|pourra|pourrait|cuando|será|"
    r"podrá|podría|quando|sarà|potrà|potrebbe|verrà|caso|poderá)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.!?;\n]|:\s")


def stated_decision(line: str) -> bool:
    """`line` says a claim or chargeback was decided, in a clause with no condition."""
    found = DECIDED_BODY.search(line[:1_000])
    if found is None:
        return False
    line = line[:1_000]
    ends = [m.end() for m in _CLAUSE_END.finditer(line, 0, found.start())]
    start = ends[-1] if ends else 0
    after = _CLAUSE_END.search(line, found.end())
    clause = line[start : after.start() if after else len(line)]
    return _CONDITIONAL.search(clause) is None


RATING = re.compile(r"(?<!\d)([1-5])\s{0,2}(?:/|out of|su|von|sur|de|van|av|z)\s{0,2}5(?!\d)")


def label_meaning(label: str) -> str | None:
    low = label.strip().lower()[:120]
    tokens = set(re.split(r"[^\w]+", low))
    for meaning, words in LABELS:
        if meaning in WORDS_ONLY:
            if any((w in low) if " " in w else (w in tokens) for w in words):
                return meaning
            continue
        if any(w in low for w in words):
            if meaning == "refund" and any(s in low for s in SHIPPING):
                return "shipping_refund"
            return meaning
    return None
