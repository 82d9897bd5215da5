from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from spconnector.impact import metrics

TEMPLATE = Path(__file__).resolve().parents[3] / "infra" / "monitoring.yaml"
MAIN_TEMPLATE = TEMPLATE.parents[1] / "template.yaml"


class _Loader(yaml.SafeLoader):
    pass


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {suffix: value}


_Loader.add_multi_constructor("!", _tag)


def template() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(TEMPLATE.read_text(), Loader=_Loader)
    return loaded


EMITTED = {
    metrics.REPLIES_SENT,
    metrics.REFUNDS_ISSUED,
    metrics.REFUND_AMOUNT,
    metrics.FIRST_RESPONSE_SECONDS,
    metrics.NEGATIVE_FEEDBACK,
    metrics.POSITIVE_FEEDBACK_PCT,
    metrics.SLA_BREACHES,
    metrics.REFUND_BUDGET_USED_PCT,
    metrics.REFUNDS_NOT_CONFIRMED,
    metrics.KB_UNAVAILABLE,
    metrics.FINANCES_CHECK_SKIPPED,
}


def test_dashboard_body_is_json_and_graphs_the_six_metrics() -> None:
    doc = template()
    body, values = doc["Resources"]["ImpactDashboard"]["Properties"]["DashboardBody"]["Sub"]
    assert "TenantList" in values
    substituted = re.sub(r"\$\{[^}]+\}", "x", body)
    dashboard = json.loads(substituted)
    names = set(re.findall(r'MetricName=\\"(\w+)\\"', body))
    assert names == EMITTED
    assert len(dashboard["widgets"]) == 9


def test_alarms_cover_feedback_sla_budget_and_each_dlq() -> None:
    doc = template()
    assert set(doc["Parameters"]) >= {
        "MetricsNamespace",
        "AlarmTopicArn",
        "CaseEventsDlqName",
        "ActionsDlqName",
        "NotificationsDlqName",
        "TenantIds",
        "RefundBudgetThreshold",
    }
    assert doc["Parameters"]["TenantIds"]["Type"] == "CommaDelimitedList"
    _, _, per_tenant = doc["Resources"]["Fn::ForEach::TenantAlarms"]
    by_metric = {a["Properties"]["MetricName"]: a["Properties"] for a in per_tenant.values()}
    assert set(by_metric) == {
        "NegativeFeedback",
        "SlaBreaches",
        "RefundBudgetUsedPct",
        "RefundsNotConfirmed",
        "KnowledgeBaseUnavailable",
    }
    assert by_metric["RefundBudgetUsedPct"]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert doc["Parameters"]["RefundBudgetThreshold"]["Default"] == 80
    dlqs = [
        r["Properties"]["Dimensions"][0]["Value"]["Ref"]
        for r in doc["Resources"].values()
        if isinstance(r, dict) and r.get("Properties", {}).get("Namespace") == "AWS/SQS"
    ]
    assert sorted(dlqs) == [
        "ActionsDlqName",
        "CaseEventsDlqName",
        "IngestFailuresQueueName",
        "MailboxPollDlqName",
        "NotificationsDlqName",
        "SchedulesDlqName",
        "TenantWorkDlqName",
    ]


def test_every_queue_parameter_is_an_output_of_the_main_stack() -> None:
    # docs/deploy.md fills these parameters from template.yaml's outputs of the same name
    main = yaml.load(MAIN_TEMPLATE.read_text(), Loader=_Loader)
    queues = {name for name in template()["Parameters"] if name.endswith(("DlqName", "QueueName"))}
    assert queues <= set(main["Outputs"])
    dead_letter = {
        f"{name}Name"
        for name, r in main["Resources"].items()
        if r["Type"] == "AWS::SQS::Queue"
        and any(
            q.get("Properties", {}).get("RedrivePolicy", {}).get("deadLetterTargetArn")
            == {"GetAtt": f"{name}.Arn"}
            for q in main["Resources"].values()
        )
    }
    # the two failure queues that are not a redrive target: IngestEmail's OnFailure destination
    # and the schedules' DeadLetterConfig
    assert dead_letter | {"IngestFailuresQueueName", "SchedulesDlqName"} == queues
    docs = (MAIN_TEMPLATE.parent / "docs" / "deploy.md").read_text()
    for name in queues:
        assert f"{name}=<{name}>" in docs, name


def _emitted_dimension_sets(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """What TenantMetrics prints in a Lambda, whose environment template.yaml's Globals set."""
    main = yaml.load(MAIN_TEMPLATE.read_text(), Loader=_Loader)
    for name, value in main["Globals"]["Function"]["Environment"]["Variables"].items():
        if name.startswith("POWERTOOLS_") and isinstance(value, str):
            monkeypatch.setenv(name, value)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), metrics.TenantMetrics("acme") as tenant_metrics:
        tenant_metrics.reply_sent()
        tenant_metrics.refund_issued(Decimal("1"), "USD")
        tenant_metrics.first_response(1)
        tenant_metrics.negative_feedback()
        tenant_metrics.positive_feedback_pct(99)
        tenant_metrics.sla_breach()
        tenant_metrics.refund_budget_used_pct(10)
        tenant_metrics.refund_not_confirmed("unknown")
        tenant_metrics.kb_unavailable()
        tenant_metrics.finances_check_skipped()
    sets: dict[str, set[str]] = {}
    for line in out.getvalue().splitlines():
        for directive in json.loads(line)["_aws"]["CloudWatchMetrics"]:
            assert directive["Namespace"] == template()["Parameters"]["MetricsNamespace"]["Default"]
            for metric in directive["Metrics"]:
                (dimensions,) = directive["Dimensions"]  # one set: alarms match exactly one
                sets[metric["Name"]] = set(dimensions)
    assert set(sets) == EMITTED
    return sets


def test_alarms_and_searches_ask_for_exactly_the_emitted_dimensions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # CloudWatch matches a metric by its whole dimension set: an extra `service` dimension on
    # the EMF side (Powertools adds it from POWERTOOLS_SERVICE_NAME) would leave every alarm
    # without data.
    emitted = _emitted_dimension_sets(monkeypatch)
    assert all(dimensions == set(metrics.DIMENSIONS) for dimensions in emitted.values())
    doc = template()
    _, _, per_tenant = doc["Resources"]["Fn::ForEach::TenantAlarms"]
    for alarm in per_tenant.values():
        props = alarm["Properties"]
        asked = {d["Name"] for d in props["Dimensions"]}
        assert asked == emitted[props["MetricName"]], props["MetricName"]
        assert props["Namespace"] == {"Ref": "MetricsNamespace"}
    body, _ = doc["Resources"]["ImpactDashboard"]["Properties"]["DashboardBody"]["Sub"]
    searches = re.findall(r"SEARCH\('\{(.*?)\} MetricName=\\\"(\w+)\\\"", body)
    assert {name for _, name in searches} == EMITTED
    for schema, name in searches:
        namespace, *dimensions = [part.strip() for part in schema.split(",")]
        assert namespace == "${MetricsNamespace}"
        assert set(dimensions) == emitted[name], name


def test_cfn_lint_passes() -> None:
    lint = Path(sys.executable).with_name("cfn-lint")
    command = str(lint) if lint.exists() else shutil.which("cfn-lint")
    assert command, "cfn-lint is a dev dependency"
    done = subprocess.run([command, str(TEMPLATE)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
