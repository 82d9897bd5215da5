"""Bedrock, per function: the functions whose code can call the model (the tenant's Bedrock
option: SPCONNECTOR_BEDROCK_MODEL_ID and SPCONNECTOR_BEDROCK_TENANTS, set on every function by
template.yaml's Globals) may invoke the chosen model and no other; the rest may invoke none.

IngestEmail and PollMailbox classify buyer mail (jobs/ingest.py); Act phrases KB answers
(jobs/knowledge.py), and so does the Console, whose draft is the reply Act would send
(jobs/act.draft_reply)."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.stub import Stubber

from spconnector.kb import KbIndex, answer_question, load_kb
from spconnector.kb.phrasing import TOOL_NAME, phraser_for_tenant
from spconnector.understanding.bedrock import classifier_for_tenant
from tests.unit.deploy.test_stack_permissions import ACCOUNT, REGION, SAM, allowed

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
ENV = {
    "SPCONNECTOR_BEDROCK_MODEL_ID": MODEL,
    "SPCONNECTOR_BEDROCK_TENANTS": "acme",
    "AWS_REGION": REGION,
}
DEMO = Path(__file__).resolve().parents[3] / "src" / "spconnector" / "kb" / "demo.yaml"
CALLERS = {"IngestEmailFunction", "PollMailboxFunction", "ActFunction", "ConsoleFunction"}
FUNCTIONS = sorted(
    name for name, r in SAM["Resources"].items() if r["Type"] == "AWS::Serverless::Function"
)
# Bedrock Runtime's Converse is authorised as bedrock:InvokeModel (Bedrock's IAM reference:
# Converse has no action of its own).
IAM_ACTION = {"Converse": "bedrock:InvokeModel"}


def _model_arn(model_id: str) -> str:
    return f"arn:aws:bedrock:{REGION}::foundation-model/{model_id}"


# the template's ARN names the BedrockModelId parameter (resolved to its own name here)
CHOSEN = _model_arn("BedrockModelId")


def _phrasing_call() -> tuple[str, str]:
    """(operation, modelId) of the call a KB answer's phrasing makes, against the Stubber."""
    phraser = phraser_for_tenant("acme", ENV)
    assert phraser is not None
    index = KbIndex(load_kb(DEMO.read_text(encoding="utf-8")))
    answer = answer_question(index, "Does the skillet work on induction?", "en", sku="KG-SKILLET")
    assert answer.answered and answer.entry is not None
    calls: list[tuple[str, str]] = []
    phraser.client.meta.events.register(
        "provide-client-params.bedrock-runtime.*",
        lambda params, model, **_: calls.append((model.name, params["modelId"])),
    )
    sentence = {"text": "Yes.", "entry": answer.entry.key}
    with Stubber(phraser.client) as stub:
        stub.add_response(
            "converse",
            {
                "output": {"message": {"role": "assistant", "content": [
                    {"toolUse": {"toolUseId": "t1", "name": TOOL_NAME,
                                 "input": {"sentences": [sentence]}}}]}},
                "stopReason": "tool_use",
                "usage": {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2},
                "metrics": {"latencyMs": 1},
            },
        )  # fmt: skip
        phraser.phrase(answer, "Does the skillet work on induction?", "en")
    (call,) = calls
    return call


def test_the_tenant_bedrock_option_turns_phrasing_on_and_it_calls_the_chosen_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a client of its own, not one cached for later tests
    monkeypatch.setattr("spconnector.understanding.bedrock._READERS", {})
    assert classifier_for_tenant("other", ENV) is None  # not in BedrockTenants: no call at all
    operation, model_id = _phrasing_call()
    assert (operation, model_id) == ("Converse", MODEL)
    # every function gets the option from the Globals, so any of them may turn it on
    variables = SAM["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["SPCONNECTOR_BEDROCK_MODEL_ID"] == {"Ref": "BedrockModelId"}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_only_the_functions_that_call_bedrock_may_and_only_the_chosen_model(function: str) -> None:
    action = IAM_ACTION["Converse"]
    assert allowed(function, action, CHOSEN) == (function in CALLERS)
    for other in (_model_arn("amazon.titan-text-express-v1"), "*"):
        assert not allowed(function, action, other), other
    for broader in ("bedrock:InvokeModelWithResponseStream", "bedrock:*"):
        assert not allowed(function, broader, CHOSEN), broader


@pytest.mark.parametrize("function", sorted(CALLERS))
def test_an_inference_profile_is_allowed_with_only_the_model_it_routes_to(function: str) -> None:
    action = IAM_ACTION["Converse"]
    profile = f"arn:aws:bedrock:{REGION}:{ACCOUNT}:inference-profile/BedrockModelId"
    assert allowed(function, action, profile)
    # the profile sends the request on to its model in another Region of its geography
    routed = "arn:aws:bedrock:us-west-2::foundation-model/BedrockProfileModelId"
    assert allowed(function, action, routed)
    for other in (
        f"arn:aws:bedrock:{REGION}:{ACCOUNT}:inference-profile/us.amazon.nova-pro-v1:0",
        "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-opus-20240229-v1:0",
        f"arn:aws:bedrock:{REGION}:{ACCOUNT}:application-inference-profile/x",
    ):
        assert not allowed(function, action, other), other


def test_each_grant_names_the_parameters_so_empty_ones_allow_no_model() -> None:
    for name in CALLERS:
        found = [
            s["Resource"]
            for policy in SAM["Resources"][name]["Properties"]["Policies"]
            for s in policy.get("Statement", [])
            if s.get("Action") == "bedrock:InvokeModel"
        ]
        # BedrockModelId and BedrockProfileModelId empty: ".../foundation-model/" and
        # ".../inference-profile/" name nothing
        assert found == [[{"Fn::Sub": sub} for sub in CHOSEN_SUBS]], name


CHOSEN_SUBS = (
    "arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/${BedrockModelId}",
    "arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/"
    "${BedrockModelId}",
    "arn:${AWS::Partition}:bedrock:*::foundation-model/${BedrockProfileModelId}",
)
