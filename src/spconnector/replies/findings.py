"""A lint finding: what is wrong with a reply, and where."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    excerpt: str = ""

    def __str__(self) -> str:
        where = f' — "{self.excerpt}"' if self.excerpt else ""
        return f"{self.severity}: {self.code}: {self.message}{where}"


def excerpt_of(text: str, start: int, end: int, *, context: int = 20) -> str:
    """The matched text with a little context, on one line."""
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    piece = " ".join(text[lo:hi].split())
    return ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")
