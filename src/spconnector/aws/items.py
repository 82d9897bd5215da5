"""Plain dict <-> DynamoDB attribute-value conversion for the low-level client."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from spconnector.domain.tenant import TENANT_ID_PATTERN

_TENANT_RE = re.compile(TENANT_ID_PATTERN)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def value(v: Any) -> dict[str, Any]:
    """One attribute value (for ExpressionAttributeValues)."""
    serialized: dict[str, Any] = dict(_serializer.serialize(v))
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
