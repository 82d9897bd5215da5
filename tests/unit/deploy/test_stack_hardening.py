"""template.yaml's data-protection and failure settings, as SAM's translator emits them: log
retention on every function, a dead-letter queue on every schedule, optional reserved
concurrency on the queue/S3 functions, the buyer-history key kept across replacements, and
point-in-time recovery as a documented choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.deploy.test_stack_permissions import RESOURCES, SAM, allowed, resolve

FUNCTIONS = [n for n, r in SAM["Resources"].items() if r["Type"] == "AWS::Serverless::Function"]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_logs_to_a_group_with_explicit_retention(function: str) -> None:
    config = RESOURCES[function]["Properties"]["LoggingConfig"]
    group = RESOURCES[config["LogGroup"]["Ref"]]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    parameter = SAM["Parameters"]["LogRetentionDays"]
    assert parameter["Default"] <= 30 and max(parameter["AllowedValues"]) <= 30


def test_every_schedule_has_a_dead_letter_queue() -> None:
    schedules = [r for r in RESOURCES.values() if r["Type"] == "AWS::Scheduler::Schedule"]
    assert len(schedules) == 8  # one per job of jobs.fanout.JOB_NAMES
    for schedule in schedules:
        target = schedule["Properties"]["Target"]
        assert resolve(target["DeadLetterConfig"]["Arn"]).endswith(":SchedulesDlq")
    queue = SAM["Resources"]["SchedulesDlq"]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True and queue["MessageRetentionPeriod"] == 1209600


@pytest.mark.parametrize(
    "name", ["IngestEmail", "ProcessCase", "Act", "Notifications", "PollMailbox"]
)
def test_queue_and_s3_functions_reserve_concurrency_only_when_asked(name: str) -> None:
    parameter = SAM["Parameters"][f"{name}Concurrency"]
    assert parameter["Default"] == 0 and parameter["MinValue"] == 0
    reserved = RESOURCES[f"{name}Function"]["Properties"]["ReservedConcurrentExecutions"]
    condition, when_set, otherwise = reserved["Fn::If"]
    assert when_set == {"Ref": f"{name}Concurrency"} and otherwise == {"Ref": "AWS::NoValue"}
    assert SAM["Conditions"][condition] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": f"{name}Concurrency"}, "0"]}]
    }


def test_the_buyer_history_key_survives_deletion_and_replacement() -> None:
    secret = RESOURCES["BuyerHistoryKey"]
    assert secret["DeletionPolicy"] == "Retain" and secret["UpdateReplacePolicy"] == "Retain"


def test_point_in_time_recovery_is_a_parameter_and_its_retention_is_documented() -> None:
    spec = RESOURCES["Table"]["Properties"]["PointInTimeRecoverySpecification"]
    assert spec["PointInTimeRecoveryEnabled"] == {"Ref": "PointInTimeRecovery"}
    assert SAM["Parameters"]["PointInTimeRecovery"]["Default"] == "true"
    docs = (Path(__file__).parents[3] / "docs" / "deploy.md").read_text()
    assert "## Data retention" in docs and "35 days" in docs


def test_metrics_go_through_emf_logs_so_no_function_may_put_metric_data() -> None:
    # spconnector.impact.metrics and understanding.converse print EMF lines to stdout, which
    # CloudWatch Logs turns into metrics; no code calls the CloudWatch API
    source = Path(__file__).resolve().parents[3] / "src"
    callers = [
        str(p.relative_to(source))
        for p in source.rglob("*.py")
        if "put_metric_data" in p.read_text(encoding="utf-8")
        or '"cloudwatch"' in p.read_text(encoding="utf-8")
    ]
    assert callers == []
    for function in FUNCTIONS:
        assert not allowed(function, "cloudwatch:PutMetricData", "*"), function
