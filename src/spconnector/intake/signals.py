"""What a mail is and which marketplace it belongs to, from Amazon's own signals.

Kind, in order of trust: the `X-Space-Notification-Type` header Amazon puts on every
Seller Central notification; then the sender (the buyer's relay alias
@marketplace.amazon.<tld>, atoz-guarantee-no-reply@, cb-seller-notification@,
donotreply@, seller-notification@ …); then the localized subject; then, for Amazon's own
notices only, the same phrases in the opening of the text (claims, chargebacks, refunds,
cancellations).
Then Amazon's customer service writing for a buyer (its template, intake/service_mail.py) is
a customer-service contact, through the relay too — unless the header, sender or subject
name a claim or chargeback, or the header another notice. Last: an
Amazon mail whose kind no type header gave, that names no order id anywhere and shows news
(a policy-change phrase, a bulk header, a news sender) is seller news, not a claim or a
refund, however it speaks of them.
Mail not from an Amazon domain is `other`, whatever it says. When a signal is ambiguous the
result is the kind that moves no money: a notice is never read as a buyer's request.

Marketplace: `X-Marketplace-ID`, then the relay domain or a country sender domain, then the
Seller Central links of an Amazon notice, then the order-id prefix where it names one
marketplace. donotreply@amazon.com sends for every marketplace: amazon.com from a notice's
sender says nothing.

All patterns are bounded (no unbounded repetition next to an alternation) and run on
capped text.
"""

from __future__ import annotations

import re

from spconnector.domain.enums import MessageKind
from spconnector.domain.marketplaces import BY_DOMAIN, BY_ID, Marketplace
from spconnector.domain.notices import MoneyMatter
from spconnector.intake import service_mail

_RELAY_DOMAIN = re.compile(r"^marketplace\.(amazon\.[a-z]{2,3}(?:\.[a-z]{2})?)$")
_AMAZON_DOMAIN = re.compile(r"^(?:[a-z0-9-]{1,63}\.){0,4}(amazon\.[a-z]{2,3}(?:\.[a-z]{2})?)$")
_SELLER_CENTRAL = re.compile(r"https?://sellercentral\.(amazon\.[a-z]{2,3}(?:\.[a-z]{2})?)[/\"'?]")

# X-Space-Notification-Type → kind. Exact names first, then by the name's parts, so a new
# type in a known family (A_Z_CLAIM_…, REFUND_…) still lands in its family.
_TYPES: dict[str, MessageKind] = {
    "BBC_MESSAGE_SENT_TO_MERCHANT": MessageKind.BUYER_MESSAGE,
    "BUYER_MESSAGE": MessageKind.BUYER_MESSAGE,
    "BRC_SELLER_NOTIFICATION": MessageKind.CANCELLATION_REQUEST,  # buyer-requested cancel
    "BUYER_OPTED_OUT_BSM_MESSAGES": MessageKind.BUYER_OPT_OUT,
    "RETURN_REQUEST": MessageKind.RETURN_REQUEST,
    "REFUND_ISSUED": MessageKind.REFUND_NOTICE,
}
_TYPE_FAMILIES: tuple[tuple[str, MessageKind], ...] = (
    ("A_Z_CLAIM", MessageKind.A_TO_Z_CLAIM),
    ("ATOZ", MessageKind.A_TO_Z_CLAIM),
    ("CHARGEBACK", MessageKind.CHARGEBACK),
    ("OPTED_OUT", MessageKind.BUYER_OPT_OUT),
    ("OPT_OUT", MessageKind.BUYER_OPT_OUT),
    ("UNDELIVER", MessageKind.DELIVERY_FAILURE),
    ("NOT_DELIVERED", MessageKind.DELIVERY_FAILURE),
    ("DELIVERY_FAILURE", MessageKind.DELIVERY_FAILURE),
    ("BOUNCE", MessageKind.DELIVERY_FAILURE),
    ("REFUND", MessageKind.REFUND_NOTICE),
    ("RETURN", MessageKind.RETURN_REQUEST),
    ("CANCEL", MessageKind.CANCELLATION_REQUEST),
    ("FEEDBACK", MessageKind.FEEDBACK_NOTICE),
)
_DECIDED_TYPE_PARTS = ("CLOSE", "DECISION", "DECIDED", "GRANTED", "DENIED", "RESOLVED", "FUNDING")

# Sender local parts of Amazon's notice addresses.
_SENDERS: dict[str, MessageKind | None] = {
    "atoz-guarantee-no-reply": MessageKind.A_TO_Z_CLAIM,
    "cb-seller-notification": MessageKind.CHARGEBACK,
    "cb-seller-query": MessageKind.CHARGEBACK,
    # These send many kinds: the subject tells which, else an unknown notice.
    "donotreply": None,
    "do-not-reply": None,
    "no-reply": None,
    "noreply": None,
    "seller-notification": None,
    "seller-notifications": None,
    "auto-communication": None,
    "notification": None,
    "return": None,
    "returns": None,
    "payments": None,
}
_BOUNCERS = ("mailer-daemon", "postmaster")

