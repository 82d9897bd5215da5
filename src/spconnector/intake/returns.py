"""Returns reports (MFN flat file, FBA customer returns) → ReturnRequest (skeleton)."""

from __future__ import annotations

from dataclasses import dataclass, field

from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.models import ReturnRequest


class ReturnsReportError(ValueError):
    """The report cannot be read at all (e.g. a required column is missing)."""


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    line: int
    reason: str


@dataclass(slots=True)
class ReturnsParseResult:
    records: list[ReturnRequest] = field(default_factory=list)
    quarantined: list[QuarantinedRow] = field(default_factory=list)


def parse_returns(
    data: bytes | str, *, fulfillment: FulfillmentChannel | None = None
) -> ReturnsParseResult:
    raise ReturnsReportError("returns parser not implemented yet")
