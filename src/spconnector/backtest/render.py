"""The backtest as text for a person: the replay's figures, then the estimate, labelled."""

from __future__ import annotations

from decimal import Decimal

from spconnector.backtest.model import MASS, BacktestResult, Comparison


def render_text(result: BacktestResult) -> str:
    def money(totals: dict[str, Decimal]) -> str:
        if not totals:
            return "0"
        return ", ".join(f"{amount:.2f} {cur}" for cur, amount in totals.items())

    lines = [
        f"policy {result.policy} ({result.policy_version}): {result.cases} cases replayed"
        f", {len(result.skipped)} skipped",
        "decisions by action:",
        *(f"  {action:<24}{count:>6}" for action, count in result.decisions.items()),
        f"refunds without return: {money(result.refunds_without_return)}"
        f" (goods kept by buyers: {result.goods_kept_units} units"
        f", cost {money(result.goods_kept_cost)})",
        f"refunds on return:      {money(result.refunds_on_return)}",
        f"held for approval:      {result.needs_approval} refunds",
    ]
    for guard, stop in result.stopped_by_guard.items():
        lines.append(f"  {guard:<24}{stop.cases:>6}  {money(stop.amount)}")
    if result.messages_without_return:
        counts = ", ".join(f"{k} {v}" for k, v in result.messages_without_return.items())
        lines.append(f"messages with no return row (not replayed): {counts}")
    if result.negative_feedback_on_replayed_orders is not None:
        counts = ", ".join(
            f"{k} {v}" for k, v in result.negative_feedback_on_replayed_orders.items()
        )
        lines.append(f"1-3 star feedback on replayed orders, by decision: {counts or 'none'}")
    lines.extend(_feedback_lines(result))
    lines.append("assumed:")
    lines.extend(f"  - {a}" for a in result.assumptions)
    for reason in result.skipped[:10]:
        lines.append(f"skipped {reason}")
    if len(result.skipped) > 10:
        lines.append(f"… and {len(result.skipped) - 10} more skipped")
    return "\n".join(lines)


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}%"


def _band(low: float | None, high: float | None, pct: bool = False) -> str:
    if low is None or high is None:
        return ""
    return f"({_pct(low)} to {_pct(high)})" if pct else f"({low:.2f} to {high:.2f})"


def _feedback_lines(result: BacktestResult) -> list[str]:
    expected = result.expected_feedback
    if expected is None:
        return [f"expected feedback effect: {result.expected_feedback_effect}"]
    baseline = (
        f"baseline {_pct(expected.baseline_rate)} ({expected.baseline_source})"
        if expected.baseline_rate is not None
        else "no baseline"
    )
    a, b = expected.prior
    joined = (
        f" ({expected.feedback_rows_joined} from --feedback)"
        if result.negative_feedback_on_replayed_orders is not None
        else ""
    )
    lines = [
        f"expected feedback effect ({expected.label}):",
        f"  rests on {expected.ledger_records} ledger decisions, {expected.ledger_with_feedback}"
        f" with feedback{joined}; {baseline}; prior Beta({a:g}, {b:g})",
        f"  {'action':<24}{'decisions':>9}  {'negative rate (' + MASS + ' band)':<26}"
        f"{'expected negatives':<22}{'ledger n':>8}",
    ]
    for row in expected.by_action:
        rate = f"{_pct(row.rate_mean)} {_band(row.rate_low, row.rate_high, pct=True)}"
        count = (
            "-"
            if row.expected_negatives is None
            else f"{row.expected_negatives:.2f} {_band(row.expected_low, row.expected_high)}"
        )
        prior = "  (prior only)" if row.data_points == 0 and row.rate_mean is not None else ""
        lines.append(
            f"  {row.action:<24}{row.decisions:>9}  {rate:<26}{count:<22}{row.data_points:>8}"
            f"{prior}"
        )
    t = expected.totals
    lines.append(
        f"  {'total':<24}{t.decisions:>9}  {_pct(t.expected_rate):<26}"
        f"{t.expected_negatives:.2f} {_band(t.expected_low, t.expected_high)}"
    )
    with_data = [row for row in expected.by_intent if row.data_points]
    if with_data:
        lines.append(
            "  by intent (the ledger's rate, whatever was done): "
            + ", ".join(
                f"{row.intent} {row.decisions} decisions at {_pct(row.rate_mean)} "
                f"{_band(row.rate_low, row.rate_high, pct=True)} n={row.data_points}"
                for row in with_data
            )
        )
    lines.extend(f"  - {note}" for note in expected.notes)
    if result.comparison is not None:
        lines.extend(_comparison_lines(result.comparison))
    return lines


def _comparison_lines(c: Comparison) -> list[str]:
    def money(totals: dict[str, Decimal]) -> str:
        return ", ".join(f"{amount:.2f} {cur}" for cur, amount in totals.items()) or "0"

    kind = "observed" if c.reference_kind == "as_it_happened" else "expected"
    lines = [f"compared with {c.reference}, on {c.decisions} decisions:"]
    if c.expected_negatives is not None and c.reference_negatives is not None:
        lines.append(
            f"  negatives: this policy {c.expected_negatives:.2f} expected, reference "
            f"{c.reference_negatives:.2f} {kind} -> avoided {c.avoided_negatives:+.2f} "
            f"{_band(c.avoided_low, c.avoided_high)}"
        )
    lines.append(
        f"  cost (refunds + goods kept): this policy {money(c.cost)}, reference "
        f"{money(c.reference_cost)}, extra {money(c.extra_cost)}"
    )
    if c.cost_per_avoided_negative:
        lines.append(f"  cost per avoided negative feedback: {money(c.cost_per_avoided_negative)}")
    if c.note:
        lines.append(f"  {c.note}")
    return lines
