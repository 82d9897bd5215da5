"""A Case as the single table's item, and back: its key attributes, the by-status index
(gsi1: "<tenant>#cases#<status>" / "<respond_by>#<case_id>", so cases come by deadline) and
the tenant check on the way back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from spconnector.aws.errors import TenantMismatch
from spconnector.aws.items import to_item
from spconnector.aws.table import PK, SK
from spconnector.domain import Case

CASE_SK = "case"


def deadline_key(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def case_item(pk: str, case: Case) -> dict[str, Any]:
    """The case's item under `pk` (the store builds keys), its version for the lock."""
    return to_item(
        {
            PK: pk,
            SK: CASE_SK,
            "entity": "case",
            "tenant": case.tenant,
            "version": case.version,
            "status": case.status.value,
            "gsi1pk": f"{case.tenant}#cases#{case.status.value}",
            "gsi1sk": f"{deadline_key(case.respond_by)}#{case.case_id}",
            "data": case.model_dump_json(),
        }
    )


def case_from(tenant: str, item: dict[str, Any]) -> Case:
    case = Case.model_validate_json(item["data"])
    if case.tenant != tenant:  # defence in depth: keys already separate tenants
        raise TenantMismatch("stored case belongs to another tenant")
    return case.model_copy(update={"version": int(item["version"])})
