"""Amazon marketplaces: id, relay domain, currency, language and SP-API region."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Marketplace:
    marketplace_id: str
    country: str
    domain: str  # amazon.com, amazon.de, … — also the buyer-message relay domain
    currency: str
    language: str  # the default buyer language, ISO 639-1
    region: str  # SP-API region: na, eu, fe


_ALL = (
    Marketplace("ATVPDKIKX0DER", "US", "amazon.com", "USD", "en", "na"),
    Marketplace("A2EUQ1WTGCTBG2", "CA", "amazon.ca", "CAD", "en", "na"),
    Marketplace("A1AM78C64UM0Y8", "MX", "amazon.com.mx", "MXN", "es", "na"),
    Marketplace("A2Q3Y263D00KWC", "BR", "amazon.com.br", "BRL", "pt", "na"),
    Marketplace("A1F83G8C2ARO7P", "GB", "amazon.co.uk", "GBP", "en", "eu"),
    Marketplace("A1PA6795UKMFR9", "DE", "amazon.de", "EUR", "de", "eu"),
    Marketplace("A13V1IB3VIYZZH", "FR", "amazon.fr", "EUR", "fr", "eu"),
    Marketplace("APJ6JRA9NG5V4", "IT", "amazon.it", "EUR", "it", "eu"),
    Marketplace("A1RKKUPIHCS9HS", "ES", "amazon.es", "EUR", "es", "eu"),
    Marketplace("A1805IZSGTT6HS", "NL", "amazon.nl", "EUR", "nl", "eu"),
    Marketplace("A1C3SOZRARQ6R3", "PL", "amazon.pl", "PLN", "pl", "eu"),
    Marketplace("A2NODRKZP88ZB9", "SE", "amazon.se", "SEK", "sv", "eu"),
    Marketplace("AMEN7PMS3EDWL", "BE", "amazon.com.be", "EUR", "fr", "eu"),
    Marketplace("A21TJRUUN4KGV", "IN", "amazon.in", "INR", "en", "eu"),
    Marketplace("A1VC38T7YXB528", "JP", "amazon.co.jp", "JPY", "ja", "fe"),
    Marketplace("A39IBJ37TRP1C6", "AU", "amazon.com.au", "AUD", "en", "fe"),
    Marketplace("A19VAU5U5O7RUS", "SG", "amazon.sg", "SGD", "en", "fe"),
    Marketplace("A33AVAJ2PDY3EV", "TR", "amazon.com.tr", "TRY", "tr", "eu"),
    Marketplace("A2VIGQ35RCS4UG", "AE", "amazon.ae", "AED", "en", "eu"),
    Marketplace("A17E79C6D8DWNP", "SA", "amazon.sa", "SAR", "ar", "eu"),
    Marketplace("ARBP9OOSHTCHU", "EG", "amazon.eg", "EGP", "ar", "eu"),
)

BY_ID: dict[str, Marketplace] = {m.marketplace_id: m for m in _ALL}
BY_DOMAIN: dict[str, Marketplace] = {m.domain: m for m in _ALL}


class UnknownMarketplace(KeyError):
    pass


def by_id(marketplace_id: str) -> Marketplace:
    try:
        return BY_ID[marketplace_id]
    except KeyError:
        raise UnknownMarketplace(f"unknown marketplace id {marketplace_id!r}") from None


def by_domain(domain: str) -> Marketplace | None:
    """The marketplace whose domain ends `domain` (marketplace.amazon.de → amazon.de)."""
    domain = domain.lower().strip(".")
    for known, market in BY_DOMAIN.items():
        if domain == known or domain.endswith("." + known):
            return market
    return None
