"""Make text safe to place in a plain-text reply.

Everything here is data handed to templates as variables — never template source — so the
sandbox alone already stops "{{ … }}" from running. These functions handle what is left:
control characters, and contact details or links in the buyer's own words, which must never be
echoed back (Amazon forbids them in our messages, and the lint would then block the reply).
"""

from __future__ import annotations

import re
import unicodedata

from spconnector.replies.patterns import BARE_HOST, EMAIL, PHONE_CANDIDATE, URL, looks_like_phone

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


def drop_contact_details(text: str) -> str:
    """Links, email addresses and phone numbers become "…"."""
    text = EMAIL.sub("…", text)
    text = URL.sub("…", text)
    text = BARE_HOST.sub("…", text)
    return PHONE_CANDIDATE.sub(lambda m: "…" if looks_like_phone(m.group(0)) else m.group(0), text)


def _capped(text: str, limit: int) -> str:
    """At most a few times `limit` characters, cut at a space, before any pattern runs on it:
    the reply shows `limit` characters at most, so the rest is never needed, and a 100 KB
    display name costs no more than a short one. Cutting at a space keeps the cut from leaving
    half an address that the contact patterns would no longer recognize."""
    budget = max(limit * 4, 64)
    if len(text) <= budget:
        return text
    head = text[:budget]
    space = max(head.rfind(" "), head.rfind("\t"), head.rfind("\n"))
    return head[:space] if space > 0 else ""


def buyer_text(text: str | None, *, limit: int = 200) -> str | None:
    """The buyer's words as one safe line: no control characters, no links, no contacts."""
    if text is None:
        return None
    clean = drop_contact_details(strip_control(_capped(text, limit)))
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
    clean = _SPACES.sub(" ", strip_control(text[: limit * 4])).strip()
    if not clean:
        return None
    return clean[:limit]


def first_name(name: str | None) -> str | None:
    if not name:
        return None
    return name.split()[0]
