"""Intent classifier: transparent weighted phrase rules per language (skeleton, filled in next)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from spconnector.domain.enums import Intent


@dataclass(frozen=True, slots=True)
class Classification:
    intent: Intent
    confidence: float
    evidence: tuple[str, ...]
    language: str


class IntentClassifier(Protocol):
    def classify(self, subject: str, body: str) -> Classification: ...


def classify(subject: str, body: str) -> Classification:
    return Classification(Intent.OTHER, 0.0, (), "en")
