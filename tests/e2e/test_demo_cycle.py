"""The whole cycle on the embedded default: the same jobs the Lambdas run, real client over
HTTP to the simulator, moto for AWS. One `spconnector demo --json` run serves every test here
(the `demo_run` fixture in conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spconnector.refunds.model import RefundState
from tests.e2e.conftest import ENTRY_POINTS, DemoRun, TableAccess
from tests.table_access import permits


def test_summary_has_the_contract_keys(cycle) -> None:
    summary = cycle[0]
    for key in (
        "messages_ingested",
        "returns_ingested",
        "cases",
        "decisions",
        "replies_sent",
        "refunds",
        "escalations",
        "quarantined",
        "report",
    ):
        assert key in summary
    json.dumps(summary)  # the --json output is one JSON object
    assert summary["messages_ingested"] == 40
    impact = summary["impact"]
    assert impact["records"] > 0 and impact["negative_rate_by_action"]
    assert impact["sla"]["answered"] > 0
    assert summary["cases"] > 0 and summary["replies_sent"] > 0


def test_confirmed_refunds_were_applied_once_by_amazon(cycle) -> None:
    summary, states, adjustments, _, _ = cycle
    confirmed = states[RefundState.CONFIRMED]
    assert confirmed, "no refund reached the simulator"
    assert summary["refunds"]["count"] == len(confirmed)
    for refund in confirmed:
        applied = [
            a
            for a in adjustments.get(refund.amazon_order_id, [])
            if str(getattr(a, "merchant_adjustment_item_id", "")).startswith(refund.adjustment_id)
        ]
        assert len(applied) == len(refund.items), refund.amazon_order_id


def test_fba_refunds_become_tasks_for_a_person(cycle) -> None:
    states = cycle[1]
    for refund in states[RefundState.NEEDS_PERSON]:
        assert refund.person_task, "a person task must carry instructions"
    assert not states[RefundState.PROPOSED] and not states[RefundState.APPROVED]


def test_report_is_written(cycle) -> None:
    summary = cycle[0]
    page = Path(summary["report"]).read_text(encoding="utf-8")
    assert "<canvas" in page and "spconnector" in page


def test_ledger_export_feeds_the_report(demo: DemoRun, tmp_path: Path) -> None:
    """`impact export` writes the tenant's ledger; `impact report --ledger` reads it back."""
    from typer.testing import CliRunner

    from spconnector.cli import app

    # the demo's world was exported before it closed (tests/e2e/conftest.py)
    exit_code, output = demo.export
    assert exit_code == 0, output
    assert demo.export_unknown_tenant[0] == 2
    ledger, snaps = demo.out / "ledger.jsonl", demo.out / "snapshots.jsonl"
    lines = ledger.read_text().splitlines()
    assert lines and all(json.loads(line)["tenant"] == "demo-us" for line in lines)
    page = tmp_path / "from-export.html"
    rendered = CliRunner().invoke(
        app,
        [
            "impact",
            "report",
            "--out",
            str(page),
            "--ledger",
            str(ledger),
            "--snapshots",
            str(snaps),
        ],
    )
    assert rendered.exit_code == 0, rendered.output
    assert "<canvas" in page.read_text()


def test_every_refund_decision_is_accounted_for(cycle) -> None:
    summary, states = cycle[0], cycle[1]
    r = summary["refund_decisions"]
    parts = (
        r["sent_for_payment"]
        + r["waiting_for_return"]
        + sum(r["held_for_approval"].values())
        + sum(r["to_a_person"].values())
        + sum(r["other"].values())
    )
    assert r["total"] == parts > 0
    assert r["paid"] == summary["refunds"]["count"] <= r["sent_for_payment"]
    # each FBA refund left to a person is among those handed over, with its reason
    assert sum(r["to_a_person"].values()) >= len(states[RefundState.NEEDS_PERSON])
    assert all(why for why in r["to_a_person"])


def test_escalations_are_listed_with_their_reasons(cycle) -> None:
    summary = cycle[0]
    e = summary["escalations_sent"]
    assert e["cases"] >= summary["escalations"] > 0
    assert sum(e["by_reason"].values()) == e["sent"]
    for reason in e["by_reason"]:
        assert reason and "@" not in reason  # no relay alias or other address


def test_first_responses_are_measured_in_the_demos_own_time(cycle) -> None:
    summary = cycle[0]
    f = summary["first_response"]
    assert f["answered_cases"] + sum(f["not_answered_by_us"].values()) == summary["cases"]
    assert f["answered_cases"] > 0 and f["median_minutes"] >= 0
    # The replay handles each mail minutes after it arrived and each return when the hourly
    # PollReturns would have: a reply a day late would be a real delay, not the demo's clock.
    assert f["within_24h"] == f["answered_cases"]


def test_demo_keeps_metrics_off_the_terminal(demo: DemoRun) -> None:
    summary, out, err = demo.summary, demo.stdout, demo.stderr
    assert json.loads(out)["messages_ingested"] == summary["messages_ingested"]
    assert '"_aws"' not in out and '"_aws"' not in err
    lines = (demo.out / "metrics.jsonl").read_text().splitlines()
    assert len(lines) == summary["metrics"]["lines"] > 0
    assert all("CloudWatchMetrics" in json.loads(line)["_aws"] for line in lines)


def test_demo_sends_review_requests_once_per_order(cycle) -> None:
    summary = cycle[0]
    asked = summary["solicitations"]
    assert asked["sent"] > 0 and asked["errors"] == 0
    assert asked["sent_days_later"] > 0, "the run days later reaches more orders' day"
    # Amazon accepted exactly the requests we sent, none twice
    assert asked["accepted_by_amazon"] == asked["sent"] + asked["sent_in_later_weeks"]
    # weeks later every order is past Amazon's window: none asked after it, none missed
    assert asked["window_closed"] > 0 and asked["sent_past_the_window"] == 0
    assert asked["closed_unasked"] == 0


def test_demo_shows_removal_candidates_and_an_a_to_z_evidence_pack(cycle) -> None:
    summary = cycle[0]
    removal = summary["removal_candidates"]
    assert removal["count"] > 0
    assert all(item["reason"] for item in removal["items"])
    claims = summary["a_to_z_claims"]
    assert claims["opened"] > 0
    pack = claims["evidence_pack"]
    assert pack["claim"]["respond_by"] and pack["order"]["amazon_order_id"]
    assert pack["thread"], "the message thread with timestamps"
    text = pack["text"]
    assert "A-to-z claim, order" in text and "Messages (UTC)" in text
    # no buyer PII beyond need: no relay alias, no buyer name field
    assert "@marketplace.amazon" not in json.dumps(pack)
    assert "buyer_name" not in json.dumps(pack)


@pytest.mark.parametrize("function", sorted(set(ENTRY_POINTS.values())))
def test_each_function_touches_only_keys_its_role_allows(
    demo_table_access: TableAccess, function: str
) -> None:
    # permits(): the Allow statements of its role in template.yaml (tests/table_access.py)
    access = demo_table_access
    touched = access.by_function.get(function, set())
    assert touched, f"nothing recorded for {function}: the test would prove nothing"
    refused = sorted((action, key) for action, key in touched if not permits(function, action, key))
    assert not refused, f"{function} made calls its role refuses: {refused[:10]}"
