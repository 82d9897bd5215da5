"""What each Lambda really does to the table in the demo's weeks of work, against what its role
in template.yaml allows: every call must be granted by an Allow statement whose
dynamodb:LeadingKeys patterns match the key — and the keys a function has no business with
must not be, so a compromised or buggy function cannot reach them."""

from __future__ import annotations

import fnmatch

import pytest

from tests.table_access import grants, permits

from .conftest import ENTRY_POINTS

# Keys no function but the named ones may write (as the demo's tenant would have them).
MONEY_KEYS = {
    "demo-us#refundbatch#ATVPDKIKX0DER": {"TenantWorkerFunction"},
    "demo-us#refundfeed#1": {"TenantWorkerFunction"},
    "demo-us#refundlease#ATVPDKIKX0DER": {"TenantWorkerFunction"},
    "demo-us#refund#113-0000000-0000000": {"ActFunction", "TenantWorkerFunction"},
    "demo-us#spend#USD": {"ActFunction", "TenantWorkerFunction"},
    "demo-us#outbox#demo-us#order#113-0000000-0000000": {"ActFunction", "TenantWorkerFunction"},
    "idempotency#act": {"ActFunction"},
    "demo-us#idempotency#act": {"ActFunction"},
}
FUNCTIONS = sorted(set(ENTRY_POINTS.values()) | {"NotificationsFunction", "SchedulerFunction"})


@pytest.mark.parametrize("function", sorted(set(ENTRY_POINTS.values())))
def test_each_function_touches_only_keys_its_role_allows(demo_table_access, function: str) -> None:
    access = demo_table_access
    touched = access.by_function.get(function, set())
    assert touched, f"nothing recorded for {function}: the test would prove nothing"
    refused = sorted((action, key) for action, key in touched if not permits(function, action, key))
    assert not refused, f"{function} made calls its role refuses: {refused[:10]}"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_may_write_money_keys_it_has_no_business_with(function: str) -> None:
    for key, writers in MONEY_KEYS.items():
        can_write = permits(function, "PutItem", key) or permits(function, "UpdateItem", key)
        assert can_write == (function in writers), (function, key)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_table_grant_is_bounded_by_leading_keys(function: str) -> None:
    for actions, patterns in grants(function):
        assert "*" not in patterns, (function, actions)
        assert not any(fnmatch.fnmatchcase("anything", p) for p in patterns), patterns
