from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from spconnector.impact import metrics

TEMPLATE = Path(__file__).resolve().parents[3] / "infra" / "monitoring.yaml"


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
    assert set(by_metric) == {"NegativeFeedback", "SlaBreaches", "RefundBudgetUsedPct"}
    assert by_metric["RefundBudgetUsedPct"]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert doc["Parameters"]["RefundBudgetThreshold"]["Default"] == 80
    dlqs = [
        r["Properties"]["Dimensions"][0]["Value"]["Ref"]
        for r in doc["Resources"].values()
        if isinstance(r, dict) and r.get("Properties", {}).get("Namespace") == "AWS/SQS"
    ]
    assert sorted(dlqs) == ["ActionsDlqName", "CaseEventsDlqName", "NotificationsDlqName"]


def test_cfn_lint_passes() -> None:
    lint = Path(sys.executable).with_name("cfn-lint")
    command = str(lint) if lint.exists() else shutil.which("cfn-lint")
    assert command, "cfn-lint is a dev dependency"
    done = subprocess.run([command, str(TEMPLATE)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
