"""Returns, feedback and account-health data for a scenario, and the report documents built
from them (tab-separated text, or JSON for the performance report)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spconnector.sim.scenario import Scenario, ScenarioOrder

MFN_HEADER = (
    "Order ID", "Order date", "Return request date", "Return request status", "Amazon RMA ID",
    "Merchant RMA ID", "Label type", "Label cost", "Currency code", "Return carrier",
    "Tracking ID", "Label to be paid by", "A-to-Z Claim", "Is prime", "ASIN", "Merchant SKU",
    "Item Name", "Return quantity", "Return reason", "In policy", "Return type", "Resolution",
    "Invoice number", "Return delivery date", "Order Amount", "Order quantity",
    "SafeT Action reason", "SafeT claim id", "SafeT claim state", "SafeT claim creation time",
    "SafeT claim reimbursement amount", "Refunded Amount", "Category",
)  # fmt: skip
FBA_HEADER = (
    "return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
    "fulfillment-center-id", "detailed-disposition", "reason", "status", "license-plate-number",
    "customer-comments",
)  # fmt: skip
FEEDBACK_HEADER = ("Date", "Rating", "Comments", "Response", "Order ID", "Rater Email")

MFN_REASONS = (
    "CR-DEFECTIVE", "CR-UNWANTED_ITEM", "CR-DAMAGED_BY_CARRIER", "CR-ORDERED_WRONG_ITEM",
    "CR-NOT_AS_DESCRIBED", "CR-WRONG_ITEM", "CR-QUALITY_UNACCEPTABLE", "CR-MISSING_PARTS",
    "CR-FOUND_BETTER_PRICE", "CR-NO_REASON_GIVEN", "CR-SWITCHEROO",
)  # fmt: skip
FBA_REASONS = (
    "DEFECTIVE", "UNWANTED_ITEM", "DAMAGED_BY_CARRIER", "NOT_AS_DESCRIBED", "ORDERED_WRONG_ITEM",
    "SWITCHEROO", "MISSING_PARTS", "QUALITY_UNACCEPTABLE",
)  # fmt: skip
_FBA_COMMENTS = {
    "DEFECTIVE": "Stopped working after two uses",
    "UNWANTED_ITEM": "Changed my mind",
    "DAMAGED_BY_CARRIER": "Box was crushed, glass cracked",
    "NOT_AS_DESCRIBED": "Color is different from the pictures",
    "ORDERED_WRONG_ITEM": "Ordered the wrong size",
    "SWITCHEROO": "",
    "MISSING_PARTS": "Brush was missing",
    "QUALITY_UNACCEPTABLE": "Feels cheap",
}
_FEEDBACK = (
    (1, "Arrived broken and nobody answered my message."),
    (2, "Shirt shrank after the first wash. Disappointed."),
    (3, "Okay product but shipping took forever."),
    (1, "Wrong size sent, had to return it."),
    (2, "Engraving was crooked."),
    (3, "Works fine, packaging was damaged."),
    (2, "Handle came loose within a week."),
)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def fill(rng: random.Random, scenario: Scenario) -> None:
    delivered = [o for o in scenario.orders if o.delivered_at is not None]
    returned = rng.sample(delivered, k=min(14, len(delivered)))
    returned.sort(key=lambda o: o.delivered_at or o.purchase_date)
    for order in returned:
        when = (order.delivered_at or order.purchase_date) + timedelta(
            days=rng.randrange(1, 9), hours=rng.randrange(0, 12)
        )
        when = min(when, scenario.anchor - timedelta(hours=1))
        if order.fulfillment_channel == "MFN":
            scenario.returns_mfn_rows.append(_mfn_row(rng, order, when))
        else:
            scenario.returns_fba_rows.append(_fba_row(rng, order, when))
    rated = rng.sample(delivered, k=min(6, len(delivered)))
    rated.sort(key=lambda o: o.delivered_at or o.purchase_date)
    for i, order in enumerate(rated):
        stars, comment = _FEEDBACK[i % len(_FEEDBACK)]
        when = min(
            (order.delivered_at or order.purchase_date) + timedelta(days=rng.randrange(1, 6)),
            scenario.anchor - timedelta(hours=2),
        )
        scenario.feedback_rows.append(
            {
                "Date": when.strftime("%m/%d/%y"),
                "Rating": str(stars),
                "Comments": comment,
                "Response": "",
                "Order ID": order.order_id,
                "Rater Email": order.buyer_alias,
            }
        )
    count = rng.randrange(350, 2400)
    scenario.seller_feedback_rating = {
        "SellerPositiveFeedbackRating": float(rng.randrange(92, 99)),
        "FeedbackCount": count,
    }
    scenario.performance = _performance(rng, scenario)


def _mfn_row(rng: random.Random, order: ScenarioOrder, when: datetime) -> dict[str, str]:
    item = order.items[0]
    reason = rng.choice(MFN_REASONS)
    if item.category == "apparel" and rng.random() < 0.6:
        reason = "CR-ORDERED_WRONG_ITEM"
    prepaid = reason in ("CR-DEFECTIVE", "CR-DAMAGED_BY_CARRIER", "CR-WRONG_ITEM")
    label_cost = Decimal(rng.randrange(550, 1150)) / 100
    status = rng.choice(["Approved", "Approved", "Pending", "Closed"])
    row = {
        "Order ID": order.order_id,
        "Order date": order.purchase_date.strftime("%d-%b-%Y"),
        "Return request date": _iso(when),
        "Return request status": status,
        "Amazon RMA ID": "D"
        + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8)),
        "Merchant RMA ID": "",
        "Label type": "AmazonUnPaidLabel" if not prepaid else "AmazonPrePaidLabel",
        "Label cost": format(label_cost, "f"),
        "Currency code": order.currency,
        "Return carrier": order.carrier or "USPS",
        "Tracking ID": "9" + "".join(rng.choice("0123456789") for _ in range(21)),
        "Label to be paid by": "Seller" if prepaid else "Customer",
        "A-to-Z Claim": "Y" if rng.random() < 0.07 else "N",
        "Is prime": "Y" if order.is_prime else "N",
        "ASIN": item.asin,
        "Merchant SKU": item.sku,
        "Item Name": item.title,
        "Return quantity": str(item.quantity),
        "Return reason": reason,
        "In policy": "Y" if rng.random() < 0.85 else "N",
        "Return type": "C-Returns",
        "Resolution": "StandardRefund",
        "Invoice number": "",
        "Return delivery date": "",
        "Order Amount": format(item.principal, "f"),
        "Order quantity": str(item.quantity),
        "SafeT Action reason": "",
        "SafeT claim id": "",
        "SafeT claim state": "",
        "SafeT claim creation time": "",
        "SafeT claim reimbursement amount": "",
        "Refunded Amount": "",
        "Category": item.category,
    }
    return row


def _fba_row(rng: random.Random, order: ScenarioOrder, when: datetime) -> dict[str, str]:
    item = order.items[0]
    reason = rng.choice(FBA_REASONS)
    return {
        "return-date": _iso(when),
        "order-id": order.order_id,
        "sku": item.sku,
        "asin": item.asin,
        "fnsku": "X00"
        + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(7)),
        "product-name": item.title,
        "quantity": str(item.quantity),
        "fulfillment-center-id": rng.choice(["PHX7", "ONT8", "BFI4", "MDW2", "TPA1"]),
        "detailed-disposition": rng.choice(["SELLABLE", "DEFECTIVE", "CUSTOMER_DAMAGED"]),
        "reason": reason,
        "status": rng.choice(["Unit returned to inventory", "Reimbursed"]),
        "license-plate-number": "LPN"
        + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(9)),
        "customer-comments": _FBA_COMMENTS[reason],
    }


def _performance(rng: random.Random, scenario: Scenario) -> dict[str, Any]:
    end = scenario.anchor
    market = scenario.marketplace_id
    negative = len(scenario.feedback_rows)

    def window(days: int) -> dict[str, str]:
        return {
            "reportingDateFrom": (end - timedelta(days=days)).strftime("%Y-%m-%dT%H:%MZ"),
            "reportingDateTo": end.strftime("%Y-%m-%dT%H:%MZ"),
        }

    orders = len(scenario.orders)

    def odr(channel: str) -> dict[str, Any]:
        count = sum(1 for o in scenario.orders if o.fulfillment_channel == channel)
        neg = negative if channel == "MFN" else 0
        claims = 1 if channel == "MFN" else 0
        defects = neg + claims
        return {
            "reportingDateRange": window(60),
            "orderCount": count,
            "orderWithDefects": {"count": defects, "status": "GOOD"},
            "claims": {"count": claims, "status": "GOOD"},
            "chargebacks": {"count": 0, "status": "GOOD"},
            "negativeFeedback": {"count": neg, "status": "GOOD"},
            "fulfillmentType": channel,
            "status": "GOOD",
            "rate": round(defects / count, 4) if count else 0.0,
            "targetValue": 0.01,
            "targetCondition": "LESS_THAN",
        }

    def violation() -> dict[str, Any]:
        return {
            "reportingDateRange": window(180),
            "defectsCount": 0,
            "status": "GOOD",
            "targetValue": 0,
            "targetCondition": "EQUALS",
        }

    late = rng.randrange(0, 2)
    metrics: dict[str, Any] = {
        "marketplaceId": market,
        "invoiceDefectRate": {
            "reportingDateRange": window(30),
            "orderCount": orders,
            "invoiceDefect": {"count": 0, "status": "NONE"},
            "missingInvoice": {"count": 0, "status": "NONE"},
            "lateInvoice": {"count": 0, "status": "NONE"},
            "status": "NONE",
            "rate": 0.0,
            "targetValue": 0.05,
            "targetCondition": "LESS_THAN",
        },
        "lateShipmentRate": {
            "reportingDateRange": window(30),
            "orderCount": orders,
            "lateShipmentCount": late,
            "status": "GOOD",
            "rate": round(late / orders, 4),
            "targetValue": 0.04,
            "targetCondition": "LESS_THAN",
        },
        "orderDefectRate": {"mfn": odr("MFN"), "afn": odr("AFN")},
        "onTimeDeliveryRate": {
            "reportingDateRange": window(14),
            "shipmentCountWithValidTracking": orders,
            "onTimeDeliveryCount": orders - late,
            "status": "GOOD",
            "rate": round((orders - late) / orders, 4),
            "targetValue": 0.9,
            "targetCondition": "GREATER_THAN",
        },
        "unitOnTimeDeliveryRate": {
            "reportingDateRange": window(14),
            "status": "GOOD",
            "targetValue": 0.9,
            "targetCondition": "GREATER_THAN",
            "unitOnTimeDeliveryCount": orders - late,
            "totalUnitCount": orders,
            "rate": round((orders - late) / orders, 4),
        },
        "validTrackingRate": {
            "reportingDateRange": window(30),
            "shipmentCount": orders,
            "validTrackingCount": orders,
            "status": "GOOD",
            "rate": 1.0,
            "targetValue": 0.95,
            "targetCondition": "GREATER_THAN",
        },
        "preFulfillmentCancellationRate": {
            "reportingDateRange": window(7),
            "orderCount": orders,
            "cancellationCount": 1,
            "status": "GOOD",
            "rate": round(1 / orders, 4),
            "targetValue": 0.025,
            "targetCondition": "LESS_THAN",
        },
        "warningStates": [{"warningType": "spammingSellerMessaging", "status": "GOOD"}],
        "accountHealthRating": {
            "ahrStatus": "GREAT",
            "accountHealthRatingStatus": "GREAT",
            "reportingDateRange": window(180),
        },
    }
    for name in (
        "listingPolicyViolations",
        "productAuthenticityCustomerComplaints",
        "productConditionCustomerComplaints",
        "productSafetyCustomerComplaints",
        "receivedIntellectualPropertyComplaints",
        "restrictedProductPolicyViolations",
        "suspectedIntellectualPropertyViolations",
        "foodAndProductSafetyIssues",
        "otherPolicyViolations",
        "documentRequests",
    ):
        metrics[name] = violation()
    return {
        "accountStatuses": [{"marketplaceId": market, "status": "NORMAL"}],
        "performanceMetrics": [metrics],
    }


# -- report documents ----------------------------------------------------------------------
def _tsv(header: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    lines = ["\t".join(header)]
    lines.extend("\t".join(row.get(col, "") for col in header) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _parse_when(value: str) -> datetime:
    if "/" in value:  # feedback report: MM/DD/YY
        return datetime.strptime(value, "%m/%d/%y").replace(tzinfo=UTC)
    return datetime.fromisoformat(value)


def _in_window(
    rows: list[dict[str, str]], column: str, start: datetime, end: datetime
) -> list[dict[str, str]]:
    return [r for r in rows if start <= _parse_when(r[column]) <= end]


def _mfn(s: Scenario, start: datetime, end: datetime) -> bytes | None:
    rows = _in_window(s.returns_mfn_rows, "Return request date", start, end)
    return _tsv(MFN_HEADER, rows) if rows else None


def _fba(s: Scenario, start: datetime, end: datetime) -> bytes | None:
    rows = _in_window(s.returns_fba_rows, "return-date", start, end)
    return _tsv(FBA_HEADER, rows) if rows else None


def _feedback(s: Scenario, start: datetime, end: datetime) -> bytes | None:
    day_start = start.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = _in_window(s.feedback_rows, "Date", day_start, end)
    return _tsv(FEEDBACK_HEADER, rows) if rows else None


def _performance_doc(s: Scenario, start: datetime, end: datetime) -> bytes | None:
    return json.dumps(s.performance, indent=2).encode()


RENDERERS: dict[str, Callable[[Scenario, datetime, datetime], bytes | None]] = {
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": _mfn,
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": _fba,
    "GET_SELLER_FEEDBACK_DATA": _feedback,
    "GET_V2_SELLER_PERFORMANCE_REPORT": _performance_doc,
}


def render(scenario: Scenario, report_type: str, start: datetime, end: datetime) -> bytes | None:
    """The report document, or None when the window holds no data (→ CANCELLED)."""
    return RENDERERS[report_type](scenario, start, end)


def content_type(report_type: str) -> str:
    if report_type == "GET_V2_SELLER_PERFORMANCE_REPORT":
        return "application/json"
    return "text/tab-separated-values; charset=UTF-8"
