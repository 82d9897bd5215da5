"""Growth events by month: requests, ratings, removals and claims."""

from __future__ import annotations

from datetime import UTC, date, datetime

from spconnector.growth.events import GrowthEvent, by_month


def _event(kind: str, order: str, month: int, outcome: str | None = None) -> GrowthEvent:
    return GrowthEvent(
        tenant="t",
        kind=kind,  # type: ignore[arg-type]
        amazon_order_id=order,
        at=datetime(2026, month, 10, tzinfo=UTC),
        outcome=outcome,
    )


def test_counts_by_month() -> None:
    events = [
        _event("review_request", "a", 10, "sent"),
        _event("review_request", "b", 10, "unconfirmed"),
        _event("review_request", "c", 11, "sent"),
        _event("removal_candidate", "d", 10),
        _event("removal_outcome", "d", 11, "removed"),
        _event("removal_outcome", "e", 11, "not_removed"),
        _event("claim_opened", "f", 11),
        _event("claim_outcome", "f", 11, "granted"),
    ]
    ratings = [
        (date(2026, 10, 1), 100, 95.0, 0.01),
        (date(2026, 10, 31), 104, 95.2, 0.012),
        (date(2026, 11, 30), 105, 95.3, None),
    ]
    oct_, nov = by_month(events, ratings)
    assert (oct_.month, oct_.requests_sent, oct_.removals_requested) == ("2026-10", 2, 1)
    assert oct_.feedback_count == 104 and oct_.positive_pct == 95.2
    assert oct_.order_defect_rate == 0.012
    assert oct_.new_ratings is None  # no earlier month to compare with
    assert (nov.requests_sent, nov.new_ratings, nov.feedback_per_request) == (1, 1, 1.0)
    assert (nov.removed, nov.claims_opened, nov.claims_granted) == (1, 1, 1)


def test_nothing_gives_nothing() -> None:
    assert by_month([], []) == []


def test_the_impact_report_shows_growth_by_month_only_once_there_is_some() -> None:
    from spconnector.impact.aggregate import summarize
    from spconnector.impact.report import render_report

    empty = render_report(summarize([]))
    assert "Feedback growth by month" not in empty
    summary = summarize([], growth_events=[_event("review_request", "a", 10, "sent")])
    html = render_report(summary)
    assert "Feedback growth by month" in html and "2026-10" in html
    assert [m.requests_sent for m in summary.growth] == [1]


def test_the_evidence_pack_blots_contact_details_and_the_buyers_name() -> None:
    from spconnector.growth.claims import blot

    text = "Order 112-1234567-1234567 never came. Call me on +1 555 201 7788. Jane Roe"
    out = blot(text + " jane@example.com https://x.example/y", ("Jane Roe",))
    assert "112-1234567-1234567" in out
    for gone in ("555", "Jane", "Roe", "jane@", "https://"):
        assert gone not in out
