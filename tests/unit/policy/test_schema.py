"""The policy language: validation with locations, the JSON Schema, the content hash."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from spconnector.policy import PolicyError, load_policy, policy_json_schema, policy_version
from tests.unit.policy.cases import DEFAULT_POLICY, FIXTURES

MINIMAL = """
name: tiny
rules:
  - id: r1
    description: anything
    then: {action: escalate_review}
"""


def rule(body: str) -> str:
    return "name: t\nrules:\n  - id: a\n    description: d\n" + body


@pytest.mark.parametrize(
    ("text", "location", "reason"),
    [
        (
            rule("    when: {item_value: {max: abc}}\n    then: {action: educate}\n"),
            "rules[0].when.item_value.max (line 5)",
            "not a number",
        ),
        (
            rule("    when: {intnet: [defective]}\n    then: {action: educate}\n"),
            "rules[0].when.intnet",
            "Extra inputs are not permitted",
        ),
        (
            rule("    when: {intent: [grumpy]}\n    then: {action: educate}\n"),
            "rules[0].when.intent[0]",
            "Input should be",
        ),
        (
            rule("    then: {action: educate, refund: {amount: full}}\n"),
            "rules[0].then",
            "refund is only for refund actions",
        ),
        (
            rule("    then: {action: educate, reply_template: decline.final_sale}\n"),
            "rules[0].then",
            "must be 'educate'",
        ),
        (
            rule("    then: {action: refund_on_return, refund: {amount: partial}}\n"),
            "rules[0].then.refund",
            "needs percent",
        ),
        (
            rule("    when: {order_age_days: {min: 10, max: 5}}\n    then: {action: educate}\n"),
            "rules[0].when.order_age_days",
            "above max",
        ),
        (
            rule(
                "    then: {action: educate}\n  - id: a\n    description: e\n"
                "    then: {action: educate}\n"
            ),
            "rules[1].id",
            "already used",
        ),
        ("name: t\nrules: []\n", "rules", "at least 1"),
        ("name: t\nrules:\n  - id: a\n   description: bad indent\n", "line", "not valid YAML"),
        ("- just\n- a list\n", "(top)", "YAML mapping"),
        (
            "name: t\nguards: {autonomy_limit: '50 usd'}\nrules:\n  - id: a\n    description: d\n"
            "    then: {action: educate}\n",
            "guards.autonomy_limit",
            "3-letter",
        ),
    ],
)
def test_errors_name_their_location(text: str, location: str, reason: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(text)
    assert caught.value.location is not None
    assert caught.value.location.startswith(location), caught.value.location
    assert reason in caught.value.reason


def test_missing_file_is_a_policy_error(tmp_path) -> None:
    with pytest.raises(PolicyError, match="no such file"):
        load_policy(tmp_path / "nope.yaml")


def test_every_shipped_policy_is_valid_against_the_json_schema() -> None:
    schema = policy_json_schema()
    paths = [DEFAULT_POLICY, *sorted((DEFAULT_POLICY.parent / "examples").glob("*.yaml"))]
    paths += sorted((FIXTURES / "policies").glob("*.yaml"))
    assert len(paths) >= 4
    for path in paths:
        load_policy(path)
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)


def test_schema_rejects_what_the_loader_rejects() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            yaml.safe_load(rule("    when: {intnet: [x]}\n    then: {action: educate}\n")),
            policy_json_schema(),
        )


def test_version_ignores_comments_and_layout_but_not_content() -> None:
    base = policy_version(load_policy(MINIMAL))
    reformatted = (
        "# a comment\nrules:\n- {id: r1, description: anything, then: "
        "{action: escalate_review}}\nname: tiny\n"
    )
    assert policy_version(load_policy(reformatted)) == base
    changed = MINIMAL.replace("anything", "something")
    assert policy_version(load_policy(changed)) != base
    assert base.startswith("sha256:") and len(base) == len("sha256:") + 12


def test_the_packaged_default_is_the_repository_default() -> None:
    from spconnector.policy import DEFAULT_POLICY as PACKAGED
    from spconnector.policy import default_policy

    assert PACKAGED.read_text() == DEFAULT_POLICY.read_text()
    assert policy_version(default_policy()) == policy_version(load_policy(DEFAULT_POLICY))
