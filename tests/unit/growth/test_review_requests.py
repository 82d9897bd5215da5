"""When the review request goes (policy day, Amazon's window), and what a policy may exclude."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spconnector.growth.review_requests import OrderDates, plan
from spconnector.policy import PolicyError, load_policy
from spconnector.policy.schema import Solicitations

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _order(fba: bool = False, delivered: bool = True, span_days: int = 4) -> OrderDates:
    return OrderDates("111-0000000-0000001", fba, T0, T0 + timedelta(days=span_days), delivered)


def test_sent_on_the_policy_day_after_the_latest_delivery_date() -> None:
    settings = Solicitations(enabled=True, day_after_delivery=7)
    order = _order()
    day = T0 + timedelta(days=4 + 7)
    assert plan(order, settings, day - timedelta(minutes=1)).verdict == "not_yet"
    assert plan(order, settings, day).verdict == "send"
    assert plan(order, settings, day).send_on == day
    # an outage: still sent later while Amazon's window is open (30 days after latest)
    assert plan(order, settings, T0 + timedelta(days=34)).verdict == "send"
    assert plan(order, settings, T0 + timedelta(days=34, seconds=1)).verdict == "closed"


def test_the_day_is_kept_inside_amazons_window() -> None:
    # a wide promise: earliest + 5 days is later than latest + day
    wide = OrderDates("111-0000000-0000002", False, T0, T0 + timedelta(days=1), True)
    plan_ = plan(wide, Solicitations(enabled=True, day_after_delivery=5), T0)
    assert plan_.send_on == T0 + timedelta(days=6)  # max(latest + 5, earliest + 5)
    late = plan(_order(), Solicitations(enabled=True, day_after_delivery=30), T0)
    assert late.send_on == late.closes


def test_undelivered_and_undated_orders_wait() -> None:
    settings = Solicitations(enabled=True)
    at = T0 + timedelta(days=12)
    assert plan(_order(delivered=False), settings, at).verdict == "not_delivered"
    undated = OrderDates("111-0000000-0000003", False, None, None, True)
    assert plan(undated, settings, at).verdict == "no_delivery_dates"


def test_channel_exclusions() -> None:
    at = T0 + timedelta(days=12)
    no_fba = Solicitations(enabled=True, exclude=["fulfilled_by_amazon"])
    assert plan(_order(fba=True), no_fba, at).verdict == "excluded"
    assert plan(_order(fba=False), no_fba, at).verdict == "send"


_POLICY = """
schema_version: 1
name: t
rules:
  - id: r
    description: anything
    then: {action: escalate_review}
solicitations:
"""


@pytest.mark.parametrize(
    "section",
    [
        "  exclude: [negative_sentiment]",
        "  exclude: [refunded_orders]",
        "  exclude: [orders_with_a_complaint]",
        "  only_if: {sentiment: positive}",
        "  day_after_delivery: 3",  # before Amazon's window opens
        "  day_after_delivery: 31",
    ],
)
def test_a_selective_or_out_of_window_section_cannot_be_written(section: str) -> None:
    with pytest.raises(PolicyError):
        load_policy(_POLICY + section + "\n")


def test_the_section_loads_and_leaves_other_policies_versions_alone() -> None:
    from spconnector.policy import policy_version

    with_section = load_policy(_POLICY + "  enabled: true\n  day_after_delivery: 10\n")
    assert with_section.solicitations == Solicitations(enabled=True, day_after_delivery=10)
    without = load_policy(_POLICY.replace("solicitations:\n", ""))
    assert without.solicitations is None
    assert policy_version(with_section) != policy_version(without)
