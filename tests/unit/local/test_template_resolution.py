"""template.yaml → a function's handler, code directory and resolved environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from spconnector.local.template import Binding, Intrinsic, Resolver, Template, TemplateError

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "template.yaml"

BINDING = Binding(
    refs={
        "Stage": "local",
        "SpApiEndpointOverride": "http://127.0.0.1:8900",
        "Table": "spconnector",
        "DataBucket": "spconnector-data-embedded",
        "EscalationsTopic": "arn:aws:sns:us-east-1:123456789012:escalations",
        "CaseEventsQueue": "http://q/123456789012/case-events",
        "ActionsQueue": "http://q/123456789012/actions",
        "NotificationsQueue": "http://q/123456789012/notifications",
        "TenantWorkQueue": "http://q/123456789012/tenant-work.fifo",
        "MailboxPollQueue": "http://q/123456789012/mailbox-poll.fifo",
        "BuyerHistoryKey": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bk",
    },
    attributes={("CaseEventsQueue", "Arn"): "arn:aws:sqs:us-east-1:123456789012:case-events"},
)


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.load(TEMPLATE)


def test_every_function_has_a_handler_in_its_code_dir(template: Template) -> None:
    functions = template.functions()
    assert {f.logical_id for f in functions} >= {"IngestEmailFunction", "SchedulerFunction"}
    for fn in functions:
        assert fn.code_dir == REPO / "lambdas"
        source = (fn.code_dir / f"{fn.module}.py").read_text()
        # a def, or a handler built by lambdas/_sqs_batch.py (handler = sqs_handler(job))
        defined = f"def {fn.attribute}(" in source or f"\n{fn.attribute} = " in source
        assert defined, fn.logical_id


def test_globals_and_function_settings_merge(template: Template) -> None:
    worker = template.function("TenantWorkerFunction")
    ingest = template.function("IngestEmailFunction")
    assert worker.timeout == 900  # the function's own
    assert ingest.timeout == 60  # from Globals
    assert ingest.memory_mb == 512
    assert "SPCONNECTOR_TABLE" in worker.environment  # Globals' environment


@pytest.mark.parametrize(
    "name", ["IngestEmailFunction", "IngestEmail", "ingestemail", "ingest_email", "ingest-email"]
)
def test_function_found_by_logical_id_or_short_name(template: Template, name: str) -> None:
    assert template.function(name).logical_id == "IngestEmailFunction"


def test_unknown_function_names_the_known_ones(template: Template) -> None:
    with pytest.raises(TemplateError, match=r"no function 'Nope'.*ActFunction \(act\)"):
        template.function("Nope")


def test_environment_resolves_to_the_bound_resources(template: Template) -> None:
    env = Resolver(template, BINDING).environment(template.function("ProcessCaseFunction"))
    assert env["SPCONNECTOR_TABLE"] == "spconnector"
    assert env["SPCONNECTOR_CASE_EVENTS_QUEUE"] == "http://q/123456789012/case-events"
    assert env["SPCONNECTOR_TENANT_WORK_QUEUE"] == "http://q/123456789012/tenant-work.fifo"
    assert env["SPCONNECTOR_ESCALATION_TOPIC"].endswith(":escalations")
    assert env["SPCONNECTOR_SP_API_ENDPOINT"] == "http://127.0.0.1:8900"
    assert env["POWERTOOLS_LOG_LEVEL"] == "INFO"  # !Ref LogLevel → the parameter's default
    assert env["POWERTOOLS_LOGGER_LOG_EVENT"] == "false"


def test_the_bucket_name_computed_by_sub_means_the_bound_bucket(template: Template) -> None:
    # The template writes the bucket's !Sub name, not !Ref DataBucket (a reference cycle):
    # the same expression as DataBucket's BucketName resolves to the local bucket.
    env = Resolver(template, BINDING).environment(template.function("IngestEmailFunction"))
    assert env["SPCONNECTOR_BUCKET"] == "spconnector-data-embedded"


def test_sub_with_pseudo_parameters_and_attributes() -> None:
    tpl = Template(path=TEMPLATE, body={"Resources": {}})
    resolver = Resolver(tpl, BINDING)
    assert (
        resolver.resolve(Intrinsic("Sub", "arn:${AWS::Partition}:s3:::b-${AWS::Region}-${Stage}"))
        == "arn:aws:s3:::b-us-east-1-local"
    )
    assert resolver.resolve(Intrinsic("Sub", "${CaseEventsQueue.Arn}")).endswith(":case-events")
    assert resolver.resolve(Intrinsic("GetAtt", ["CaseEventsQueue", "Arn"])).startswith("arn:")
    assert resolver.resolve(Intrinsic("Sub", ["x-${Name}", {"Name": "y"}])) == "x-y"


def test_unresolvable_reference_is_a_clear_error(template: Template) -> None:
    resolver = Resolver(template, Binding(refs={}))
    with pytest.raises(TemplateError, match=r"IngestEmailFunction environment SPCONNECTOR_TABLE"):
        resolver.environment(template.function("IngestEmailFunction"))
    with pytest.raises(TemplateError, match=r"!GetAtt Nope.Arn has no local value"):
        resolver.resolve(Intrinsic("GetAtt", "Nope.Arn"))


def test_loader_keeps_short_tags(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: m.h\n      CodeUri: code/\n"
        "      Environment:\n        Variables:\n"
        "          A: !Ref X\n          B: !GetAtt Q.Arn\n          C: !Sub 'p-${X}'\n"
        "          D: !If [Cond, !Ref X, '']\n"
    )
    fn = Template.load(path).function("F")
    assert fn.environment["A"] == Intrinsic("Ref", "X")
    assert fn.environment["B"] == Intrinsic("GetAtt", ["Q", "Arn"])
    assert fn.environment["C"] == Intrinsic("Sub", "p-${X}")
    assert fn.environment["D"].name == "If"
    assert fn.code_dir == (tmp_path / "code").resolve()
    with pytest.raises(TemplateError, match="cannot resolve"):
        binding = Binding(refs={"X": "x"}, attributes={("Q", "Arn"): "arn:q"})
        Resolver(Template.load(path), binding).environment(fn)  # D: !If is not resolved


@pytest.mark.parametrize(
    ("text", "reason"),
    [("Resources: [", "not valid YAML"), ("Parameters: {}\n", "no Resources section")],
)
def test_unreadable_templates(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(TemplateError, match=reason):
        Template.load(path)
    with pytest.raises(TemplateError, match="cannot read"):
        Template.load(tmp_path / "missing.yaml")