# Subjects, in order (the most serious first). Each alternative is a short literal phrase
# or a phrase with one bounded gap.
_SUBJECTS: tuple[tuple[MessageKind, re.Pattern[str]], ...] = (
    (
        MessageKind.A_TO_Z_CLAIM,
        re.compile(
            r"a-to-z|a-z guarantee|a-bis-z|garantie de a à z|garantie a à z|"
            r"garant[íi]a de la a a la z|garanzia dalla a alla z|garanzia a-z|"
            r"a-tot-z|a-till-ö|od a do z|a'dan z'ye|garantia de a a z|マーケットプレイス保証",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.CHARGEBACK,
        re.compile(
            r"chargeback|charge dispute|rückbuchung|rückbelastung|"
            r"rétrofacturation|litige (?:de|sur le|relatif au) paiement|contracargo|"
            r"disputa de(?:l)? cargo|storno di addebito|contestazione (?:di|dell'|del) ?addebito|"
            r"terugboeking|obciążenie zwrotne|ters ibraz|estorno|チャージバック",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.REFUND_NOTICE,
        re.compile(
            # a gap of up to 60 chars holds "for the order 302-…-…" between noun and verb
            r"refund (?:(?:has been|was|is) )?(?:initiated|issued|processed)|"
            r"refund (?:notification|confirmation)|refund on (?:your|the seller's) behalf|"
            r"(?:issued|initiated|processed) (?:a|the|your) refund|"
            r"refunded (?:the|your|this) (?:buyer|customer|order)|"
            r"(?:rück)?erstattung.{0,60}(?:eingeleitet|veranlasst|erfolgt|ausgestellt)|"
            r"(?:rück)?erstattungsbestätigung|bestätigung (?:der|ihrer) (?:rück)?erstattung|"
            r"remboursement.{0,60}(?:initié|effectué|lancé|émis)|"
            r"(?:notification|confirmation) de remboursement|"
            r"reembolso.{0,60}(?:iniciado|emitido|realizado)|"
            r"(?:notificación|confirmación) de(?:l)? reembolso|"
            r"rimborso.{0,60}(?:avviato|emesso|effettuato)|"
            r"(?:notifica|conferma) (?:di|del) rimborso|"
            r"terugbetaling.{0,60}(?:gestart|geïnitieerd|uitgevoerd|verwerkt)|"
            r"återbetalning.{0,60}(?:initierad|initierats|genomförd|utförd)|"
            r"zwrot (?:pieniędzy|środków|kwoty).{0,60}(?:zainicjowan|rozpoczęt|zleco)|"
            r"geri ödeme.{0,60}(?:başlatıldı|yapıldı)|返金",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.RETURN_REQUEST,
        re.compile(
            r"return (?:authori[sz]ation )?request|return authori[sz]ation|"
            r"rücksende(?:genehmigung|anfrage|anforderung)|"
            r"demande (?:d'autorisation )?de retour|autorisation de retour|"
            r"(?:solicitud|autorizaci[oó]n) de (?:autorizaci[oó]n de )?devoluci[oó]n|"
            r"richiesta di (?:autorizzazione al )?reso|autorizzazione del reso|"
            r"retourverzoek|retourautorisatie|retourmachtiging|returförfrågan|returbegäran|"
            r"returauktorisering|prośba o zwrot|wniosek o zwrot|autoryzacj[ai] zwrotu|"
            r"iade talebi|iade yetkilendirme|solicitação de devolução|返品リクエスト",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.CANCELLATION_REQUEST,
        re.compile(
            r"cancellation request|request to cancel|order cancell?ation|"
            r"stornierungs(?:anfrage|anforderung|wunsch)|demande d'annulation|"
            r"solicitud de cancelaci[oó]n|richiesta di annullamento|annuleringsverzoek|"
            r"begäran om avbokning|avbeställningsbegäran|prośba o anulowanie|"
            r"wniosek o anulowanie|iptal talebi|solicitação de cancelamento|キャンセルリクエスト",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.DELIVERY_FAILURE,
        re.compile(
            r"undeliver|could not be delivered|was not delivered|wasn't delivered|"
            r"delivery status notification|mail delivery failed|returned mail|"
            r"nicht zugestellt|unzustellbar|"
            r"n['’]a pas (?:pu )?(?:être|été) (?:remis|distribué|livré)|non distribué|"
            r"no se ha(?: podido)? entrega[dr]|no (?:ha sido|fue) entregad|"
            r"non è stat[oa] (?:consegnat|recapitat)|non recapitabile|"
            r"niet (?:worden )?(?:bezorgd|afgeleverd)|kunde inte levereras|"
            r"levererades inte|nie została dostarczona|nie można dostarczyć|teslim edilemedi|"
            r"não (?:foi|pôde ser) entregue|配信できません",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.FEEDBACK_NOTICE,
        re.compile(
            r"new (?:seller )?feedback|neue (?:verkäufer)?bewertung|nouvelle évaluation|"
            r"nouveau commentaire|nueva valoración|nuevos comentarios|nuovo feedback|"
            r"nieuwe (?:feedback|beoordeling)|ny feedback|nytt omdöme|nowa opinia|"
            r"yeni (?:geri bildirim|değerlendirme)|novo feedback|nova avaliação|評価",
            re.IGNORECASE,
        ),
    ),
)
# In a not-delivered notice: the buyer chose to receive no unsolicited messages.
_OPTED_OUT = re.compile(
    r"opted out|chosen not to receive|chose not to receive|"
    r"ha scelto di non ricevere|keine unaufgeforderten|entschieden, keine|"
    r"a choisi de ne pas recevoir|ne souhaite pas recevoir|ha (?:elegido|optado por) no recibir|"
    r"ha decidido no recibir|ervoor gekozen geen|har valt att inte ta emot|"
    r"zrezygnował[a]? z otrzymywania|almamayı seçti|optou por não receber|受信を拒否",
    re.IGNORECASE,
)

# Order-id prefixes that name one marketplace (the shared EU prefixes 40x, 17x do not).
_ORDER_PREFIX = {
    **{p: "amazon.com" for p in ("111", "112", "113", "114")},
    **{p: "amazon.co.uk" for p in ("202", "203", "204", "205", "206")},
    **{p: "amazon.de" for p in ("302", "303", "304", "305", "306")},
}


def relay_domain(addr: str) -> str | None:
    """amazon.<tld> when `addr` is a buyer's relay alias — only Amazon's own marketplaces:
    "marketplace.amazon.evil.com" is not a relay."""
    found = _RELAY_DOMAIN.match(_domain(addr))
    return found.group(1) if found and found.group(1) in BY_DOMAIN else None


def is_buyer_alias(addr: str) -> bool:
    """A buyer's relay alias: @marketplace.amazon.<tld>, but not the relay's own no-reply
    addresses (its bounces and notices come from those)."""
    return relay_domain(addr) is not None and addr.partition("@")[0] not in _NOT_BUYERS


_NOT_BUYERS = frozenset(
    {"donotreply", "do-not-reply", "no-reply", "noreply", "mailer-daemon", "postmaster",
     "notification", "notifications", "auto-communication"}
)  # fmt: skip


def amazon_domain(addr: str) -> str | None:
    found = _AMAZON_DOMAIN.match(_domain(addr))
    return found.group(1) if found and found.group(1) in BY_DOMAIN else None


def _domain(addr: str) -> str:
    return addr.rpartition("@")[2].lower()[:255] if "@" in addr else ""


def kind_from_type(notification_type: str | None) -> MessageKind | None:
    if not notification_type:
        return None
    name = notification_type.strip().upper()[:120]
    if name in _TYPES:
        return _TYPES[name]
    for part, kind in _TYPE_FAMILIES:
        if part in name:
            return kind
    return MessageKind.AMAZON_NOTICE


def decided_type(notification_type: str | None) -> bool:
    name = (notification_type or "").upper()
    return any(part in name for part in _DECIDED_TYPE_PARTS)


def kind_from_subject(subject: str) -> MessageKind | None:
    subject = subject[:500]
    for kind, pattern in _SUBJECTS:
        if pattern.search(subject):
            return kind
    return None


_OPENING = 1_500  # chars of a notice's text read when its subject says nothing known
_OPENING_KINDS = frozenset(
    {MessageKind.A_TO_Z_CLAIM, MessageKind.CHARGEBACK, MessageKind.REFUND_NOTICE,
     MessageKind.CANCELLATION_REQUEST}
)  # fmt: skip


def mail_kind(
    *,
    notification_type: str | None,
    sender: str,
    subject: str,
    is_report: bool,
    text: str,
    names_order: bool = True,
    bulk: bool = False,
) -> MessageKind:
    """The kind of one mail (see the module docstring for the order of signals).
    `names_order`: an order id stands anywhere in the subject or text; `bulk`: list mail."""
    local = sender.partition("@")[0]
    if is_report or local in _BOUNCERS:
        return MessageKind.DELIVERY_FAILURE  # a bounce of our own mail, whoever relays it
    relay = is_buyer_alias(sender)
    amazon = relay or amazon_domain(sender) is not None
    if not amazon:
        return MessageKind.OTHER
    kind = kind_from_type(notification_type)
    typed = kind is not None
    if kind is None and not relay:
        kind = _SENDERS.get(local)
    if kind is None:
        kind = kind_from_subject(subject)
        if relay and kind in (MessageKind.REFUND_NOTICE, MessageKind.BUYER_OPT_OUT):
            kind = None  # a buyer writing about a refund is asking, not informing: answer it
    stated = kind  # what Amazon's header, sender or subject say
    if kind is None and not relay:
        # Amazon's own notice under a subject we do not know: its opening says what it
        # is. Only the kinds that change what must happen (a claim's deadline, a refund
        # already made, a cancel task); a misreading of these moves no money either.
        found = kind_from_subject(text[:_OPENING])
        kind = found if found in _OPENING_KINDS else None
    if kind is None:
        kind = MessageKind.BUYER_MESSAGE if relay else MessageKind.AMAZON_NOTICE
    if (
        stated not in _KEEP_OVER_CONTACT
        and (not typed or kind in (MessageKind.BUYER_MESSAGE, MessageKind.AMAZON_NOTICE))
        and service_mail.is_customer_service_contact(text, sender=sender)
    ):
        # Amazon's customer service writing for the buyer, through the relay or not: not the
        # buyer's own words to answer or refund on (nor a refund made, whatever its details
        # say), but a task for a person
        return MessageKind.CUSTOMER_SERVICE_CONTACT
    if kind is MessageKind.DELIVERY_FAILURE and _OPTED_OUT.search(text[:20_000]):
        kind = MessageKind.BUYER_OPT_OUT
    if (
        not typed
        and not relay
        and not names_order
        and kind not in _NEVER_NEWS
        and service_mail.is_seller_news(sender=sender, subject=subject, text=text, bulk=bulk)
    ):
        # "A-to-z Guarantee claim", "refund" in Amazon's news name no order: no claim against
        # this seller and no refund made, whatever the words (Amazon's type header still wins)
        kind = MessageKind.SELLER_NEWS
    return kind


# A claim or chargeback its header, sender or subject names stays one (its urgent path and
# claim record), whatever the text says; so does a bounce or an opt-out.
_KEEP_OVER_CONTACT = frozenset(
    {MessageKind.A_TO_Z_CLAIM, MessageKind.CHARGEBACK, MessageKind.DELIVERY_FAILURE,
     MessageKind.BUYER_OPT_OUT}
)  # fmt: skip
# A bounce or an opt-out is about our own mail, not news, whatever its wording.
_NEVER_NEWS = frozenset({MessageKind.DELIVERY_FAILURE, MessageKind.BUYER_OPT_OUT})


# Words that name a refund in any of the marketplaces' languages (stems, lower case): broader
# than the refund-notice subjects above, for notices we could not read as one.
_REFUND_WORDS = re.compile(
    r"refund|erstatt|rembours|reembols|rimbors|terugbetal|återbetal|zwrot|geri ödeme|"
    r"reembolso|estorn|返金",
    re.IGNORECASE,
)
_MATTER_TEXT = 3_000  # chars of a notice's text looked at, after its subject


def money_matters(subject: str, text: str) -> tuple[MoneyMatter, ...]:
    """The money matters (a refund, an A-to-z claim, a chargeback) an Amazon notice's subject
    or opening names, whatever its kind was read as: for a notice read as none of them, a
    person must see that it speaks of money before any refund of ours."""
    words = f"{subject[:500]}\n{text[:_MATTER_TEXT]}"
    found: list[MoneyMatter] = []
    if _REFUND_WORDS.search(words):
        found.append("refund")
    if _SUBJECTS[0][1].search(words):
        found.append("a_to_z_claim")
    if _SUBJECTS[1][1].search(words):
        found.append("chargeback")
    return tuple(found)


def order_prefix_marketplace(order_id: str | None) -> Marketplace | None:
    if not order_id:
        return None
    domain = _ORDER_PREFIX.get(order_id[:3])
    return BY_DOMAIN.get(domain) if domain else None


def marketplace(
    *,
    marketplace_id: str | None,
    sender: str,
    html: str,
    order_id: str | None,
) -> Marketplace | None:
    if marketplace_id and marketplace_id.strip() in BY_ID:
        return BY_ID[marketplace_id.strip()]
    domain = relay_domain(sender) or amazon_domain(sender)
    if domain and domain != "amazon.com":
        return BY_DOMAIN[domain]
    if domain == "amazon.com" and relay_domain(sender):
        return BY_DOMAIN[domain]  # the relay (of amazon.com buyers) is per marketplace
    link = _SELLER_CENTRAL.search(html[:200_000])
    if link and link.group(1) in BY_DOMAIN:
        return BY_DOMAIN[link.group(1)]
    return order_prefix_marketplace(order_id)
