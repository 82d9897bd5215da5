"""Which language a reply is written in: the buyer's locale, else the marketplace's."""

from __future__ import annotations

import re

from spconnector.domain.marketplaces import BY_ID

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it")
DEFAULT_LANGUAGE = "en"

_LOCALE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def _language_of(locale: str | None) -> str | None:
    """ "de-DE", "de_AT", "DE" → "de"; anything unreadable → None."""
    if not locale:
        return None
    match = _LOCALE.match(locale)
    if not match:
        return None
    lang = match.group(1).lower()
    return lang if lang in SUPPORTED_LANGUAGES else None


def language_for(buyer_locale: str | None, marketplace_id: str | None) -> str:
    """The Messaging API's getAttributes `buyer.locale` wins (a French speaker on amazon.de
    gets French); then the marketplace's language; then English."""
    lang = _language_of(buyer_locale)
    if lang:
        return lang
    market = BY_ID.get(marketplace_id) if marketplace_id else None
    if market and market.language in SUPPORTED_LANGUAGES:
        return market.language
    return DEFAULT_LANGUAGE


def supported_language(language: str | None) -> str | None:
    """An explicitly requested language, normalized, or None when we have no templates for it."""
    return _language_of(language)
