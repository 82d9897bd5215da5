"""What goes wrong with a knowledge base, and where."""

from __future__ import annotations


class KbError(ValueError):
    """A knowledge base that cannot be used; `location` says where (products.X.faq[2].answer)."""

    def __init__(self, reason: str, *, location: str | None = None) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"{location}: {reason}" if location else reason)
