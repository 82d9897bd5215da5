"""The demo's explanations: EMF lines routed off the terminal, reasons grouped without order
ids, every refund decision counted once under what happened to it."""

from __future__ import annotations

import io

from spconnector.local.demo_summary import MetricsSink, reason_label, refund_decisions


def test_emf_lines_go_to_the_metrics_file_even_when_written_in_pieces() -> None:
    metrics, other = io.StringIO(), io.StringIO()
    sink = MetricsSink(metrics, other)
    sink.write('{"_aws": {"Timestamp": 1}, "RepliesSent": [1]}\nprogress ')
    sink.write('line\n{"_aws"')
    sink.write(": {}}\n")
    sink.flush()
    assert metrics.getvalue().splitlines() == [
        '{"_aws": {"Timestamp": 1}, "RepliesSent": [1]}',
        '{"_aws": {}}',
    ]
    assert other.getvalue() == "progress line\n"
    assert sink.count == 2


def test_reasons_group_without_order_ids_or_amounts() -> None:
    a = reason_label("order 113-1234567-1234567 already has a refund of 12.50 USD (approved)")
    b = reason_label("order 114-7654321-7654321 already has a refund of 9.99 USD (approved)")
    assert a == b == "the order already has a refund of … (approved)"


def test_each_refund_decision_lands_in_exactly_one_group() -> None:
    acted = [
        {"action": "refund_without_return", "refund": {"state": "approved"}},
        {"action": "refund_without_return", "refund": {"state": "confirmed"}},
        {"action": "refund_without_return", "refund": {"state": "proposed"}},
        {"action": "refund_on_return", "refund": {"state": "awaiting_return"}},
        {"action": "refund_without_return", "refund": {"state": "needs_person", "reason": "FBA"}},
        {"action": "refund_without_return", "refund": {"state": "refused", "reason": "FBA"}},
        {"action": "refund_without_return", "status": "awaiting_approval", "reason": "cap"},
        {"action": "refund_without_return", "status": "skipped"},
        {"action": "acknowledge", "reply": {"status": "sent"}},  # not a refund decision
    ]
    r = refund_decisions(acted, confirmed=1)
    assert r["total"] == 8
    assert (r["sent_for_payment"], r["paid"], r["waiting_for_return"]) == (2, 1, 1)
    assert r["held_for_approval"] == {"the tenant approves refunds (approve mode)": 1, "cap": 1}
    assert r["to_a_person"] == {"FBA": 2}
    assert r["other"] == {"skipped": 1}
