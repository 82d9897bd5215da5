"""Make text safe to place in a plain-text reply.

Everything here is data handed to templates as variables — never template source — so the
sandbox alone already stops "{{ … }}" from running. These functions handle what is left:
control characters, and contact details or links in the buyer's own words, which must never be
echoed back (Amazon forbids them in our messages, and the lint would then block the reply).
"""

from __future__ import annotations

import re
import unicodedata

_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)\S+")
_BARE_DOMAIN = re.compile(
    r"(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|io|co|me|ly|shop|store"
    r"|online|site|de|fr|es|it|uk|eu|nl|pl|se|be|at|ch|us|ca|mx|br|in|jp|au|sg)\b(?:/\S*)?"
)
_EMAIL = re.compile(r"(?i)[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w-])\+?\(?\d[\d\s().\-/]{6,}\d(?![\w-])")
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")
_SPACES = re.compile(r"[ \t]+")


def strip_control(text: str, *, keep_newlines: bool = False) -> str:
    """Drop control and format characters (NUL, escapes, bidi overrides, zero-width)."""
    out = []
    for ch in text:
        if ch in "\r\n\t":
            out.append("\n" if keep_newlines and ch == "\n" else " ")
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        out.append(ch)
    return "".join(out)


def _phone_or_keep(match: re.Match[str]) -> str:
    candidate = match.group(0).strip()
    digits = sum(c.isdigit() for c in candidate)
    if _ORDER_ID.match(candidate) or digits < 7:
        return match.group(0)
    return "…"


def drop_contact_details(text: str) -> str:
    """Links, email addresses and phone numbers become "…"."""
    text = _EMAIL.sub("…", text)
    text = _URL.sub("…", text)
    text = _BARE_DOMAIN.sub("…", text)
    return _PHONE.sub(_phone_or_keep, text)


def buyer_text(text: str | None, *, limit: int = 200) -> str | None:
    """The buyer's words as one safe line: no control characters, no links, no contacts."""
    if text is None:
        return None
    clean = drop_contact_details(strip_control(text))
    clean = _SPACES.sub(" ", clean).strip()
    if not clean:
        return None
    if len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean


def seller_text(text: str | None, *, limit: int = 500) -> str | None:
    """Seller- or catalog-provided text: control characters removed, otherwise kept as written
    (a link in it is the seller's choice, and the lint will say so)."""
    if text is None:
        return None
    clean = _SPACES.sub(" ", strip_control(text)).strip()
    if not clean:
        return None
    return clean[:limit]


def first_name(name: str | None) -> str | None:
    if not name:
        return None
    return name.split()[0]
