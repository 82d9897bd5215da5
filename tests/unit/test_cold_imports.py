"""What a Lambda handler's import (its cold start) does not pull in.

Each handler is imported in a fresh interpreter, as Lambda's init does, and the test reads
that interpreter's sys.modules: the heavy libraries below are imported on first use, never in
the init. Timing lives in bench/cold_start.py; this checks the import graph that the timing
depends on, so a new top-level import of boto3 or numpy fails here, not silently in the bench.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LAMBDAS = Path(__file__).resolve().parents[2] / "lambdas"
HANDLERS = sorted(p.stem for p in LAMBDAS.glob("*.py") if not p.stem.startswith("_"))

# Imported at first use only, by every handler (each line: what it costs or why it waits).
NEVER_AT_IMPORT = (
    "boto3",  # ~0.4 s; the services build their clients on first use
    "s3transfer",
    "sp_api",  # the SP-API client, first order read
    "spconnector.sp.client",
    "numpy",  # KB retrieval and the understanding model
    "rank_bm25",
    "fasttext",  # the language detector (intake/language.py), loaded on first use
    "snowballstemmer",
    "spconnector.kb.retrieval",
    "sklearn",
    "scipy",
    "spconnector.understanding.model",  # the trained artifact, first buyer message
    "jinja2",  # reply and console templates, first render
    "jwt",  # Cognito sign-in, first console request that verifies a token
    "cryptography",
    "yaml",  # ~105 M instructions; ProcessCase's first policy parse (policy/loader.py)
    # Powertools' batch module builds these when pydantic was imported before it (_sqs_batch.py)
    "aws_lambda_powertools.utilities.parser.models.kafka",
    "aws_lambda_powertools.utilities.parser.models.kinesis",
    "aws_lambda_powertools.utilities.parser.models.dynamodb",
)

# Not fed by SQS: their init needs neither Powertools' batch utility (it imports asyncio for
# its async processor) nor the SQS record models (lambdas/_sqs_batch.py); every SQS handler
# loads each of these.
NOT_FED_BY_SQS = ("console", "ingest_email", "scheduler")
SQS_BATCH_ONLY = (
    "_sqs_batch",
    "aws_lambda_powertools.utilities.batch",
    "aws_lambda_powertools.utilities.parser.models.sqs",
)

# ProcessCase decides and never refunds (Act does): the refund machinery and its models wait
# for a handler that moves money (jobs/spent.py reads the budgets' counters without them).
REFUNDS = ("spconnector.refunds", "spconnector.refunds.model", "spconnector.jobs.spend")

# Built on first use (defer_build, spconnector/domain/__init__.py): ProcessCase's init leaves
# these unbuilt, while the shared leaves that the others nest are built there, once.
BUILT_ON_FIRST_USE = (
    "spconnector.domain.case.Case",
    "spconnector.domain.models.BuyerMessage",
    "spconnector.domain.notices.RefundFacts",
    "spconnector.domain.decision.Decision",
    "spconnector.domain.tenant.Tenant",
    "spconnector.policy.schema.Policy",
    "spconnector.policy.case.CaseInput",
    "spconnector.messages.ActionMessage",
    "spconnector.messages.SpApiNotification",
)
BUILT_AT_IMPORT = (
    "spconnector.domain.money.Money",
    "spconnector.domain.tenant.Budgets",
    "spconnector.domain.models.Order",
    "spconnector.domain.models.OrderItem",
)

PROBE = """
import json, sys
sys.path.insert(0, {lambdas!r})
import {handler}
rules = sys.modules.get("spconnector.understanding.phrase_rules")
def built(name):
    module, _, cls = name.rpartition(".")
    found = getattr(sys.modules.get(module), cls, None)
    return None if found is None else found.__pydantic_complete__
