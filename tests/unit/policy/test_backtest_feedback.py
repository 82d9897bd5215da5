"""Backtest: the expected feedback effect from the impact ledger, honestly labelled.

The numbers are worked by hand: a prior Beta(1 + 10p, 1 + 10(1 - p)) from the baseline p,
plus each action's negatives and non-negatives from the ledger; the interval bounds are
checked against the Beta CDF written as a binomial tail, I_x(a, b) = P(Bin(a+b-1, x) >= a).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spconnector.backtest import (
    FEEDBACK_NOT_AVAILABLE,
    BacktestResult,
    FeedbackOutcome,
    replay,
    with_expected_feedback,
)
from spconnector.cli import app
from spconnector.domain import Action, FulfillmentChannel, Intent, Money, ReturnRequest
from spconnector.impact.ledger import ImpactRecord, write_jsonl
from spconnector.policy import load_policy
from tests.unit.policy.cases import DEFAULT_POLICY, FIXTURES

DAY = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
GUARDS = "guards: {autonomy_limit: 50, daily_refund_budget: 100, monthly_refund_budget: 150}"
TIGHT = f"""
name: tight
{GUARDS}
catalog: {{GP-01: {{unit_cost: 3.10}}}}
rules:
  - id: refund-defects
    description: defects refunded without return
    when: {{intent: [defective]}}
    then: {{action: refund_without_return}}
  - id: unwanted
    description: changed mind
    when: {{intent: [return_request]}}
    then: {{action: refund_on_return}}
"""
ON_RETURN = f"""
name: on-return
{GUARDS}
catalog: {{GP-01: {{unit_cost: 3.10}}}}
rules:
  - id: everything-back
    description: every refund after the return
    when: {{intent: [defective, return_request]}}
    then: {{action: refund_on_return}}
