from __future__ import annotations

from datetime import UTC, datetime

from spconnector.domain.enums import Action, Priority
from spconnector.impact.feedback import parse_feedback_report
from spconnector.impact.ledger import InMemoryLedgerStore, record_decision
from spconnector.impact.poll import poll_feedback
from tests.unit.impact.records import record
from tests.unit.impact.test_follow_up import tenant

NOW = datetime(2026, 11, 23, 6, tzinfo=UTC)
REPORT = (
    "Date\tRating\tComments\tResponse\tOrder ID\tRater Email\n"
    "11/20/26\t1\tbroken\t\t113-1\ta@example.com\n"
    "11/21/26\t3\tslow\t\t113-2\tb@example.com\n"
    "bad\t2\tx\t\t113-3\tc@example.com\n"
)
PERFORMANCE = {
    "performanceMetrics": [
        {
            "marketplaceId": "ATVPDKIKX0DER",
            "orderDefectRate": {
                "mfn": {
                    "reportingDateRange": {"reportingDateFrom": "a", "reportingDateTo": "b"},
                    "orderCount": 1000,
                    "orderWithDefects": {"count": 6, "status": "GOOD"},
                    "claims": {"count": 2, "status": "NONE"},
                    "chargebacks": {"count": 0, "status": "NONE"},
                    "negativeFeedback": {"count": 4, "status": "NONE"},
                    "fulfillmentType": "mfn",
                    "status": "GOOD",
                    "rate": 0.006,
                    "targetValue": 0.01,
                    "targetCondition": "LESS_THAN",
                }
            },
        }
    ]
}
OFFERS = {
    "payload": {
        "Offers": [
            {
                "MyOffer": True,
                "SellerFeedbackRating": {
                    "FeedbackCount": 500,
                    "SellerPositiveFeedbackRating": 98.0,
                },
            }
        ]
    }
}


def test_poll_records_outcomes_builds_snapshot_and_asks_for_follow_ups() -> None:
    store = InMemoryLedgerStore()
    record_decision(store, record("113-1", Action.DECLINE, day=5))
    result = poll_feedback(
        tenant(),
        NOW,
        store=store,
        feedback_report=REPORT,
        offers_payload=OFFERS,
        performance_report=PERFORMANCE,
    )
    assert (result.entries, result.matched, result.unmatched) == (2, 1, 1)
    assert [(q.line, q.reason) for q in result.quarantined] == [(4, "unreadable date 'bad'")]
    assert result.new_negatives == 1
    assert result.snapshot.positive_pct == 98.0 and result.snapshot.count == 500
    assert result.snapshot.negatives_30d == 1 and result.snapshot.neutrals_30d == 1
    assert result.snapshot.negative_feedback_rate == 0.004
    assert [f.case.amazon_order_id for f in result.follow_ups] == ["113-1", "113-2"]
    assert all(f.case.priority is Priority.URGENT for f in result.follow_ups)
    (decided,) = store.records_for_order("acme", "113-1")
    assert decided.feedback_rating == 1


def test_cancelled_reports_mean_no_data_and_seen_rows_open_nothing() -> None:
    empty = poll_feedback(
        tenant(),
        NOW,
        store=InMemoryLedgerStore(),
        feedback_report=None,
        offers_payload=None,
        performance_report=None,
    )
    assert empty.entries == 0 and empty.follow_ups == [] and empty.snapshot.positive_pct is None
    keys = frozenset(e.dedup_key for e in parse_feedback_report(REPORT).entries)
    again = poll_feedback(
        tenant(),
        NOW,
        store=InMemoryLedgerStore(),
        feedback_report=REPORT,
        offers_payload=None,
        performance_report=None,
        seen_keys=keys,
    )
    assert again.follow_ups == [] and again.new_negatives == 0
