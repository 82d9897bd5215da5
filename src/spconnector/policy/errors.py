"""The one error a policy or a case file raises when it cannot be used."""

from __future__ import annotations


class PolicyError(ValueError):
    """A policy (or a case file) that cannot be used; the message starts with the location,
    e.g. ``rules[3].when.item_value: Input should be ...``."""

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.location = location
        self.reason = message
        super().__init__(f"{location}: {message}" if location else message)


class CaseError(PolicyError):
    """A case file that does not describe a case the engine can decide."""
