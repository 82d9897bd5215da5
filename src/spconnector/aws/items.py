"""Plain dict <-> DynamoDB attribute-value conversion for the low-level client.

boto3's converters are imported on first conversion, not with this module: importing
`boto3.dynamodb.types` imports all of boto3 (~0.4 s), and the handlers that import this
module for `checked_tenant` alone must not pay that in their cold start.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from spconnector.domain.tenant import TENANT_ID_PATTERN

if TYPE_CHECKING:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_TENANT_RE = re.compile(TENANT_ID_PATTERN)


@cache
def _serializer() -> TypeSerializer:
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


@cache
def _deserializer() -> TypeDeserializer:
    from boto3.dynamodb.types import TypeDeserializer

    return TypeDeserializer()


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    serializer = _serializer()
    return {k: serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    deserializer = _deserializer()
    return {k: deserializer.deserialize(v) for k, v in item.items()}


def value(v: Any) -> dict[str, Any]:
    """One attribute value (for ExpressionAttributeValues)."""
    serialized: dict[str, Any] = dict(_serializer().serialize(v))
    return serialized


def is_conditional_failure(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return False
    return bool(response.get("Error", {}).get("Code") == "ConditionalCheckFailedException")


def checked_tenant(tenant: str) -> str:
    """Every key starts with the tenant id: refuse anything that is not a valid one."""
    if not isinstance(tenant, str) or not _TENANT_RE.fullmatch(tenant):
        raise ValueError("tenant id must be 2-63 lowercase letters, digits or dashes")
    return tenant
