"""What a job really does to the table, and whether a function's IAM role allows it.

`recording()` sees every DynamoDB call made in the process (low-level clients and boto3
resources alike: it wraps botocore's one entry point for API calls) and reports each as
(IAM action, partition key) — a TransactWriteItems as the actions it is authorised as.
`permits()` reads the function's role from template.yaml (through SAM's translator, see
tests/unit/deploy/test_stack_permissions.py) and says whether one Allow statement grants that
action on the table with a dynamodb:LeadingKeys pattern matching the key.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from boto3.dynamodb.conditions import ConditionBase, ConditionExpressionBuilder
from botocore.client import BaseClient

from tests.unit.deploy.test_stack_permissions import TABLE_ARN, statements

_PARTITION = re.compile(r"(#?\w+)\s*=\s*(:\w+)")
# TransactWriteItems is not an IAM action: each item is authorised as its own.
_TRANSACT = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}
_TRANSACT |= {"ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


def _text(value: Any) -> str:
    return str(value["S"]) if isinstance(value, dict) else str(value)


def accesses(operation: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """(IAM action, partition key) for each key one API call touches."""
    found: list[tuple[str, str]] = []
    for holder in ("Key", "Item"):
        if holder in params and "pk" in params[holder]:
            found.append((operation, _text(params[holder]["pk"])))
    condition = params.get("KeyConditionExpression")
    if isinstance(condition, ConditionBase):
        built = ConditionExpressionBuilder().build_expression(condition, is_key_condition=True)
        condition = built.condition_expression
        names, values = built.attribute_name_placeholders, built.attribute_value_placeholders
        del names
    else:
        values = params.get("ExpressionAttributeValues", {})
    if isinstance(condition, str):
        match = _PARTITION.search(condition)
        assert match is not None, condition
        found.append((operation, _text(values[match.group(2)])))
    for item in params.get("TransactItems", []):
        for kind, body in item.items():
            found.extend(accesses(_TRANSACT[kind], body))
    for request in params.get("RequestItems", {}).values():
        if isinstance(request, list):  # BatchWriteItem
            for entry in request:
                for body in entry.values():
                    found.extend((operation, k) for _, k in accesses(operation, body))
        else:  # BatchGetItem
            for key in request.get("Keys", []):
                found.append((operation, _text(key["pk"])))
    return found


@contextmanager
def botocore_calls(on_call: Callable[[str, str, dict[str, Any]], None]) -> Iterator[None]:
    """Call `on_call(service, operation, params)` for every AWS API call made meanwhile, at
    botocore's entry point (what IAM would judge), before the call itself."""
    original = BaseClient._make_api_call

    def make_api_call(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        on_call(self.meta.service_model.service_name, operation, params)
        return original(self, operation, params)

    BaseClient._make_api_call = make_api_call  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


@contextmanager
def recording(on_access: Callable[[str, str], None]) -> Iterator[None]:
    """Call `on_access(action, partition_key)` for every DynamoDB call made meanwhile."""

    def on_call(service: str, operation: str, params: dict[str, Any]) -> None:
        if service == "dynamodb":
            for action, key in accesses(operation, params):
                on_access(action, key)

    with botocore_calls(on_call):
        yield


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def grants(function: str) -> list[tuple[set[str], list[str]]]:
    """Each Allow statement of the function's role on the table: (actions, LeadingKeys
    patterns), ["*"] when no condition bounds the keys."""
    found = []
    for statement in statements(function):
        if statement.get("Effect") != "Allow":
            continue
        if not any(fnmatch.fnmatchcase(TABLE_ARN, str(r)) for r in _as_list(statement["Resource"])):
            continue
        actions = {a for a in _as_list(statement["Action"]) if a.lower().startswith("dynamodb:")}
        if not actions:
            continue
        leading = (
            statement.get("Condition", {})
            .get("ForAllValues:StringLike", {})
            .get("dynamodb:LeadingKeys")
        )
        found.append((actions, _as_list(leading) if leading else ["*"]))
    return found


def permits(function: str, action: str, partition_key: str) -> bool:
    for actions, patterns in grants(function):
        if not any(fnmatch.fnmatchcase(f"dynamodb:{action}", a) for a in actions):
            continue
        if any(fnmatch.fnmatchcase(partition_key, p) for p in patterns):
            return True
    return False
