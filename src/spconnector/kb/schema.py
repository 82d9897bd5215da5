"""The knowledge-base schema: what a seller writes down about each product, in plain YAML.

Guarantees:
- Every retrievable entry has an id unique within its product (or family), at least one
  question variant and an answer; languages are the five the replies speak.
- An answer never contains a link, an e-mail address or a phone number (Amazon's messaging
  rules; checked again when a reply is rendered).
- A product names an existing family; a SKU belongs to at most one product.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Language = Literal["en", "de", "fr", "es", "it"]
LANGUAGES: tuple[Language, ...] = ("en", "de", "fr", "es", "it")
EntryKind = Literal["faq", "spec", "tip", "issue", "normal_wear", "warranty", "alternative"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_SYNONYM = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
# Amazon's messaging rules: no links, addresses or phone numbers beyond what the order needs.
_LINK = re.compile(r"(?i)\b(?:https?://|www\.)|\b[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d ()./-]{7,}\d")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _clean_text(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"{what} is empty")
    if len(value) > 1200:
        raise ValueError(f"{what} is longer than 1200 characters (a reply must stay short)")
    if _LINK.search(value):
        raise ValueError(f"{what} holds a link, e-mail address or phone number (not allowed)")
    return value


class Entry(_Model):
    """One thing a buyer may ask and its answer. The list an entry sits in gives its kind."""

    id: str
    ask: dict[Language, list[str]] = Field(description="question variants (or symptoms)")
    answer: dict[Language, str]
    timeline: dict[Language, str] = Field(default_factory=dict)  # normal wear: how long
    known_defect: bool = False  # issues: this symptom means the item is faulty

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"id {value!r}: use lower-case letters, digits, '-' or '_'")
        return value

    @field_validator("ask")
    @classmethod
    def _ask(cls, value: dict[Language, list[str]]) -> dict[Language, list[str]]:
        if not any(value.values()):
            raise ValueError("needs at least one question variant")
        for lang, variants in value.items():
            for n, variant in enumerate(variants):
                if not variant.strip():
                    raise ValueError(f"{lang}[{n}]: question variant is empty")
        return value

    @field_validator("answer", "timeline")
    @classmethod
    def _texts(cls, value: dict[Language, str]) -> dict[Language, str]:
        for lang, text in value.items():
            _clean_text(text.strip(), f"{lang} text")
        return {k: v.strip() for k, v in value.items()}

    @model_validator(mode="after")
    def _answer_present(self) -> Entry:
        if not self.answer:
            raise ValueError(f"entry {self.id!r} needs an answer in at least one language")
        return self


class Topic(_Model):
    """What a product or a family knows: the same sections for both."""

    faq: list[Entry] = Field(default_factory=list)
    specs: list[Entry] = Field(default_factory=list)  # dimensions, materials, compatibility, box
    tips: list[Entry] = Field(default_factory=list)  # care and use
    issues: list[Entry] = Field(default_factory=list)  # common issues and their fix
    normal_wear: list[Entry] = Field(default_factory=list)  # with timelines
    warranty: list[Entry] = Field(default_factory=list)
    alternatives: list[Entry] = Field(default_factory=list)  # "we don't sell that"

    def entries(self) -> list[tuple[EntryKind, Entry]]:
        sections: tuple[tuple[EntryKind, list[Entry]], ...] = (
            ("faq", self.faq),
            ("spec", self.specs),
            ("tip", self.tips),
            ("issue", self.issues),
            ("normal_wear", self.normal_wear),
            ("warranty", self.warranty),
            ("alternative", self.alternatives),
        )
        return [(kind, e) for kind, section in sections for e in section]

    @model_validator(mode="after")
    def _unique_ids(self) -> Topic:
        seen: set[str] = set()
        for _kind, entry in self.entries():
            if entry.id in seen:
                raise ValueError(f"entry id {entry.id!r} is used twice")
            seen.add(entry.id)
        return self


class Family(Topic):
    title: str | None = None


class Product(Topic):
    title: str
    family: str | None = None
    skus: list[str] = Field(default_factory=list)  # variants sold under this product (sizes…)
    # the words buyers use for it, so a question naming another product is matched to that one
    names: dict[Language, list[str]] = Field(default_factory=dict)


class KnowledgeBase(_Model):
    schema_version: Literal[1] = 1
    default_language: Language = "en"
    # words the seller's buyers use for the same thing, per language: each group is a list of
    # single words ("grounds", "sediment", "sludge"); retrieval reads them all as the first
    synonyms: dict[Language, list[list[str]]] = Field(default_factory=dict)
    families: dict[str, Family] = Field(default_factory=dict)
    products: dict[str, Product] = Field(default_factory=dict)

    @field_validator("synonyms")
    @classmethod
    def _synonyms(cls, value: dict[Language, list[list[str]]]) -> dict[Language, list[list[str]]]:
        for lang, groups in value.items():
            for n, group in enumerate(groups):
                if len(group) < 2:
                    raise ValueError(f"{lang}[{n}]: a synonym group needs two words or more")
                for word in group:
                    if not _SYNONYM.match(word):
                        raise ValueError(f"{lang}[{n}]: {word!r} is not a single word")
        return value

    @model_validator(mode="after")
    def _references(self) -> KnowledgeBase:
        owner: dict[str, str] = {}
        for key, product in self.products.items():
            if product.family is not None and product.family not in self.families:
                raise ValueError(f"products.{key}.family: no family {product.family!r}")
            for sku in (key, *product.skus):
                if not _SKU.match(sku):
                    raise ValueError(f"products.{key}: {sku!r} is not a SKU")
                if sku in owner and owner[sku] != key:
                    raise ValueError(f"products.{key}: SKU {sku!r} also belongs to {owner[sku]}")
                owner[sku] = key
        return self

    def product_for(self, sku: str | None) -> str | None:
        """The product key a SKU belongs to (the key itself or one of its variants)."""
        if sku is None:
            return None
        if sku in self.products:
            return sku
        return next((k for k, p in self.products.items() if sku in p.skus), None)