print(json.dumps({{
    "modules": sorted(sys.modules),
    "rules_compiled": bool(rules and rules.rules.cache_info().currsize),
    "built": {{name: built(name) for name in {models!r}}},
}}))
"""


def _fresh_import(handler: str) -> dict[str, object]:
    env = os.environ | {"POWERTOOLS_SERVICE_NAME": "spconnector", "AWS_DEFAULT_REGION": "us-east-1"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(
                lambdas=str(LAMBDAS), handler=handler, models=BUILT_ON_FIRST_USE + BUILT_AT_IMPORT
            ),
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_every_handler_is_checked() -> None:
    assert {"act", "ingest_email", "process_case", "tenant_worker", "console"} <= set(HANDLERS)


@pytest.mark.parametrize("handler", HANDLERS)
def test_handler_import_leaves_heavy_modules_for_first_use(handler: str) -> None:
    got = _fresh_import(handler)
    modules = set(got["modules"])  # type: ignore[call-overload]
    assert handler in modules  # the probe really imported the handler
    pulled_in = [m for m in NEVER_AT_IMPORT if m in modules]
    assert pulled_in == [], f"{handler} imports at init: {pulled_in}"
    assert got["rules_compiled"] is False, f"{handler} compiles the phrase rules at init"


@pytest.mark.parametrize("handler", NOT_FED_BY_SQS)
def test_handlers_not_fed_by_sqs_leave_the_batch_utility_out(handler: str) -> None:
    modules = set(_fresh_import(handler)["modules"])  # type: ignore[call-overload]
    assert handler in modules
    pulled_in = [m for m in SQS_BATCH_ONLY if m in modules]
    assert pulled_in == [], f"{handler} imports at init: {pulled_in}"


def test_sqs_handlers_still_load_the_batch_utility() -> None:
    """The other side of the boundary: the SQS handlers do load it (their records need it)."""
    modules = set(_fresh_import("process_case")["modules"])  # type: ignore[call-overload]
    assert {"_sqs_batch", "aws_lambda_powertools.utilities.batch"} <= modules


def test_process_case_import_leaves_the_refund_machinery_to_act() -> None:
    modules = set(_fresh_import("process_case")["modules"])  # type: ignore[call-overload]
    assert "spconnector.jobs.spent" in modules  # it reads the budgets' counters
    assert [m for m in REFUNDS if m in modules] == []
    act = set(_fresh_import("act")["modules"])  # type: ignore[call-overload]
    assert set(REFUNDS) <= act  # Act, which refunds, still has them at init


def test_process_case_import_leaves_its_models_and_pyyaml_to_the_first_case() -> None:
    got = _fresh_import("process_case")
    modules = set(got["modules"])  # type: ignore[call-overload]
    assert "spconnector.policy.loader" in modules  # the policy is there, its parser is not
    assert "yaml" not in modules
    built: dict[str, bool | None] = got["built"]  # type: ignore[assignment]
    assert {name: built[name] for name in BUILT_ON_FIRST_USE} == dict.fromkeys(
        BUILT_ON_FIRST_USE, False
    )
    assert {name: built[name] for name in BUILT_AT_IMPORT} == dict.fromkeys(BUILT_AT_IMPORT, True)


FIRST_USE = """
import json
from datetime import UTC, datetime
from spconnector.domain.models import BuyerMessage
from spconnector.policy import default_policy
message = BuyerMessage.model_validate({
    "amazon_order_id": "111-2222222-3333333", "buyer_address": None, "buyer_name": None,
    "marketplace": "amazon.com", "subject": "Refund", "kind": "refund_notice",
    "intent": "other", "language": "en", "body": "", "message_id": "<m@x>",
    "received_at": datetime(2026, 1, 2, tzinfo=UTC).isoformat(),
    "facts": {"type": "refund_notice", "amount": {"amount": "12.99", "currency": "USD"}},
    "thread": {"references": ["<r@x>"]},
})
print(json.dumps({
    "facts": type(message.facts).__name__, "amount": str(message.facts.amount),
    "root": message.thread.root, "rules": len(default_policy().rules),
}))
"""


def test_models_built_on_first_use_resolve_what_their_modules_import_later() -> None:
    """BuyerMessage names its notice facts before domain/models.py imports them (at its end):
    built first in a fresh interpreter, it still reads them; the policy parses its YAML."""
    out = subprocess.run(
        [sys.executable, "-c", FIRST_USE], check=True, capture_output=True, text=True, timeout=120
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["facts"] == "RefundFacts"
    assert got["amount"] == "12.99 USD"
    assert got["root"] == "<r@x>"
    assert got["rules"] > 0


BUILD_ALL = """
import inspect, json, sys
from pydantic import BaseModel
import spconnector.domain, spconnector.domain.audit, spconnector.messages, spconnector.policy
modules = [m for n, m in sorted(sys.modules.items())
           if n.startswith(("spconnector.domain", "spconnector.policy", "spconnector.messages"))]
