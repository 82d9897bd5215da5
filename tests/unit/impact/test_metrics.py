from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from spconnector.impact.metrics import TenantMetrics


def emf_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_each_event_is_an_emf_metric_with_the_tenant_dimension(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with TenantMetrics("acme") as metrics:
        metrics.reply_sent()
        metrics.reply_sent()
        metrics.refund_issued(Decimal("12.50"), "USD")
        metrics.first_response(5400)
        metrics.negative_feedback()
        metrics.positive_feedback_pct(97.5)
        metrics.sla_breach()
        metrics.refund_budget_used_pct(81.0)
    (blob,) = emf_lines(capsys.readouterr().out)
    (directive,) = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "spconnector"
    assert directive["Dimensions"] == [["tenant"]]
    units = {m["Name"]: m["Unit"] for m in directive["Metrics"]}
    assert units == {
        "RepliesSent": "Count",
        "RefundsIssued": "Count",
        "RefundAmount": "None",
        "FirstResponseSeconds": "Seconds",
        "NegativeFeedback": "Count",
        "PositiveFeedbackPct": "Percent",
        "SlaBreaches": "Count",
        "RefundBudgetUsedPct": "Percent",
    }
    assert blob["tenant"] == "acme"
    assert blob["RepliesSent"] == [1.0, 1.0]
    assert blob["RefundAmount"] == [12.5]
    assert blob["currency"] == "USD"
    assert blob["FirstResponseSeconds"] == [5400.0]


def test_lambdas_service_name_adds_no_dimension(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # template.yaml sets POWERTOOLS_SERVICE_NAME for every function; Powertools would add a
    # `service` dimension from it, and the alarms (dimension set {tenant}) would never match.
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "spconnector")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "something-else")
    metrics = TenantMetrics("acme")
    metrics.sla_breach()
    metrics.flush()
    metrics.reply_sent()  # the second flush keeps the tenant and still adds nothing
    metrics.flush()
    lines = emf_lines(capsys.readouterr().out)
    assert [sorted(set(b) - {"_aws", "tenant"}) for b in lines] == [
        ["SlaBreaches"],
        ["RepliesSent"],
    ]
    for blob in lines:
        (directive,) = blob["_aws"]["CloudWatchMetrics"]
        assert directive["Dimensions"] == [["tenant"]]
        assert directive["Namespace"] == "spconnector"
        assert "service" not in blob and blob["tenant"] == "acme"


def test_two_tenants_never_share_a_metric_set(capsys: pytest.CaptureFixture[str]) -> None:
    a, b = TenantMetrics("acme"), TenantMetrics("bolt")
    a.reply_sent()
    b.negative_feedback(3)
    a.flush()
    b.flush()
    first, second = emf_lines(capsys.readouterr().out)
    assert first["tenant"] == "acme" and "NegativeFeedback" not in first
    assert second["tenant"] == "bolt" and second["NegativeFeedback"] == [3.0]
    assert "RepliesSent" not in second


def test_nothing_recorded_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    TenantMetrics("acme").flush()
    with TenantMetrics("acme") as metrics:
        metrics.reply_sent()
    metrics.flush()  # already flushed
    assert len(emf_lines(capsys.readouterr().out)) == 1
