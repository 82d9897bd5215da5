from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from spconnector.impact.feedback import (
    FeedbackEntry,
    FeedbackReportError,
    SellerRating,
    build_snapshot,
    parse_feedback_report,
    positive_pct,
    seller_rating_from_offers,
)
from spconnector.impact.performance import (
    MarketplacePerformance,
    OrderDefects,
    PerformanceReportError,
    parse_performance_report,
)

HEADER = "Date\tRating\tComments\tResponse\tOrder ID\tRater Email\n"


def test_feedback_rows_parse_and_bad_rows_are_quarantined_with_line_numbers() -> None:
    text = (
        HEADER
        + "11/18/26\t1\tArrived broken <b>bad</b>\t\t113-0000001-0000001\tjane@example.com\n"
        + "11/19/26\tfive\tgreat\t\t113-0000002-0000002\tx@example.com\n"  # line 3
        + "\n"
        + "11/20/26\t3\tok-ish\tSorry to hear\t113-0000003-0000003\ty@example.com\n"
        + "13/45/26\t2\tbad date\t\t113-0000004-0000004\tz@example.com\n"  # line 6
        + "11/21/26\t2\tno order\t\t\tz@example.com\n"  # line 7
        + "11/21/26\t9\tout of range\t\t113-0000005-0000005\tz@example.com\n"  # line 8
        + "11/22/26\t2\n"  # line 9: truncated
    )
    result = parse_feedback_report(text.encode())
    assert [e.amazon_order_id for e in result.entries] == [
        "113-0000001-0000001",
        "113-0000003-0000003",
    ]
    first, second = result.entries
    assert first.feedback_date == date(2026, 11, 18)
    assert first.rating == 1 and first.is_negative and first.response is None
    assert first.comments == "Arrived broken <b>bad</b>"  # data, kept verbatim
    assert second.rating == 3 and not second.is_negative and second.response == "Sorry to hear"
    assert second.line == 5
    assert [(q.line, q.reason) for q in result.quarantined] == [
        (3, "rating 'five' is not a whole number"),
        (6, "unreadable date '13/45/26'"),
        (7, "empty Order ID"),
        (8, "rating 9 outside 1-5"),
        (9, "2 field(s), at least 5 expected"),
    ]
    # the rater's email is PII and never enters the model
    assert "email" not in FeedbackEntry.model_fields
    assert "example.com" not in first.model_dump_json()


def test_header_order_and_case_do_not_matter_and_cp1252_is_read() -> None:
    text = "order id\tRATING\tdate\tComments\n302-1111111-2222222\t2\t18.11.26\tKaputt, schäbig\n"
    result = parse_feedback_report(text.encode("cp1252"))
    assert not result.quarantined
    (entry,) = result.entries
    assert entry.feedback_date == date(2026, 11, 18)
    assert entry.comments == "Kaputt, schäbig"


def test_missing_required_column_is_a_report_error() -> None:
    with pytest.raises(FeedbackReportError, match="missing column\\(s\\) order_id"):
        parse_feedback_report("Date\tRating\tComments\n11/18/26\t1\tx\n")


def test_empty_report_means_no_data() -> None:
    assert parse_feedback_report(b"").entries == []
    assert parse_feedback_report(HEADER).entries == []


