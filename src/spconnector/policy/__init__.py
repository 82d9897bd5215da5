"""The policy engine: a seller's own refund-without-return policy, in YAML, explained.

    policy = load_policy("policies/default.yaml")
    decision = decide(policy, CaseInput.model_validate(case), tenant_state=state)

Pure: nothing here reads the clock, the network or AWS.
"""

from spconnector.policy.case import CaseInput, CaseMessage, CaseReturn, case_intent, resolve_intent
from spconnector.policy.engine import TenantState, decide
from spconnector.policy.errors import CaseError, PolicyError
from spconnector.policy.loader import (
    DEFAULT_POLICY,
    default_policy,
    load_policy,
    policy_json_schema,
    policy_version,
)
from spconnector.policy.schema import CatalogEntry, Policy, Rule

__all__ = [
    "DEFAULT_POLICY",
    "CaseError",
    "CaseInput",
    "CaseMessage",
    "CaseReturn",
    "CatalogEntry",
    "Policy",
    "PolicyError",
    "Rule",
    "TenantState",
    "case_intent",
    "decide",
    "default_policy",
    "load_policy",
    "policy_json_schema",
    "policy_version",
    "resolve_intent",
]
