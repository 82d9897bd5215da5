"""What a mail is and which marketplace it belongs to, from Amazon's own signals.

Kind, in order of trust: the `X-Space-Notification-Type` header Amazon puts on every
Seller Central notification; then the sender (the buyer's relay alias
@marketplace.amazon.<tld>, atoz-guarantee-no-reply@, cb-seller-notification@,
donotreply@, seller-notification@ …); then the localized subject; then, for Amazon's own
notices only, the same phrases in the opening of the text (claims, chargebacks, refunds,
cancellations) when the mail names an order. SAFE-T claims and FBA reimbursements (money to
the seller) are never refund notices, whatever their opening says of Amazon's refund.
A return request whose text says the buyer was already refunded (a returnless refund) is a
refund notice: no refund of ours follows; one its subject or opening says was closed or
withdrawn is an unknown notice (no request is left to decide). A refund its clause says was
reversed is no refund made (an unknown notice that speaks of a refund). A refund notice that
names several orders in its subject or labelled order lines (a digest) is an unknown notice
that speaks of a refund: no one order's refund can be read from it.
Then Amazon's customer service writing for a buyer (its template, intake/service_mail.py) is
a customer-service contact, through the relay too — unless the header, sender or subject
name a claim or chargeback, or the header another notice. Last: an
Amazon mail whose kind no type header gave, that names no order id anywhere and shows news
(a policy-change phrase, a bulk header, a news sender) is seller news, not a claim or a
refund, however it speaks of them.
A DSN (multipart/report) is a delivery failure whoever sends it; a postmaster's or
mailer-daemon's plain mail only when its subject or opening says a mail was not delivered (a
gateway's held-mail digest is not a bounce).
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
from spconnector.intake import service_mail
from spconnector.intake.phrases import (
    OPTED_OUT,
    closed_return_request,
    kind_from_subject,
    refund_made,
    reimbursement,
    tentative_refund,
)

_RELAY_DOMAIN = re.compile(r"^marketplace\.(amazon\.[a-z]{2,3}(?:\.[a-z]{2})?)$")
_AMAZON_DOMAIN = re.compile(r"^(?:[a-z0-9-]{1,63}\.){0,4}(amazon\.[a-z]{2,3}(?:\.[a-z]{2})?)$")
_SELLER_CENTRAL = re.compile(r"https?://sellercentral\.(amazon\.[a-z]{2,3}(?:\.[a-z]{2})?)[/\"'?]")

# X-Space-Notification-Type → kind. Exact names first, then by the name's parts, so a new
# type in a known family (A_Z_CLAIM_…, REFUND_…) still lands in its family.
_TYPES: dict[str, MessageKind] = {
    "BBC_MESSAGE_SENT_TO_MERCHANT": MessageKind.BUYER_MESSAGE,
    "BUYER_MESSAGE": MessageKind.BUYER_MESSAGE,
    "BRC_SELLER_NOTIFICATION": MessageKind.CANCELLATION_REQUEST,  # buyer-requested cancel
    "BUYEROPTED_OUT_BSM_MESSAGES": MessageKind.BUYER_OPT_OUT,
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
    # a refund asked for is no refund made: an unknown notice (a person's task when it speaks
    # of a refund), never a silent note that closes the case
    ("REFUND_REQUEST", MessageKind.AMAZON_NOTICE),
    # SAFE-T claims and reimbursements pay the seller for a refund Amazon made earlier:
    # not a refund notice of this mail's amount
    ("SAFE_T", MessageKind.AMAZON_NOTICE),
    ("SAFET", MessageKind.AMAZON_NOTICE),
    ("REIMBURSE", MessageKind.AMAZON_NOTICE),
    ("REQUEST_REFUND", MessageKind.AMAZON_NOTICE),
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


def _says_undelivered(subject: str, text: str) -> bool:
    """A postmaster's or mailer-daemon's mail that is no DSN is a bounce only when its subject
    or opening says a mail was not delivered: the same addresses send a mail gateway's
    held-mail digests and quarantine notices, which name no mail of ours."""
    return (
        kind_from_subject(subject[:500]) is MessageKind.DELIVERY_FAILURE
        or kind_from_subject(text[:_OPENING]) is MessageKind.DELIVERY_FAILURE
    )


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
    orders_named: int = 1,
    bulk: bool = False,
) -> MessageKind:
    """The kind of one mail (see the module docstring for the order of signals).
    `names_order`: an order id stands anywhere in the subject or text; `orders_named`: the
    distinct order ids of its subject and labelled order lines; `bulk`: list mail."""
    local = sender.partition("@")[0]
    if is_report or (local in _BOUNCERS and _says_undelivered(subject, text)):
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
        elif kind is MessageKind.REFUND_NOTICE and tentative_refund(subject[:500]):
            # "No refund has been issued", "Demande de remboursement … effectuée": no refund
            # made, as in the opening below; an unknown notice that speaks of a refund
            kind = MessageKind.AMAZON_NOTICE
    stated = kind  # what Amazon's header, sender or subject say
    if kind is None and not relay:
        # Amazon's own notice under a subject we do not know: its opening says what it
        # is. Only the kinds that change what must happen (a claim's deadline, a refund
        # already made, a cancel task); a misreading of these moves no money either.
        found = kind_from_subject(text[:_OPENING])
        if found is MessageKind.REFUND_NOTICE and tentative_refund(text[:_OPENING]):
            # "a refund may be issued", "no refund has been issued": no refund made; read as
            # an unknown notice that speaks of a refund, a person's task (never a silent note)
            found = None
        # Only a mail that names an order is a claim, chargeback, refund or cancellation of
        # one: Amazon's account-health and policy mail names claims and chargebacks in its
        # opening ("your Order Defect Rate counts A-to-z claims") about no order at all.
        kind = found if found in _OPENING_KINDS and names_order else None
    if kind is MessageKind.RETURN_REQUEST and not relay and refund_made(text[:_OPENING]):
        # A return its text says was already refunded (a returnless refund, Amazon's own):
        # a refund made, so no refund of ours follows — read as a request, it could lead to
        # a second one.
        kind = MessageKind.REFUND_NOTICE
    if (
        kind is MessageKind.RETURN_REQUEST
        and not relay
        and closed_return_request(f"{subject[:500]}\n{text[:_OPENING]}")
    ):
        # A return request closed or withdrawn: no request left to decide — read as one, it
        # could lead to a refund no one asks for any more. An unknown notice, for a person.
        kind = MessageKind.AMAZON_NOTICE
    if (
        kind is MessageKind.REFUND_NOTICE
        and not typed
        and not relay
        and reimbursement(f"{subject[:500]}\n{text[:_OPENING]}")
    ):
        # SAFE-T and FBA reimbursements are money to the seller about a refund Amazon made
        # earlier: its amount and date are not this mail's. An unknown notice that speaks of
        # a refund (a person reads it; no refund of ours meanwhile), never a refund notice.
        kind = MessageKind.AMAZON_NOTICE
    if kind is MessageKind.REFUND_NOTICE and orders_named > 1:
        # One notice, several orders' refunds (a digest): no single order's refund (nor its
        # amount) can be read from it. An unknown notice that speaks of a refund, a person's.
        kind = MessageKind.AMAZON_NOTICE
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
    if kind in (MessageKind.DELIVERY_FAILURE, MessageKind.AMAZON_NOTICE) and OPTED_OUT.search(
        text[:20_000]
    ):
        # a bounce, or an Amazon notice of no known kind, saying the buyer opted out
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
    text: str = "",
) -> Marketplace | None:
    if marketplace_id and marketplace_id.strip() in BY_ID:
        return BY_ID[marketplace_id.strip()]
    domain = relay_domain(sender) or amazon_domain(sender)
    if domain and domain != "amazon.com":
        return BY_DOMAIN[domain]
    if domain == "amazon.com" and relay_domain(sender):
        return BY_DOMAIN[domain]  # the relay (of amazon.com buyers) is per marketplace
    # the Seller Central links of an HTML notice, or those a plain-text one spells out
    link = _SELLER_CENTRAL.search(html[:200_000]) or _SELLER_CENTRAL.search(text[:200_000])
    if link and link.group(1) in BY_DOMAIN:
        return BY_DOMAIN[link.group(1)]
    return order_prefix_marketplace(order_id)
