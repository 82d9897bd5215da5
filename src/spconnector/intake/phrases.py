"""The phrases of Amazon's notices that say what they are, in its marketplaces' languages:
localized subjects (also read in a notice's opening), the opt-out wording, the words that
name a refund, and the wording that makes a refund only possible, conditional or denied.

All patterns are bounded (short literal alternatives, gaps of at most 60 chars) and run on
capped text.
"""

from __future__ import annotations

import re

from spconnector.domain.enums import MessageKind
from spconnector.domain.notices import MoneyMatter

# Subjects, in order (the most serious first). Each alternative is a short literal phrase
# or a phrase with one bounded gap.
SUBJECTS: tuple[tuple[MessageKind, re.Pattern[str]], ...] = (
    (
        MessageKind.A_TO_Z_CLAIM,
        re.compile(
            r"a-to-z|a-z guarantee|a-bis-z|garantie de a à z|garantie a à z|"
            r"garant[íi]a de la a a la z|garanzia dalla a alla z|garanzia a-z|"
            r"a-tot-z|a-till-ö|od a do z|a'dan z'ye|garantia de a a z|マーケットプレイス保証|"
            # Chinese sellers' Seller Central: "亚马逊商城交易保障索赔"; Hindi "ए-टू-ज़ेड"
            r"من الألف إلى الياء|商城交易保障|a-z 保障|ए-टू-ज़ेड",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.CHARGEBACK,
        re.compile(
            r"chargeback|charge dispute|rückbuchung|rückbelastung|"
            r"rétrofacturation|litige (?:de|sur le|relatif au) paiement|contracargo|"
            r"disputa de(?:l)? cargo|storno di addebito|contestazione (?:di|dell'|del) ?addebito|"
            r"terugboeking|obciążenie zwrotne|ters ibraz|estorno|チャージバック|拒付|चार्जबैक",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.REFUND_NOTICE,
        re.compile(
            # a gap of up to 60 chars holds "for the order 302-…-…" between noun and verb
            r"refund (?:(?:has been|was|is) )?(?:initiated|issued|processed)|"
            # "Your refund of $23.99 has been processed", "A refund of £12.00 was issued"
            r"refund (?:of|for) .{0,60}(?:has been|was|is) (?:initiated|issued|processed)|"
            r"(?:we've|we have|amazon has|has been|have been) refunded|"
            r"refund (?:notification|confirmation)|refund on (?:your|the seller's) behalf|"
            r"(?:issued|initiated|processed) (?:a|the|your) refund|"
            r"refunded (?:the|your|this) (?:buyer|customer|order)|"
            r"(?:rück)?erstattung.{0,60}(?:eingeleitet|veranlasst|erfolgt|ausgestellt|ausgezahlt|"
            r"durchgeführt|vorgenommen|gewährt)|"
            r"(?:wir haben|amazon hat|wurde|wurden) .{0,60}(?:zurück)?erstattet|"
            r"(?:rück)?erstattungsbestätigung|bestätigung (?:der|ihrer) (?:rück)?erstattung|"
            r"remboursement.{0,60}(?:initié|effectué|lancé|émis)|"
            r"(?:notification|confirmation) de remboursement|"
            r"(?:émis|effectué|initié|lancé) (?:un|le) remboursement|nous avons remboursé|"
            r"reembolso.{0,60}(?:iniciado|emitido|realizado)|"
            r"(?:notificación|confirmación) de(?:l)? reembolso|"
            r"(?:emitido|realizado|iniciado|procesado) (?:un|el) reembolso|hemos reembolsado|"
            r"rimborso.{0,60}(?:avviato|emesso|effettuato)|"
            r"(?:notifica|conferma) (?:di|del) rimborso|"
            r"(?:emesso|effettuato|avviato) (?:un|il) rimborso|abbiamo rimborsato|"
            r"terugbetaling.{0,60}(?:gestart|geïnitieerd|uitgevoerd|verwerkt)|"
            r"återbetalning.{0,60}(?:initierad|initierats|genomförd|utförd)|"
            r"zwrot (?:pieniędzy|środków|kwoty).{0,60}(?:zainicjowan|rozpoczęt|zleco)|"
            # the verbs of a refund made: "terugbetaald", "återbetalat", "zwrócono", "iade edildi"
            r"terugbetaald|återbetalats?\b|zwrócono|zwróciliśmy|"
            # (Turkish "iade" alone is a return too: only money "iade edildi")
            r"(?:para|ücret|tutar|bedel|tl|₺)\w{0,4} iade edil(?:di|miştir)|"
            # 返金 alone, not a refund asked for (返金リクエスト, 返金のご依頼, 返金申請)
            r"geri ödeme.{0,60}(?:başlatıldı|yapıldı)|返金(?!リクエスト|の?(?:ご)?依頼|申請|要求)|"
            # Arabic: "تم إصدار استرداد" (a refund was issued) — "تم" alone, not "يتم"/"سيتم"
            # (is being / will be), nor "لم يتم" (was not: judged tentative below)
            r"(?<!\w)تم (?:إصدار |إجراء |تنفيذ )?(?:ال)?استرداد|"
            r"(?<!\w)قمنا (?:بإصدار|بإجراء) (?:ال)?استرداد|"
            # Chinese: "已(为以下订单向买家)退款", "退款已处理/已发放" — a refund asked for
            # ("已申请退款") is judged a request below
            r"已.{0,40}?退款|退款已(?:处理|发放|完成|签发)|"
            # Hindi: "धनवापसी जारी की गई" / "धनवापसी कर दी गई" (a refund was issued/made)
            r"(?:धनवापसी|रिफ़ंड|रिफंड) (?:जारी )?(?:कर )?(?:दी|दिया|की|किया) (?:गई|गया)",
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
            r"richiesta di (?:autorizzazione al )?reso|autorizzazione (?:del|al) reso|"
            r"retourverzoek|retourautorisatie|retourmachtiging|returförfrågan|returbegäran|"
            r"returauktorisering|prośba o zwrot|wniosek o zwrot|autoryzacj[ai] zwrotu|"
            r"iade talebi|iade yetkilendirme|solicitação de devolução|返品リクエスト|"
            r"退货(?:请求|申请)|वापसी (?:का )?अनुरोध",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.CANCELLATION_REQUEST,
        re.compile(
            r"cancellation request|request to cancel|order cancell?ation|"
            r"requested (?:a |the )?cancell?ation|requested to cancel|cancell?ation requested|"
            r"stornierungs(?:anfrage|anforderung|wunsch)|demande d'annulation|"
            r"solicitud de cancelaci[oó]n|richiesta di annullamento|annuleringsverzoek|"
            r"begäran om avbokning|avbeställningsbegäran|prośba o anulowanie|"
            r"wniosek o anulowanie|iptal talebi|solicitação de cancelamento|キャンセルリクエスト|"
            # a request word, then within a few words the cancel stem (or the reverse), in
            # the marketplaces beyond the five: "Verzoek tot annulering", "Żądanie
            # anulowania", "Begäran om annullering", "iptal isteği", "キャンセルのご依頼"
            # "Der Käufer hat die Stornierung beantragt", "a demandé l'annulation"
            r"(?:verzoek|begäran|żądanie|prośba|wniosek|beantragt|angefordert|demandé|"
            r"solicitado|richiesto|gevraagd|begärt)\W{1,3}"
            r"(?:\w{1,12}\W{1,3}){0,2}(?:annul|anulow|cancel|avbest|avbok|stornier)|"
            r"(?:annulerings|annullerings|anulowania|iptal|cancelamento|stornierung|annulation|"
            r"cancelación|annullamento)\W{0,3}(?:\w{1,12}\W{1,3}){0,3}"
            r"(?:verzoek|begäran|isteği|talebi|talep|żądanie|prośba|beantragt|angefordert|"
            r"demandée?|solicitad[ao]|richiest[ao])|"
            r"キャンセル(?:の|を)?(?:ご)?(?:依頼|申請|要求)|طلب إلغاء|"
            # Chinese "取消订单请求" / "请求取消"; Hindi "रद्द करने का अनुरोध"
            r"取消(?:订单)?(?:的)?(?:请求|申请)|(?:请求|要求|申请)取消|रद्द करने (?:का|के लिए) अनुरोध",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.DELIVERY_FAILURE,
        re.compile(
            r"undeliver|could not be delivered|was not delivered|wasn't delivered|"
            r"delivery status notification|(?:mail |message )?delivery fail(?:ed|ure)|"
            r"returned mail|(?:unable|not able) to deliver|could not deliver|"
            r"nicht zugestellt|unzustellbar|zustellung fehlgeschlagen|"
            r"échec de (?:la )?(?:remise|distribution|livraison du message)|"
            r"error (?:en la|de) entrega|no se pudo entregar|consegna non riuscita|"
            r"impossibile consegnare|non è stato possibile consegnare|"
            r"n['’]a pas (?:pu )?(?:être|été) (?:remis|distribué|livré)|non distribué|"
            r"no se ha(?: podido)? entrega[dr]|no (?:ha sido|fue) entregad|"
            r"non è stat[oa] (?:consegnat|recapitat)|non recapitabile|"
            r"niet (?:worden )?(?:bezorgd|afgeleverd)|kunde inte levereras|"
            r"levererades inte|nie została dostarczona|nie można dostarczyć|teslim edilemedi|"
            r"não (?:foi|pôde ser) entregue|配信できません|无法(?:投递|送达)|failure notice",
            re.IGNORECASE,
        ),
    ),
    (
        MessageKind.FEEDBACK_NOTICE,
        re.compile(
            r"new (?:seller )?feedback|new (?:negative|neutral|positive) feedback|"
            r"(?:negative|neutral) feedback (?:received|left|for)|"
            r"neue (?:verkäufer)?bewertung|nouvelle évaluation|"
            r"nouveau commentaire|nueva valoración|nuevos comentarios|nuovo feedback|"
            r"nieuwe (?:feedback|beoordeling)|ny feedback|nytt omdöme|nowa opinia|"
            r"yeni (?:geri bildirim|değerlendirme)|novo feedback|nova avaliação|評価",
            re.IGNORECASE,
        ),
    ),
)
SUBJECT_PATTERNS = dict(SUBJECTS)
# In a not-delivered notice: the buyer chose to receive no unsolicited messages.
OPTED_OUT = re.compile(
    r"opted out|chosen not to receive|chose not to receive|"
    r"ha scelto di non ricevere|keine unaufgeforderten|entschieden, keine|"
    r"a choisi de ne pas recevoir|ne souhaite pas recevoir|ha (?:elegido|optado por) no recibir|"
    r"ha decidido no recibir|ervoor gekozen geen|har valt att inte ta emot|"
    r"zrezygnował[a]? z otrzymywania|almamayı seçti|optou por não receber|受信を拒否",
    re.IGNORECASE,
)


# SAFE-T claims and reimbursements: money Amazon pays the seller, in the marketplaces'
# languages (stems, lower case).
_REIMBURSEMENT = re.compile(
    r"\bsafe-t\b|reimburs|indemnisation|rückvergütung|vergütung für|reintegro al vendedor|"
    r"rimborso al venditore|vergoeding|ersättning|rekompensat|補填",
    re.IGNORECASE,
)


def reimbursement(text: str) -> bool:
    """The text names a SAFE-T claim or a reimbursement to the seller."""
    return _REIMBURSEMENT.search(text[:3_000]) is not None


def kind_from_subject(subject: str) -> MessageKind | None:
    subject = subject[:500]
    for kind, pattern in SUBJECTS:
        if pattern.search(subject):
            return kind
    return None


# Words that make a refund sentence a possibility, a condition or a denial, not a refund
# made ("may be issued", "potrebbe essere emesso", "wird … veranlasst", "no refund").
_TENTATIVE = re.compile(
    r"\b(?:may|might|could|would|will|can|if|not|no|pending|potrebbe|potrà|verrà|"
    r"sarà|non|pourrait|pourra|sera|si|pas|podría|podrá|será|könnte|kann|wird|werden|falls|"
    r"wenn|sobald|nicht|kein|keine|wordt|zal|niet|geen|kommer|inte|ingen|zostanie|nie|może|"
    r"değil|لم|لن|قد|إذا|سوف|لا)\b|"
    # scripts without spaces between words, or whose vowel signs end no \w: Chinese "将 / 可能
    # / 如果 / 未 / 没有 / 不会 / 尚未" (will, may, if, not), Hindi "नहीं / जाएगी / यदि / अगर / सकती"
    r"将|可能|如果|若|未|没有|不会|无法|नहीं|जाएग|यदि|अगर|सकत",
    re.IGNORECASE,
)
# A clause ends a sentence's thought: "no return label was sent: the customer … has been
# refunded" says a refund was made, whatever the clause before the colon denies (a colon
# with a space: "10:00" is a time, not a clause's end).
_SENTENCE_END = re.compile(r"[.!?;\n。！？；।]|:\s")


# A refund undone ("the refund … has been reversed", "Erstattung rückgängig gemacht",
# "rimborso stornato"): no refund made, whatever the clause's refund phrase says.
_REVERSED = re.compile(
    r"\brevers(?:al|ed|e)\b|rückgängig|zurückgebucht|revertid[oa]|reversión|stornat[oa]|"
    r"teruggedraaid|teruggeboekt|återförd|cofnięt[ya]|geri alındı|取り消",
    re.IGNORECASE,
)


def _clause(text: str, found: re.Match[str]) -> str:
    """The clause around a phrase found in `text` (at most 300 chars either side)."""
    before = text[max(0, found.start() - 300) : found.start()]
    starts = [m.end() for m in _SENTENCE_END.finditer(before)]
    start = found.start() - len(before) + (starts[-1] if starts else 0)
    after = _SENTENCE_END.search(text, found.end(), found.end() + 300)
    end = after.start() if after else min(len(text), found.end() + 300)
    return text[start:end]


def tentative_refund(opening: str) -> bool:
    """The clause of the opening that names the refund says it may, will or did not
    happen, or that it was undone (bounded: one clause, at most 300 chars either side of the
    phrase)."""
    found = SUBJECT_PATTERNS[MessageKind.REFUND_NOTICE].search(opening)
    if found is None:
        return False
    sentence = _clause(opening, found)
    return any(p.search(sentence) is not None for p in (_TENTATIVE, _REQUESTED, _REVERSED))


# A request closed, withdrawn or cancelled ("Return request closed", "Rücksendeanfrage
# geschlossen", "demande de retour clôturée", "solicitud de devolución cerrada").
_CLOSED = re.compile(
    r"\b(?:closed|withdrawn|cancell?ed|geschlossen|zurückgezogen|clôturée?|fermée?|annulée?|"
    r"retirée?|cerrad[ao]|cancelad[ao]|retirad[ao]|chius[ao]|annullat[ao]|ritirat[ao]|"
    r"gesloten|ingetrokken|geannuleerd|stängd|avslutad|återkallad|zamknięt[ya]|"
    r"anulowan[ya]|wycofan[ya]|kapatıldı|fechad[ao])\b|クローズ|取り消",
    re.IGNORECASE,
)


def closed_return_request(text: str) -> bool:
    """A return-request phrase of the text (its first five) stands in a clause that says the
    request was closed, withdrawn or cancelled: no request is left to decide."""
    found = SUBJECT_PATTERNS[MessageKind.RETURN_REQUEST].finditer(text[:3_000])
    return any(_CLOSED.search(_clause(text, m)) for _, m in zip(range(5), found, strict=False))


def refund_made(opening: str) -> bool:
    """The opening says a refund was made (a refund notice's phrase, not a tentative one)."""
    found = SUBJECT_PATTERNS[MessageKind.REFUND_NOTICE].search(opening)
    return found is not None and not tentative_refund(opening)


# A refund asked for, not made: a request word within a few words of the refund's
# ("Demande de remboursement", "the buyer requested a refund", "Erstattung beantragt").
_REQUEST = (
    r"(?:demande|demandé|solicitud|solicitado|richiesta|richiesto|antrag|anfrage|beantragt|"
    r"angefordert|requests?|requested|asked for|verzoek|aangevraagd|begäran|begärt|prośba|"
    r"wniosek|talep|istek|solicitação|solicitado)"
)
_REFUND_STEM = r"(?:refund|rembours|reembols|rimbors|(?:rück)?erstatt|terugbeta|återbetal|zwrot)"
_REQUESTED = re.compile(
    rf"\b{_REQUEST}\W{{1,3}}(?:\w{{1,12}}\W{{1,3}}){{0,2}}{_REFUND_STEM}|"
    rf"{_REFUND_STEM}\w{{0,12}}\W{{1,3}}(?:\w{{1,12}}\W{{1,3}}){{0,1}}{_REQUEST}\b|"
    r"返金(?:リクエスト|の?(?:ご)?依頼|申請|要求)|(?:申请|要求|请求)退款|退款(?:申请|请求|要求)|"
    r"(?:धनवापसी|रिफ़ंड|रिफंड) (?:का|के लिए) अनुरोध",
    re.IGNORECASE,
)


# Words that name a refund in any of the marketplaces' languages (stems, lower case): broader
# than the refund-notice subjects above, for notices we could not read as one.
_REFUND_WORDS = re.compile(
    r"refund|erstatt|rembours|reembols|rimbors|terugbeta|återbetal|zwrot|geri ödeme|"
    r"estorn|返金|restitutie|(?:para|ücret|tutar|bedel|tl|₺)\w{0,4} iade|zwróc|"
    r"استرداد|إرجاع المبلغ|退款|धनवापसी|रिफ़ंड|रिफंड",
    re.IGNORECASE,
)
_MATTER_TEXT = 1_500  # a notice's opening (as for its kind) after its subject, not its footer


# The words of a claim's, a chargeback's or a refund's own amount line, beyond the subjects'.
_AMOUNT_WORDS = {
    MessageKind.A_TO_Z_CLAIM: re.compile(
        r"claim|réclamation|reclamación|reclamacion|richiesta|antrag|anspruch", re.I
    ),
    MessageKind.CHARGEBACK: re.compile(r"dispute|disputa|contestazione|contesté|litige", re.I),
    MessageKind.REFUND_NOTICE: _REFUND_WORDS,
}


def names_matter(kind: MessageKind, line: str) -> bool:
    """A line of a notice names what the notice is about (its claim, chargeback, refund)."""
    pattern = SUBJECT_PATTERNS.get(kind)
    words = _AMOUNT_WORDS.get(kind)
    return bool(
        (pattern is not None and pattern.search(line)) or (words is not None and words.search(line))
    )


def money_matters(subject: str, text: str) -> tuple[MoneyMatter, ...]:
    """The money matters (a refund, an A-to-z claim, a chargeback) an Amazon notice's subject
    or opening names, whatever its kind was read as: for a notice read as none of them, a
    person must see that it speaks of money before any refund of ours."""
    words = f"{subject[:500]}\n{text[:_MATTER_TEXT]}"
    found: list[MoneyMatter] = []
    if _REFUND_WORDS.search(words):
        found.append("refund")
    if SUBJECT_PATTERNS[MessageKind.A_TO_Z_CLAIM].search(words):
        found.append("a_to_z_claim")
    if SUBJECT_PATTERNS[MessageKind.CHARGEBACK].search(words):
        found.append("chargeback")
    return tuple(found)