"""


def order_id(n: int) -> str:
    return f"113-{n:07d}-0000000"


def ret(n: int, amount: str, reason: str) -> ReturnRequest:
    return ReturnRequest(
        amazon_order_id=order_id(n),
        rma_id=f"RMA{n}",
        sku="GP-01",
        quantity=1,
        reason_code=reason,
        in_policy=True,
        request_date=DAY + timedelta(minutes=n),
        order_amount=Money.of(amount, "USD"),
        fulfillment=FulfillmentChannel.MFN,
    )


# 3 defects at 10 USD (refund without return), 2 unwanted at 20 USD (refund on return).
RECORDS = [
    ret(1, "10", "CR-DEFECTIVE"),
    ret(2, "10", "CR-DEFECTIVE"),
    ret(3, "10", "CR-DEFECTIVE"),
    ret(4, "20", "CR-UNWANTED_ITEM"),
    ret(5, "20", "CR-UNWANTED_ITEM"),
]


def rec(
    n: int,
    action: Action,
    rating: int | None = None,
    *,
    order: str | None = None,
    refund: str | None = None,
    intent: Intent = Intent.DEFECTIVE,
    day: datetime = DAY - timedelta(days=60),
) -> ImpactRecord:
    return ImpactRecord(
        tenant="acme",
        case_id=f"case-{n}",
        amazon_order_id=order or f"111-{n:07d}-1111111",
        decided_at=day + timedelta(minutes=n),
        action=action,
        intent=intent,
        policy_version="v1",
        refund=Money.of(refund, "USD") if refund else None,
        feedback_rating=rating,
        feedback_at=day + timedelta(days=5) if rating else None,
    )


def history() -> list[ImpactRecord]:
    """8 returnless refunds: one 1-star (negative), one 3-star (neutral, not negative)."""
    ratings = [1, 3, None, None, None, None, None, None]
    return [rec(i, Action.REFUND_WITHOUT_RETURN, r) for i, r in enumerate(ratings)]


def beta_cdf(x: float, a: int, b: int) -> float:
    n = a + b - 1
    return sum(math.comb(n, j) * x**j * (1 - x) ** (n - j) for j in range(a, n + 1))


def tight() -> BacktestResult:
    return replay(load_policy(TIGHT), RECORDS)


def test_expected_negatives_per_action_worked_by_hand() -> None:
    result = with_expected_feedback(tight(), history(), baseline_rate=0.1)
    fb = result.expected_feedback
    assert fb is not None
    assert fb.prior == (2.0, 10.0) and fb.baseline_source == "given"
    assert fb.ledger_records == 8 and fb.ledger_with_feedback == 2
    rows = {row.action: row for row in fb.by_action}
    # refund_without_return: Beta(2 + 1, 10 + 7) -> mean 3/20.
    rwr = rows["refund_without_return"]
    assert (rwr.decisions, rwr.data_points, rwr.negatives_seen) == (3, 8, 1)
    assert rwr.rate_mean == pytest.approx(0.15)
    assert rwr.expected_negatives == pytest.approx(0.45)
    assert beta_cdf(rwr.rate_low or 0, 3, 17) == pytest.approx(0.05, abs=1e-9)
    assert beta_cdf(rwr.rate_high or 0, 3, 17) == pytest.approx(0.95, abs=1e-9)
    # refund_on_return: no ledger data -> the prior Beta(2, 10) alone, mean 1/6, and says so.
    ror = rows["refund_on_return"]
    assert (ror.decisions, ror.data_points) == (2, 0)
    assert ror.rate_mean == pytest.approx(1 / 6)
    assert ror.source.startswith("no ledger data: the prior Beta(2, 10)")
    assert beta_cdf(ror.rate_low or 0, 2, 10) == pytest.approx(0.05, abs=1e-9)
    assert any(n.startswith("refund_on_return: no ledger data") for n in fb.notes)
    # total = 3 * 0.15 + 2 / 6; the band sums each action's bounds times its count.
    t = fb.totals
    assert t.expected_negatives == pytest.approx(0.45 + 1 / 3)
    assert t.expected_low == pytest.approx(3 * (rwr.rate_low or 0) + 2 * (ror.rate_low or 0))
    assert t.expected_high == pytest.approx(3 * (rwr.rate_high or 0) + 2 * (ror.rate_high or 0))
    assert (t.decisions, t.estimated_decisions) == (5, 5)
    assert result.expected_feedback_effect.startswith("estimate: 0.78 negative feedback")
    intents = {row.intent: row for row in fb.by_intent}
    assert intents["defective"].data_points == 8 and intents["defective"].decisions == 3
    assert intents["defective"].expected_negatives is None  # context, not part of the total


def test_baseline_from_the_ledger_decisions_that_move_no_money() -> None:
    # 10 acknowledgements, 1 negative: baseline 0.1, so the same prior Beta(2, 10).
    ack = [
        rec(100 + i, Action.ACKNOWLEDGE, 2 if i == 0 else None, intent=Intent.PRODUCT_QUESTION)
        for i in range(10)
    ]
    fb = with_expected_feedback(tight(), [*history(), *ack]).expected_feedback
    assert fb is not None
    assert fb.baseline_rate == pytest.approx(0.1)
    assert fb.baseline_source == "ledger decisions that move no money"
    assert fb.prior == pytest.approx((2.0, 10.0))
    rows = {row.action: row for row in fb.by_action}
    assert rows["refund_on_return"].rate_mean == pytest.approx(1 / 6)


def test_without_a_baseline_an_action_with_no_data_has_no_estimate() -> None:
    fb = with_expected_feedback(tight(), history()).expected_feedback
    assert fb is not None and fb.baseline_rate is None
    rows = {row.action: row for row in fb.by_action}
    # uniform prior Beta(1, 1) + 1 negative of 8 -> Beta(2, 8), mean 0.2
    assert rows["refund_without_return"].rate_mean == pytest.approx(0.2)
    assert rows["refund_on_return"].rate_mean is None
    assert rows["refund_on_return"].expected_negatives is None
    assert fb.totals.estimated_decisions == 3
    assert fb.totals.expected_negatives == pytest.approx(0.6)
    assert any("no baseline" in note for note in fb.notes)


def test_feedback_report_gives_outcomes_only_to_earlier_decisions() -> None:
    before = rec(1, Action.REFUND_WITHOUT_RETURN, order="111-A", day=DAY - timedelta(days=3))
    after = rec(2, Action.REFUND_WITHOUT_RETURN, order="111-B", day=DAY + timedelta(days=3))
    rated = rec(3, Action.REFUND_WITHOUT_RETURN, 5, order="111-C")
    feedback = {
        "111-A": FeedbackOutcome(rating=1, day=DAY.date()),
        "111-B": FeedbackOutcome(rating=1, day=DAY.date()),  # left before that decision
        "111-C": FeedbackOutcome(rating=1, day=DAY.date()),  # the ledger already knows
    }
    fb = with_expected_feedback(
        tight(), [before, after, rated], feedback=feedback, baseline_rate=0.1
    ).expected_feedback
    assert fb is not None
    assert fb.feedback_rows_joined == 1 and fb.ledger_with_feedback == 2
    rows = {row.action: row for row in fb.by_action}
    assert rows["refund_without_return"].negatives_seen == 1


def test_compare_policy_cost_per_avoided_negative() -> None:
    reference = replay(load_policy(ON_RETURN), RECORDS)
    result = with_expected_feedback(tight(), history(), baseline_rate=0.1, reference=reference)
    c = result.comparison
    assert c is not None and c.reference_kind == "policy"
    assert c.reference.startswith("policy on-return (")
    # reference: 5 refunds on return at 1/6; this policy 0.45 + 2/6 -> 0.05 avoided.
    assert c.reference_negatives == pytest.approx(5 / 6)
    assert c.expected_negatives == pytest.approx(0.45 + 1 / 3)
    assert c.avoided_negatives == pytest.approx(0.05)
    # cost: 30 + 3 x 3.10 kept + 40 against 70, all after the return -> 9.30 extra.
    assert c.cost == {"USD": Decimal("79.30")}
    assert c.reference_cost == {"USD": Decimal("70")}
    assert c.extra_cost == {"USD": Decimal("9.30")}
    assert c.cost_per_avoided_negative == {"USD": Decimal("186.00")}
    # band: rates shared by both sides, 3 fewer returnless and 3 more on return.
    fb = result.expected_feedback
    assert fb is not None
    rows = {row.action: row for row in fb.by_action}
    rwr, ror = rows["refund_without_return"], rows["refund_on_return"]
    assert c.avoided_low == pytest.approx(3 * (ror.rate_low or 0) - 3 * (rwr.rate_high or 0))
    assert c.avoided_high == pytest.approx(3 * (ror.rate_high or 0) - 3 * (rwr.rate_low or 0))
    # 0.05 avoided on 5 decisions is well inside the noise, and the report says so.
    assert (c.avoided_low or 0) < 0 < (c.avoided_high or 0)
    assert c.note.startswith("the 90 % band of avoided negatives includes 0")


def test_compare_with_itself_avoids_nothing_and_never_divides_by_zero() -> None:
    same = tight()
    c = with_expected_feedback(same, history(), baseline_rate=0.1, reference=same).comparison
    assert c is not None
    assert c.avoided_negatives == pytest.approx(0.0)
    assert c.extra_cost == {"USD": Decimal("0")}
    assert c.cost_per_avoided_negative is None
    assert "no negatives avoided" in c.note


def test_as_it_happened_from_the_ledger_records_of_the_replayed_orders() -> None:
    ledger = [
        rec(1, Action.REFUND_WITHOUT_RETURN, 1, order=order_id(1), refund="10"),
        rec(2, Action.REFUND_WITHOUT_RETURN, order=order_id(2), refund="10"),
        rec(3, Action.REFUND_WITHOUT_RETURN),
        rec(4, Action.REFUND_WITHOUT_RETURN),
        rec(5, Action.REFUND_ON_RETURN, order=order_id(4), refund="20"),
    ]
    c = with_expected_feedback(tight(), ledger, baseline_rate=0.1).comparison
    assert c is not None and c.reference_kind == "as_it_happened"
    assert c.decisions == 3 and "3 of 5 replayed orders" in c.reference
    # rwr: Beta(2 + 1, 10 + 3) -> 3/16; ror: Beta(2, 10 + 1) -> 2/13; orders 1, 2 rwr, 4 ror
    expected = 2 * 3 / 16 + 2 / 13
    assert c.expected_negatives == pytest.approx(expected)
    assert c.reference_negatives == 1.0  # order 1 drew a 1-star
    assert c.avoided_negatives == pytest.approx(1 - expected)
    assert c.cost == {"USD": Decimal("46.20")} and c.reference_cost == {"USD": Decimal("40")}
    assert c.cost_per_avoided_negative == {"USD": Decimal("13.16")}  # 6.20 / 0.47115…


def test_without_a_ledger_nothing_is_made_up() -> None:
    result = tight()
    assert result.expected_feedback is None and result.comparison is None
    assert result.expected_feedback_effect == FEEDBACK_NOT_AVAILABLE
    assert "--ledger" in FEEDBACK_NOT_AVAILABLE


# --- CLI --------------------------------------------------------------------------------------


def backtest(*args: str) -> list[str]:
    return [
        "policy",
        "backtest",
        "--policy",
        str(DEFAULT_POLICY),
        "--returns",
        str(FIXTURES / "returns-mfn.tsv"),
        *args,
    ]


def ledger_file(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.jsonl"
    ack = [rec(100 + i, Action.ACKNOWLEDGE, 2 if i < 2 else None) for i in range(20)]
    write_jsonl(path, [*history(), *ack])
    return path


def test_cli_json_shape_with_ledger_and_compare_policy(tmp_path: Path) -> None:
    other = tmp_path / "on-return.yaml"
    other.write_text(ON_RETURN)
    run = CliRunner().invoke(
        app,
        backtest(
            "--ledger",
            str(ledger_file(tmp_path)),
            "--feedback",
            str(FIXTURES / "feedback.tsv"),
            "--compare-policy",
            str(other),
            "--json",
        ),
    )
    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    fb = out["expected_feedback"]
    assert fb["baseline_rate"] == pytest.approx(0.1)
    assert fb["ledger_records"] == 28
    row_keys = {
        "action",
        "decisions",
        "rate_mean",
        "rate_low",
        "rate_high",
        "expected_negatives",
        "data_points",
    }
    assert fb["by_action"] and all(row_keys <= set(row) for row in fb["by_action"])
    assert sum(row["decisions"] for row in fb["by_action"]) == out["cases"] == 7
    assert set(fb["totals"]) >= {"expected_negatives", "expected_low", "expected_high"}
    assert out["comparison"]["reference_kind"] == "policy"
    assert out["comparison"]["reference"].startswith("policy on-return")
    assert "replayed" not in out


def test_cli_text_says_what_is_missing_without_a_ledger() -> None:
    run = CliRunner().invoke(app, backtest("--feedback", str(FIXTURES / "feedback.tsv")))
    assert run.exit_code == 0, run.output
    assert f"expected feedback effect: {FEEDBACK_NOT_AVAILABLE}" in run.stdout
    as_json = json.loads(CliRunner().invoke(app, backtest("--json")).stdout)
    assert as_json["expected_feedback"] is None and as_json["comparison"] is None


def test_cli_text_with_ledger_is_labelled_an_estimate(tmp_path: Path) -> None:
    run = CliRunner().invoke(app, backtest("--ledger", str(ledger_file(tmp_path))))
    assert run.exit_code == 0, run.output
    assert "expected feedback effect (estimate:" in run.stdout
    assert "rests on 28 ledger decisions" in run.stdout
    assert "(prior only)" in run.stdout  # default-policy actions the ledger never saw


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('{"tenant": "acme"}\n', "ledger.jsonl:1"),
        ("\nnot json\n", "ledger.jsonl:2: not JSON"),
        (None, "--ledger: no such file"),
    ],
)
def test_cli_bad_ledger_is_one_line_and_exit_2(
    tmp_path: Path, content: str | None, where: str
) -> None:
    path = tmp_path / "ledger.jsonl"
    if content is not None:
        path.write_text(content)
    run = CliRunner().invoke(app, backtest("--ledger", str(path)))
    assert run.exit_code == 2
    assert run.stderr.startswith("error: ") and len(run.stderr.strip().splitlines()) == 1
    assert where in run.stderr


def test_cli_compare_policy_needs_a_ledger(tmp_path: Path) -> None:
    other = tmp_path / "on-return.yaml"
    other.write_text(ON_RETURN)
    run = CliRunner().invoke(app, backtest("--compare-policy", str(other)))
    assert run.exit_code == 2 and "--compare-policy: needs --ledger" in run.stderr
