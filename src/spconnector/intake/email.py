"""One raw mail (RFC 5322/MIME) → BuyerMessage: what it is, by Amazon's own signals, and the
buyer's own words.

Guarantees:
- Forgiving: MIME defects, broken charsets and odd headers still give a message with
  whatever could be read. Only bytes with no mail headers at all are refused
  (EmailParseError, one line).
- Kind, marketplace and notice facts come from Amazon's signals (intake/signals.py,
  intake/notices.py): X-Space-Notification-Type, X-Marketplace-ID, the sender, the subject,
  the notice's tables. Mail not from an Amazon domain is `other`, and names a marketplace
  only through the Amazon notice it forwards.
- A forwarded Amazon notice (intake/forwards.py) is carried as `forwarded`, unauthenticated:
  the mail stays `other` (no facts, no buyer, no words), so it can never trigger money or a
  reply; a case it joins only stops its automatic refunds when the notice could only stop
  money (domain ForwardedNotice.stops_money).
- A buyer message needs a relay From: (a relay Reply-To alone makes nothing a buyer
  message). The receiving server's verdict on the sender is carried in `authenticity`;
  ingest quarantines Amazon-looking mail whose verdict is not `pass`.
- Only the buyer's own words reach the classifier: Amazon's wrapper, quoted history,
  signatures and footers are stripped (intake/quoting.py); a return request's customer
  comment is the buyer's words; a notice with no buyer words gets no intent (`other`, 0).
- The order id comes from Amazon's structured parts (subject, Amazon's lines around the
  buyer's block, the notice's labelled lines and tables), never from the buyer's words.
- Bounded: input capped before parsing (intake/mime.py), every pattern linear.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.utils import parsedate_to_datetime

from spconnector.domain.enums import Intent, MessageKind
from spconnector.domain.models import BuyerMessage
from spconnector.domain.notices import (
    CustomerServiceContactFacts,
    ForwardedNotice,
    ReturnRequestFacts,
    Thread,
)
from spconnector.intake import forwards, mime, notices, order_ids, quoting, service_mail, signals
from spconnector.intake.authenticity import assess
from spconnector.intake.classifier import Classification, IntentClassifier, classify
from spconnector.intake.language import (
    LANGUAGES,
    detect_language,
    script_language,
    subject_script_language,
)
from spconnector.intake.mime import html_to_text  # noqa: F401 - part of this module's API
from spconnector.intake.notice_document import read_document
from spconnector.intake.phrases import money_matters
from spconnector.intake.quoting import buyer_words  # noqa: F401 - part of this module's API

ORDER_ID = order_ids.ORDER_ID


class EmailParseError(ValueError):
    """The bytes cannot be read as mail at all; the message is one line."""


_KNOWN_HEADERS = frozenset(
    {"from", "to", "subject", "date", "message-id", "received", "mime-version", "content-type",
     "reply-to", "return-path", "delivered-to", "cc", "in-reply-to", "references", "sender"}
)  # fmt: skip
_NAME_SUFFIXES = (" - amazon marketplace", " – amazon marketplace", " - amazon", " – amazon")
# Amazon's relay subjects say who wrote, not what about: no topic for the classifier.
_RELAY_SUBJECTS = (
    "inquiry from amazon customer", "anfrage von amazon-kunde", "message from amazon customer",
    "nachricht von amazon-kunde", "demande de renseignements de la part du client amazon",
    "message du client amazon", "consulta del cliente de amazon", "mensaje del comprador",
    "richiesta dal cliente amazon", "messaggio dall'acquirente", "messaggio dal cliente",
)  # fmt: skip
_REPLY_PREFIXES = ("re:", "aw:", "wg:", "fw:", "fwd:", "rv:", "r:", "tr:", "sv:", "antw:")


def parse_email(raw: bytes, *, classifier: IntentClassifier | None = None) -> BuyerMessage:
    """One raw mail → BuyerMessage. Raises EmailParseError only when no mail can be read."""
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise EmailParseError(f"expected raw mail bytes, got {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        raise EmailParseError("empty input")
    try:
        msg = mime.parse_bytes(raw)
        names = {str(k).lower() for k in msg}
    except Exception as exc:  # the stdlib parser is not supposed to raise; be sure
        raise EmailParseError(f"not a readable mail: {type(exc).__name__}") from None
    if not names & _KNOWN_HEADERS:
        raise EmailParseError("no mail headers found (not an RFC 5322 message)")

    subject = (mime.header(msg, "Subject") or "")[:998]
    sender_name, sender = mime.address(mime.header(msg, "From"))
    notification_type = (mime.header(msg, "X-Space-Notification-Type") or "")[:120] or None
    received_at = _received_at(mime.header(msg, "Date"))
    body = mime.content(msg)
    text = body.text
    kind = signals.mail_kind(
        notification_type=notification_type,
        sender=sender,
        subject=subject,
        is_report=body.report_type == "delivery-status" or bool(body.reports),
        text=text,
        names_order=bool(
            order_ids.find_order_id(subject[:500]) or order_ids.find_order_id(text[:200_000])
        ),
        orders_named=len(order_ids.orders_named(subject, text)),
        bulk=service_mail.is_bulk(
            mime.header(msg, "Precedence"), mime.header(msg, "List-Unsubscribe")
        ),
    )
    # Amazon's customer service writing through the relay: all of it is Amazon's template.
    relay = signals.is_buyer_alias(sender) and kind is not MessageKind.CUSTOMER_SERVICE_CONTACT

    # The buyer's block and Amazon's parts around it (relay mail); a notice is all Amazon's.
    if relay:
        block, around, banners = quoting.split_relay(text)
        words = quoting.strip_reply(block)
        # Without banners Amazon's lines are mixed with the buyer's: read all, skip the buyer's.
        doc = read_document("", around if banners else text)
    else:
        words = ""
        # the HTML part, when it is the text, parsed once for its text and its tables
        doc = read_document("", text, tree=body.html_tree if body.reads_html else None)
    buyer_lines = frozenset(line.strip() for line in words.splitlines() if line.strip())
    order_id = notices.order_id_in(subject, doc, skip_lines=buyer_lines)
    quoted = forwards.forwarded_mail(text) if kind is MessageKind.OTHER else None
    forwarded = _forwarded_notice(quoted) if quoted is not None else None
    if forwarded is not None and forwarded.order_id:
        order_id = forwarded.order_id
    if signals.is_buyer_alias(sender) or signals.amazon_domain(sender) is not None:
        market = signals.marketplace(
            marketplace_id=mime.header(msg, "X-Marketplace-ID"),
            sender=sender,
            html=body.html,
            order_id=order_id,
            # a relay mail's text is the buyer's: only Amazon's own notices spell out its links
            text="" if relay else text,
        )
    elif forwarded is not None and quoted is not None:
        # mail no Amazon domain sent names a marketplace only through the Amazon notice it
        # forwards (its quoted sender, then that notice's own links and order id)
        market = signals.marketplace(
            marketplace_id=None, sender=quoted.sender, html="", order_id=order_id, text=quoted.text
        )
    else:
        # a lookalike's or a bounce's X-Marketplace-ID, links and order ids vouch for nothing
        market = None
    facts = notices.notice_facts(
        kind,
        subject=subject,
        doc=doc,
        received_at=received_at,
        currency=market.currency if market else None,
        notification_type=notification_type,
        reports=body.reports,
        in_reply_to=_first(mime.message_ids(mime.header(msg, "In-Reply-To"))),
    )
    if facts is not None and facts.order_id:
        order_id = facts.order_id
    if isinstance(facts, ReturnRequestFacts) and not relay:
        # The customer's comment in the item table is the buyer's own words.
        words = "\n".join(i.comment for i in facts.items if i.comment)
    elif isinstance(facts, CustomerServiceContactFacts):
        words = facts.details or ""  # Amazon's account of what the buyer said: data
    elif kind.is_notice and not relay:
        words = notices.buyer_comment(doc) or ""  # "Buyer comments: …" in a claim notice

    topic = "" if kind.is_notice or _is_relay_subject(subject) else _strip_reply_prefix(subject)
    result = _understand(classifier, topic, words, kind)
    language = result.language
    reading = result.understanding
    beyond = market is not None and market.language not in LANGUAGES
    if beyond and market is not None and words.strip():
        # The model and the detector's five do not speak this marketplace's language
        # (amazon.nl, .se, .pl, .com.tr, .com.br): the detector, told of it, decides.
        language, share = detect_language(words, default=market.language, also=market.language)
        if share == 0.0:
            language = market.language
    elif reading is not None and len(words.split()) >= _MODEL_LANGUAGE_MIN_WORDS:
        # The trained model's language head reads the buyer's own words (measured on the
        # blind splits: every message right, as fastText's detector reads 99.5-100 %).
        language = reading.language
    elif kind.is_notice and not words.strip():
        # Amazon's own notice is written in its marketplace's language unless its text says
        # otherwise (French on amazon.ca, English on amazon.de): its subject and opening say.
        prior = market.language if market is not None else "en"
        sample = f"{subject}\n{text[:_NOTICE_LANGUAGE_CHARS]}"
        language, share = detect_language(sample, default=prior, also=prior)
        if share < _NOTICE_LANGUAGE_SHARE or len(sample.split()) < _NOTICE_LANGUAGE_MIN_WORDS:
            language = prior  # too few words, or not sure: the marketplace's language
    elif market is not None:
        # Short messages carry few words to go by; the marketplace's language is the prior.
        # The buyer's words say it best; a subject may be ours, quoted back ("RE: Order …").
        language, share = detect_language(words or topic, default=market.language)
        if share == 0.0:
            language = market.language

    # Arabic, Japanese, Chinese or Devanagari script says the language where the detector's
    # languages do not reach (a Japanese buyer on amazon.com, an Arabic notice on amazon.ae)
    written = words if words.strip() else "" if not kind.is_notice else f"{subject}\n{text[:500]}"
    # a notice's subject is its template's, in the seller's Seller Central language: a Chinese
    # subject over a body whose English footer outweighs its few Han characters is Chinese
    notice = kind.is_notice and not words.strip()
    by_subject = subject_script_language(subject, text) if notice else None
    language = by_subject or script_language(written) or language

    thread = Thread(
        in_reply_to=_first(mime.message_ids(mime.header(msg, "In-Reply-To"))),
        references=mime.message_ids(mime.header(msg, "References")),
    )
    return BuyerMessage(
        amazon_order_id=order_id,
        # Amazon's own notice never names a buyer to pay or answer, even one a relay alias sent
        # (an unknown type header on relay mail); a buyer's return or cancel request does
        buyer_address=sender if relay and kind.buyer_raised else None,
        buyer_name=_buyer_name(sender_name) if relay and kind.buyer_raised else None,
        marketplace=market.domain if market else None,
        subject=subject,
        kind=kind,
        intent=result.intent,
        intent_confidence=result.confidence,
        intent_evidence=result.evidence,
        understanding=result.understanding,
        language=language,
        body=words,
        attachments=tuple(body.attachments),
        message_id=_message_id(msg, raw),
        in_reply_to=thread.in_reply_to,
        received_at=received_at,
        notification_type=notification_type,
        marketplace_id=market.marketplace_id if market else None,
        facts=facts,
        thread=thread if thread.in_reply_to or thread.references else None,
        authenticity=assess(msg, mime.domain_of(sender)),
        forwarded=forwarded,
    )


def _forwarded_notice(quoted: forwards.Forwarded) -> ForwardedNotice | None:
    """The Amazon notice a forward quotes, read by the notice's own signals (its quoted
    sender, subject and text), or None when the quoted mail is not an Amazon notice."""
    if signals.is_buyer_alias(quoted.sender) or signals.amazon_domain(quoted.sender) is None:
        return None  # a buyer's message or anyone else's mail: nothing to guard
    text = quoted.text[:200_000]
    kind = signals.mail_kind(
        notification_type=None,
        sender=quoted.sender,
        subject=quoted.subject,
        is_report=False,
        text=text,
        names_order=bool(
            order_ids.find_order_id(quoted.subject[:500]) or order_ids.find_order_id(text)
        ),
        orders_named=len(order_ids.orders_named(quoted.subject, text)),
    )
    if not kind.is_notice:
        return None
    doc = read_document("", text)
    return ForwardedNotice(
        kind=kind,
        order_id=notices.order_id_in(quoted.subject, doc, skip_lines=frozenset()),
        sender=quoted.sender,
        speaks_of=(
            money_matters(quoted.subject, text) if kind is MessageKind.AMAZON_NOTICE else ()
        ),
    )


# Below this many words the marketplace's language is the better guess ("Danke!" on .de).
_MODEL_LANGUAGE_MIN_WORDS = 4
# A notice's language is read from its subject and first lines (a bilingual notice: its first
# language; never its footer); it overrides the marketplace's only when the detector is sure.
_NOTICE_LANGUAGE_CHARS = 500
_NOTICE_LANGUAGE_SHARE = 0.9
_NOTICE_LANGUAGE_MIN_WORDS = 12


def _understand(
    classifier: IntentClassifier | None, topic: str, words: str, kind: MessageKind
) -> Classification:
    if not words.strip() and (kind.is_notice or not topic):
        return Classification(Intent.OTHER, 0.0, (), "en")  # no buyer words: no intent
    return (classifier or _DEFAULT).classify(topic, words)


class _DefaultClassifier:
    def classify(self, subject: str, body: str) -> Classification:
        return classify(subject, body)


_DEFAULT = _DefaultClassifier()


def _first(ids: tuple[str, ...]) -> str | None:
    return ids[0] if ids else None


def _is_relay_subject(subject: str) -> bool:
    return _strip_reply_prefix(subject).lower().startswith(_RELAY_SUBJECTS)


def _strip_reply_prefix(subject: str) -> str:
    text = subject.strip()
    for _ in range(10):  # "Re: AW: Re: …", bounded
        low = text.lower()
        prefix = next((p for p in _REPLY_PREFIXES if low.startswith(p)), None)
        if prefix is None:
            break
        text = text[len(prefix) :].lstrip()
    return text


def _buyer_name(name: str) -> str | None:
    low = name.lower()
    for suffix in _NAME_SUFFIXES:
        at = low.find(suffix)
        if at >= 0:
            name = name[:at]
            break
    return name.strip() or None


def _message_id(msg: Message, raw: bytes) -> str:
    given = mime.header(msg, "Message-ID")
    if given and given.split():
        return given.split()[0][:998]
    # No Message-ID: a stable one from the content, so redelivery still deduplicates.
    return f"<{hashlib.sha256(raw).hexdigest()[:32]}@spconnector.invalid>"


def _received_at(value: str | None) -> datetime:
    """The Date header in UTC; now when it is missing, unreadable or in the future (the
    sender writes it: year 9999 must neither crash the parse nor push deadlines away)."""
    now = datetime.now(UTC)
    if value:
        try:
            when = parsedate_to_datetime(value[:200])
            when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        except (TypeError, ValueError, OverflowError, IndexError):
            return now
        # a few days of clock skew are tolerated (simulated clocks run ahead in tests)
        return when if when <= now + timedelta(days=7) else now
    return now
