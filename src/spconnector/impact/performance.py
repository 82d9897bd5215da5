"""GET_V2_SELLER_PERFORMANCE_REPORT: JSON (accountHealthReport-2020-11-18), the order defect
rate and the negative-feedback count per marketplace. A document that is not that shape is a
PerformanceReportError naming where; missing counts are errors, never zeros.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from spconnector.impact.report_text import decode_report

PERFORMANCE_REPORT_TYPE = "GET_V2_SELLER_PERFORMANCE_REPORT"


class PerformanceReportError(ValueError):
    """The performance report is not the JSON document Amazon's schema describes."""


class OrderDefects(BaseModel):
    """One `orderDefectRate.mfn|afn` block of the account-health report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fulfillment: str  # "mfn" or "afn": the key the block sits under
    reporting_from: str
    reporting_to: str
    order_count: int
    orders_with_defects: int
    negative_feedback: int
    claims: int
    chargebacks: int
    rate: float
    status: str


class MarketplacePerformance(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    marketplace_id: str
    account_status: str | None = None
    defects: tuple[OrderDefects, ...] = ()

    @property
    def order_count(self) -> int:
        return sum(d.order_count for d in self.defects)

    @property
    def negative_feedback_count(self) -> int:
        return sum(d.negative_feedback for d in self.defects)

    @property
    def order_defect_rate(self) -> float | None:
        """Orders with a defect / orders, MFN and AFN together."""
        if not self.defects:
            return None
        orders = self.order_count
        if orders == 0:
            return max(d.rate for d in self.defects)
        return sum(d.orders_with_defects for d in self.defects) / orders

    @property
    def negative_feedback_rate(self) -> float | None:
        """Orders with negative feedback / orders: the seller's baseline per order."""
        orders = self.order_count
        return None if orders == 0 else self.negative_feedback_count / orders


def _count(block: Any, name: str, where: str) -> int:
    value = block.get(name) if isinstance(block, Mapping) else None
    count = value.get("count") if isinstance(value, Mapping) else None
    if not isinstance(count, int) or isinstance(count, bool):
        raise PerformanceReportError(f"{where}.{name}.count is missing or not an integer")
    return count


def _defects(key: str, block: Any, where: str) -> OrderDefects:
    if not isinstance(block, Mapping):
        raise PerformanceReportError(f"{where} is not an object")
    span = block.get("reportingDateRange")
    if not isinstance(span, Mapping):
        raise PerformanceReportError(f"{where}.reportingDateRange is missing")
    order_count = block.get("orderCount")
    rate = block.get("rate")
    if not isinstance(order_count, int) or isinstance(order_count, bool):
        raise PerformanceReportError(f"{where}.orderCount is missing or not an integer")
    if not isinstance(rate, int | float) or isinstance(rate, bool):
        raise PerformanceReportError(f"{where}.rate is missing or not a number")
    return OrderDefects(
        fulfillment=key,
        reporting_from=str(span.get("reportingDateFrom", "")),
        reporting_to=str(span.get("reportingDateTo", "")),
        order_count=order_count,
        orders_with_defects=_count(block, "orderWithDefects", where),
        negative_feedback=_count(block, "negativeFeedback", where),
        claims=_count(block, "claims", where),
        chargebacks=_count(block, "chargebacks", where),
        rate=float(rate),
        status=str(block.get("status", "")),
    )


def parse_performance_report(data: bytes | str | Mapping[str, Any]) -> list[MarketplacePerformance]:
    """Read the order-defect part of GET_V2_SELLER_PERFORMANCE_REPORT, one entry per
    marketplace. Raises PerformanceReportError on anything the schema does not allow."""
    if isinstance(data, Mapping):
        doc: Any = data
    else:
        try:
            doc = json.loads(decode_report(data))
        except json.JSONDecodeError as exc:
            raise PerformanceReportError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(doc, Mapping):
        raise PerformanceReportError("the report is not a JSON object")
    metrics = doc.get("performanceMetrics")
    if not isinstance(metrics, list):
        raise PerformanceReportError("performanceMetrics is missing or not a list")
    statuses: dict[str, str] = {}
    for status in doc.get("accountStatuses") or []:
        if isinstance(status, Mapping) and isinstance(status.get("marketplaceId"), str):
            statuses[status["marketplaceId"]] = str(status.get("status", ""))
    out: list[MarketplacePerformance] = []
    for index, entry in enumerate(metrics):
        where = f"performanceMetrics[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("marketplaceId"), str):
            raise PerformanceReportError(f"{where}.marketplaceId is missing")
        odr = entry.get("orderDefectRate") or {}
        if not isinstance(odr, Mapping):
            raise PerformanceReportError(f"{where}.orderDefectRate is not an object")
        defects = tuple(
            _defects(key, odr[key], f"{where}.orderDefectRate.{key}")
            for key in ("mfn", "afn")
            if odr.get(key) is not None
        )
        marketplace = entry["marketplaceId"]
        out.append(
            MarketplacePerformance(
                marketplace_id=marketplace,
                account_status=statuses.get(marketplace),
                defects=defects,
            )
        )
    return out
