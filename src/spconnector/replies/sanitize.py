"""Make text safe to place in a plain-text reply.

Everything here is data handed to templates as variables — never template source — so the
sandbox alone already stops "{{ … }}" from running. These functions handle what is left:
control characters, and contact details or links in the buyer's own words, which must never be
echoed back (Amazon forbids them in our messages, and the lint would then block the reply).
"""

from __future__ import annotations

import re
import unicodedata

from spconnector.replies.patterns import (
    BARE_HOST,
    EMAIL,
    OFF_PLATFORM,
    URL,
    phone_spans,
)

_SPACES = re.compile(r"[ \t]+")


_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def strip_control(text: str, *, keep_newlines: bool = False) -> str:
    """Drop control and format characters (NUL, escapes, bidi overrides, zero-width)."""
    if text.isascii():
        # ASCII's only such characters are its controls (category Cc): one pass in C, not a
        # category lookup per character (most text we see is ASCII)
        return _ASCII_CONTROL.sub(
            lambda m: _ascii_control(m.group(0), keep_newlines=keep_newlines), text
        )
    out = []
    for ch in text:
        if ch in "\r\n\t":
            out.append("\n" if keep_newlines and ch == "\n" else " ")
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        out.append(ch)
    return "".join(out)


def _ascii_control(ch: str, *, keep_newlines: bool) -> str:
    if ch in "\r\n\t":
        return "\n" if keep_newlines and ch == "\n" else " "
    return ""


def drop_contact_details(text: str) -> str:
    """Links, email addresses, phone numbers and off-platform messengers become "…".

    Until nothing changes (at most a few passes): taking one out can expose another
    ("WhatsApphttps://…" only reads as WhatsApp once the link is gone)."""
    for _ in range(4):
        before = text
        text = EMAIL.sub("…", text)
        text = URL.sub("…", text)
        text = BARE_HOST.sub("…", text)
        for start, end in reversed(phone_spans(text)):
            text = text[:start] + "…" + text[end:]
        text = OFF_PLATFORM.sub("…", text)
        if text == before:
            break
    return text


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
    # Replies are plain text: a buyer's "<a href=…>" is quoted, not markup (‹ › read the same).
    clean = clean.replace("<", "‹").replace(">", "›")
    clean = _SPACES.sub(" ", clean).strip()
    if not clean:
        return None
    if len(clean) > limit:
        # Cut between words: a cut inside one can leave a fragment that reads as something
        # else (the head of an order id is a phone number to the lint), and what is left is
        # checked once more.
        head = clean[: limit - 1]
        space = head.rfind(" ")
        head = head[:space] if space > limit // 2 else head
        clean = drop_contact_details(head).rstrip() + "…"
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
