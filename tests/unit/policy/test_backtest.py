"""Backtest: replay returns through a policy; costs, what guards stop, honest assumptions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from typer.testing import CliRunner

from spconnector.backtest import FEEDBACK_NOT_AVAILABLE, replay
from spconnector.cli import app
from spconnector.domain import FulfillmentChannel, Money, ReturnRequest
from spconnector.policy import load_policy
from tests.unit.policy.cases import DEFAULT_POLICY, FIXTURES

DAY = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
TIGHT = """
name: tight
guards: {autonomy_limit: 50, daily_refund_budget: 100, monthly_refund_budget: 150}
catalog: {GP-01: {unit_cost: 3.10}}
rules:
  - id: refund-defects
    description: defects refunded without return
    when: {intent: [defective]}
    then: {action: refund_without_return}
  - id: unwanted
    description: changed mind
    when: {intent: [return_request]}
    then: {action: refund_on_return}
"""


def ret(
    n: int,
    amount: str,
    reason: str = "CR-DEFECTIVE",
    *,
    day: int = 0,
    sku: str = "GP-01",
    quantity: int = 1,
) -> ReturnRequest:
    return ReturnRequest(
        amazon_order_id=f"113-{n:07d}-0000000",
        rma_id=f"RMA{n}",
        sku=sku,
        quantity=quantity,
        reason_code=reason,
        in_policy=True,
        request_date=DAY + timedelta(days=day, minutes=n),
        order_amount=Money.of(amount, "USD"),
        fulfillment=FulfillmentChannel.MFN,
    )


def test_budgets_stop_refunds_in_order_and_reset_each_day() -> None:
    records = [ret(1, "40"), ret(2, "40"), ret(3, "40"), ret(4, "40", day=1), ret(5, "30", day=1)]
    result = replay(load_policy(TIGHT), records)
    # day 1: 40 + 40 = 80; the third would reach 120 > 100. day 2: 40 fits the day, but the
    # month is then at 120 and 30 more would pass 150? no: 150 exactly fits.
    assert result.refunds_without_return == {"USD": Decimal("150")}
    assert result.stopped_by_guard["daily_budget"].cases == 1
    assert result.stopped_by_guard["daily_budget"].amount == {"USD": Decimal("40")}
    assert result.needs_approval == 1
    assert result.goods_kept_units == 4
    assert result.goods_kept_cost == {"USD": Decimal("12.40")}


def test_autonomy_and_refunds_on_return_are_counted_apart() -> None:
    records = [ret(1, "80"), ret(2, "30", "CR-UNWANTED_ITEM"), ret(3, "20", "UNWANTED_ITEM")]
    result = replay(load_policy(TIGHT), records)
    assert result.stopped_by_guard["autonomy_limit"].amount == {"USD": Decimal("80")}
    assert result.refunds_on_return == {"USD": Decimal("50")}
    assert result.refunds_without_return == {}
    assert result.decisions == {"refund_on_return": 2, "refund_without_return": 1}


def test_rows_that_cannot_become_cases_are_skipped_with_a_reason() -> None:
    bad = ret(1, "10").model_copy(update={"order_amount": None})
    result = replay(load_policy(TIGHT), [bad, ret(2, "10")])
    assert result.cases == 1
    assert result.skipped == ["order 113-0000001-0000000: no order amount in the report"]
    assert result.expected_feedback_effect == FEEDBACK_NOT_AVAILABLE
    assert any("delivered 7 days before" in a for a in result.assumptions)


def test_cli_backtest_on_an_mfn_report_with_feedback() -> None:
    result = CliRunner().invoke(
        app,
        [
            "policy",
            "backtest",
            "--policy",
            str(DEFAULT_POLICY),
            "--returns",
            str(FIXTURES / "returns-mfn.tsv"),
            "--feedback",
            str(FIXTURES / "feedback.tsv"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["cases"] == 7
    assert len(summary["skipped"]) == 1 and summary["skipped"][0].startswith("line 9")
    assert summary["decisions"]["decline"] == 1  # the customized jewelry box, wrong size
    assert summary["stopped_by_guard"]["autonomy_limit"]["cases"] == 1
    assert summary["negative_feedback_on_replayed_orders"] == {"refund_without_return": 1}
    assert summary["expected_feedback_effect"] == FEEDBACK_NOT_AVAILABLE


def test_cli_backtest_text_and_unreadable_report(tmp_path) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        app,
        [
            "policy",
            "backtest",
            "--policy",
            str(DEFAULT_POLICY),
            "--returns",
            str(FIXTURES / "returns-mfn.tsv"),
        ],
    )
    assert ok.exit_code == 0
    assert "decisions by action:" in ok.stdout and "assumed:" in ok.stdout
    unreadable = tmp_path / "not-a-report.tsv"
    unreadable.write_text("hello\tworld\n1\t2\n")
    bad = runner.invoke(
        app, ["policy", "backtest", "--policy", str(DEFAULT_POLICY), "--returns", str(unreadable)]
    )
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: ") and len(bad.stderr.strip().splitlines()) == 1
    assert "not-a-report.tsv" in bad.stderr
