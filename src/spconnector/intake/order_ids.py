"""Amazon order ids in mail text: the 3-7-7 digit form, written with look-alike digits and
hyphens too (fullwidth digits in Japanese mail, non-breaking hyphens in HTML), and the
distinct orders a mail names on its subject and labelled order lines (a digest names several).

Guarantees: bounded work (capped input, one linear pattern, at most `limit` ids collected).
"""

from __future__ import annotations

import re

from spconnector.intake.labels import label_meaning

ORDER_ID = re.compile(r"(?<!\d)(\d{3}-\d{7}-\d{7})(?!\d)")
# What a mailer may put in an order id's place: fullwidth digits (Japanese mail), and
# non-breaking, figure, en and fullwidth hyphens (HTML that keeps the id on one line).
# One character for one, so positions stay those of the text.
_ORDER_LOOKALIKES = str.maketrans(
    {**{chr(0xFF10 + d): str(d) for d in range(10)},
     **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d", "-")}
)  # fmt: skip


_LOOKALIKE = re.compile("[\uff10-\uff19\u2010-\u2013\u2212\ufe63\uff0d]")


def find_order_id(text: str) -> str | None:
    """The first order id in `text`, its look-alike digits and hyphens read as ASCII."""
    if _LOOKALIKE.search(text):  # (translating costs more than one scan: only when needed)
        text = text.translate(_ORDER_LOOKALIKES)
    found = ORDER_ID.search(text)
    return found.group(1) if found else None


def orders_named(subject: str, text: str, *, limit: int = 10) -> frozenset[str]:
    """The distinct order ids a mail names in its subject and on its labelled order lines
    ("Order ID: …"), at most `limit`: a notice naming several is about no single order."""
    if _LOOKALIKE.search(subject[:500]):
        subject = subject[:500].translate(_ORDER_LOOKALIKES)
    found = set(ORDER_ID.findall(subject[:500])[:limit])
    for line in text[:200_000].splitlines()[:2_000]:
        if len(found) >= limit:
            break
        label, sep, value = line[:400].replace("\uff1a", ":").partition(":")
        label = label.strip()
        if (
            sep
            and 1 <= len(label) <= 60
            and label_meaning(label) == "order"
            and (oid := find_order_id(value))
        ):
            found.add(oid)
    return frozenset(found)
