"""Amazon buyer-message relay mail → BuyerMessage (skeleton, filled in next)."""

from __future__ import annotations

from spconnector.domain.models import BuyerMessage
from spconnector.intake.classifier import IntentClassifier


class EmailParseError(ValueError):
    """The bytes cannot be read as mail at all; the message is one line."""


def parse_email(raw: bytes, *, classifier: IntentClassifier | None = None) -> BuyerMessage:
    raise EmailParseError("email parser not implemented yet")