def _model_example(sp_api_models: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = json.loads((sp_api_models / "accountHealthReport-2020-11-18.json").read_text())
    return schema, copy.deepcopy(schema["examples"][0])


def test_performance_report_example_from_amazons_schema(sp_api_models: Path) -> None:
    _, doc = _model_example(sp_api_models)
    (perf,) = parse_performance_report(json.dumps(doc).encode())
    assert perf.marketplace_id == "ATVPDKIKX0DER"
    assert perf.account_status == "AT_RISK"
    assert [d.fulfillment for d in perf.defects] == ["mfn", "afn"]
    assert perf.order_count == 2 * 539000
    assert perf.negative_feedback_count == 2 * 628
    assert perf.order_defect_rate == pytest.approx(1078 / 539000)
    assert perf.negative_feedback_rate == pytest.approx(628 / 539000)


def test_performance_report_we_build_validates_and_parses(sp_api_models: Path) -> None:
    schema, _ = _model_example(sp_api_models)
    block = {
        "reportingDateRange": {
            "reportingDateFrom": "2026-09-01T00:00Z",
            "reportingDateTo": "2026-10-30T23:59Z",
        },
        "orderCount": 400,
        "orderWithDefects": {"count": 3, "status": "GOOD"},
        "claims": {"count": 1, "status": "NONE"},
        "chargebacks": {"count": 0, "status": "NONE"},
        "negativeFeedback": {"count": 2, "status": "NONE"},
        "fulfillmentType": "mfn",
        "status": "GOOD",
        "rate": 0.0075,
        "targetValue": 0.01,
        "targetCondition": "LESS_THAN",
    }
    doc = {
        "accountStatuses": [{"marketplaceId": "A1PA6795UKMFR9", "status": "NORMAL"}],
        "performanceMetrics": [
            {"marketplaceId": "A1PA6795UKMFR9", "orderDefectRate": {"mfn": block}}
        ],
    }
    # Amazon's schema requires every metric of a marketplace; the part we read is checked
    # against its own definition.
    definition = {"$ref": "#/definitions/OrderDefectRate", "definitions": schema["definitions"]}
    jsonschema.validate(block, definition)
    (perf,) = parse_performance_report(doc)
    assert perf.order_defect_rate == pytest.approx(3 / 400)
    assert perf.negative_feedback_rate == pytest.approx(2 / 400)


@pytest.mark.parametrize(
    ("doc", "reason"),
    [
        ("{not json", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"accountStatuses": []}', "performanceMetrics is missing"),
        ('{"performanceMetrics": [{}]}', "performanceMetrics\\[0\\].marketplaceId"),
        (
            '{"performanceMetrics": [{"marketplaceId": "X", "orderDefectRate": {"mfn": '
            '{"reportingDateRange": {}, "orderCount": 3, "rate": 0.1}}}]}',
            "orderWithDefects.count",
        ),
    ],
)
def test_performance_report_errors_say_where(doc: str, reason: str) -> None:
    with pytest.raises(PerformanceReportError, match=reason):
        parse_performance_report(doc)


def test_marketplace_without_order_defect_block_has_no_rates() -> None:
    (perf,) = parse_performance_report('{"performanceMetrics": [{"marketplaceId": "X"}]}')
    assert perf.order_defect_rate is None and perf.negative_feedback_rate is None


def test_seller_rating_comes_from_the_sellers_own_offer() -> None:
    payload = {
        "payload": {
            "Offers": [
                {
                    "SellerId": "OTHER",
                    "SellerFeedbackRating": {
                        "FeedbackCount": 9,
                        "SellerPositiveFeedbackRating": 80.0,
                    },
                },
                {
                    "SellerId": "ME",
                    "SellerFeedbackRating": {
                        "FeedbackCount": 1234,
                        "SellerPositiveFeedbackRating": 97.0,
                    },
                },
            ]
        }
    }
    assert seller_rating_from_offers(payload, "ME") == SellerRating(positive_pct=97.0, count=1234)
    assert seller_rating_from_offers(payload, "NOBODY") is None
    mine = {"Offers": [{"MyOffer": True, "SellerFeedbackRating": {"FeedbackCount": 3}}]}
    assert seller_rating_from_offers(mine, "ME") == SellerRating(positive_pct=None, count=3)


def _entry(day: date, rating: int, order: str = "113-1") -> FeedbackEntry:
    return FeedbackEntry(feedback_date=day, rating=rating, amazon_order_id=order, line=2)


def test_snapshot_counts_windows_and_joins_amazons_figures() -> None:
    taken = datetime(2026, 11, 23, 6, tzinfo=UTC)
    entries = [
        _entry(date(2026, 11, 23), 1, "a"),  # today
        _entry(date(2026, 11, 23), 1, "a"),  # the same row twice counts once
        _entry(date(2026, 10, 25), 2, "b"),  # 29 days: in 30d
        _entry(date(2026, 10, 24), 3, "c"),  # 30 days: outside 30d, inside 90d
        _entry(date(2026, 3, 1), 2, "d"),  # inside 365d
        _entry(date(2024, 1, 1), 1, "e"),  # lifetime only
        _entry(date(2026, 11, 24), 1, "f"),  # after the snapshot: ignored
        _entry(date(2026, 11, 1), 2, "g"),  # removed by Amazon
    ]
    perf = MarketplacePerformance(
        marketplace_id="ATVPDKIKX0DER",
        defects=(
            OrderDefects(
                fulfillment="mfn",
                reporting_from="",
                reporting_to="",
                order_count=200,
                orders_with_defects=2,
                negative_feedback=1,
                claims=1,
                chargebacks=0,
                rate=0.01,
                status="GOOD",
            ),
        ),
    )
    snap = build_snapshot(
        "acme",
        taken,
        entries,
        rating=SellerRating(positive_pct=96.5, count=400),
        performance=perf,
        removed_keys=frozenset({entries[-1].dedup_key}),
    )
    assert (snap.negatives_30d, snap.negatives_90d, snap.negatives_365d) == (2, 2, 3)
    assert snap.negatives_lifetime == 4
    assert (snap.neutrals_30d, snap.neutrals_90d, snap.neutrals_lifetime) == (0, 1, 1)
    assert snap.marketplace_id == "ATVPDKIKX0DER"
    assert snap.order_defect_rate == pytest.approx(0.01)
    assert snap.negative_feedback_rate == pytest.approx(0.005)
    assert snap.score("365d") == 96.5
    assert snap.score("30d") is None  # Amazon does not say how many ratings in 30 days
    assert snap.model_copy(update={"ratings_30d": 40}).score("30d") == 95.0


def test_positive_pct_without_ratings_is_no_score() -> None:
    assert positive_pct(0, 0) is None
    assert positive_pct(None, 0) is None
    assert positive_pct(200, 5) == 97.5