deferred = sorted({c for m in modules for c in vars(m).values()
                   if inspect.isclass(c) and issubclass(c, BaseModel) and c is not BaseModel
                   and c.__module__ == m.__name__ and not c.__pydantic_complete__},
                  key=lambda c: c.__qualname__)
for model in deferred:
    model.model_rebuild()  # raises if its annotations cannot be resolved
print(json.dumps({"deferred": [c.__name__ for c in deferred],
                  "unbuilt": [c.__name__ for c in deferred if not c.__pydantic_complete__]}))
"""


def test_every_model_left_for_first_use_builds() -> None:
    """A model built on first use that could not be built would fail at some first event in
    production; here each one is built in a fresh interpreter, as that event would."""
    out = subprocess.run(
        [sys.executable, "-c", BUILD_ALL], check=True, capture_output=True, text=True, timeout=120
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"Case", "BuyerMessage", "Policy", "CaseInput", "AuditEntry"} <= set(got["deferred"])
    assert got["unbuilt"] == []


SQS_BAD_RECORD = """
import json, sys
from types import SimpleNamespace
sys.path.insert(0, {lambdas!r})
import process_case
context = SimpleNamespace(
    function_name="ProcessCase", memory_limit_in_mb=512, aws_request_id="r-1",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:ProcessCase",
)
record = {{
    "messageId": "m-1", "receiptHandle": "h", "body": "not json", "md5OfBody": "0",
    "attributes": {{"ApproximateReceiveCount": "1"}}, "messageAttributes": {{}},
    "eventSource": "aws:sqs", "awsRegion": "us-east-1",
    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:case-events",
}}
print(json.dumps(process_case.handler({{"Records": [record]}}, context)))
"""


def test_sqs_batch_setup_still_reports_a_bad_record_after_a_lazy_init() -> None:
    """Powertools' batch module imported before pydantic (the handlers' order) still parses
    each record with its model and reports the one that fails, so SQS retries it alone."""
    env = os.environ | {
        "POWERTOOLS_SERVICE_NAME": "spconnector",
        "POWERTOOLS_METRICS_NAMESPACE": "spconnector-test",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    out = subprocess.run(
        [sys.executable, "-c", SQS_BAD_RECORD.format(lambdas=str(LAMBDAS))],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "batchItemFailures": [{"itemIdentifier": "m-1"}]
    }
    assert "record failed" in out.stdout + out.stderr  # the reason is logged, not the body
    assert "not json" not in out.stdout + out.stderr


def test_kb_names_load_their_module_on_first_access() -> None:
    import spconnector.kb as kb
    from spconnector.kb.retrieval import KbIndex

    assert kb.KbIndex is KbIndex
    with pytest.raises(AttributeError):
        _ = kb.NoSuchName  # type: ignore[attr-defined]


def test_phrase_rules_compile_at_the_first_message() -> None:
    from spconnector.domain import Intent
    from spconnector.intake.classifier import RuleClassifier
    from spconnector.understanding import phrase_rules

    phrase_rules.rules.cache_clear()
    classifier = RuleClassifier(model=None)
    assert phrase_rules.rules.cache_info().currsize == 0
    result = classifier.classify("", "You are idiots, I will sue you, scammers!")
    assert phrase_rules.rules.cache_info().currsize == 1
    assert result.intent is Intent.ABUSIVE
