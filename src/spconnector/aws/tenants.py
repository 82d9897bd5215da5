"""TenantRegistry: the tenants and their policy versions, in the single table.

  pk "registry#tenant"   sk "<tenant>"       the Tenant (one query lists them all)
  pk "<tenant>#policy"   sk "v#<seq:06d>"    each pushed policy text, kept forever
The registry item is the one key not prefixed by a tenant: it *is* the list of tenants.
"""

from __future__ import annotations

import builtins
import time
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from spconnector.aws import clients
from spconnector.aws.errors import AlreadyExists, ConcurrentUpdate, NotFound
from spconnector.aws.items import checked_tenant, from_item, is_conditional_failure, to_item
from spconnector.aws.items import value as av
from spconnector.aws.table import PK, SK, table_name
from spconnector.domain import Tenant

REGISTRY_PK = "registry#tenant"
MAX_POLICY_BYTES = 300_000


class PolicyVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    version: str
    pushed_at: datetime
    text: str


def validated_policy_version(policy_text: str) -> str:
    """The policy's content version; raises spconnector.policy.PolicyError if invalid."""
    from spconnector.policy import load_policy, policy_version

    if "\n" not in policy_text:
        policy_text += "\n"  # load_policy takes a one-line string for a file name
    return policy_version(load_policy(policy_text))


class TenantRegistry:
    def __init__(self, *, table: str | None = None, client: Any | None = None) -> None:
        self._table = table or table_name()
        self._client = client

    @property
    def _ddb(self) -> Any:
        if self._client is None:
            self._client = clients.client("dynamodb")
        return self._client

    # -- tenants -------------------------------------------------------------------------
    def add(self, tenant: Tenant) -> Tenant:
        try:
            self._ddb.put_item(
                TableName=self._table,
                Item=self._tenant_item(tenant, rev=1),
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": PK},
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                raise AlreadyExists(f"tenant {tenant.tenant_id} already exists") from None
            raise
        return tenant

    def get(self, tenant_id: str) -> Tenant | None:
        found = self._get(tenant_id)
        return None if found is None else found[0]

    def require(self, tenant_id: str) -> Tenant:
        tenant = self.get(tenant_id)
        if tenant is None:
            raise NotFound(f"no tenant {tenant_id}")
        return tenant

    def list(self) -> list[Tenant]:
        tenants: list[Tenant] = []
        start: dict[str, Any] | None = None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "#pk = :pk",
                "ExpressionAttributeNames": {"#pk": PK},
                "ExpressionAttributeValues": {":pk": av(REGISTRY_PK)},
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            response = self._ddb.query(**kwargs)
            tenants += [Tenant.model_validate_json(from_item(i)["data"]) for i in response["Items"]]
            start = response.get("LastEvaluatedKey")
            if not start:
                return tenants

    def update(self, tenant_id: str, /, **changes: Any) -> Tenant:
        """Change fields (validated by the Tenant model); optimistic, retried on a race."""
        if "tenant_id" in changes and changes["tenant_id"] != tenant_id:
            raise ValueError("a tenant id cannot be changed")
        for _ in range(8):
            found = self._get(tenant_id)
            if found is None:
                raise NotFound(f"no tenant {tenant_id}")
            current, rev = found
            updated = Tenant.model_validate({**current.model_dump(), **changes})
            if updated == current:
                return current
            try:
                self._ddb.put_item(
                    TableName=self._table,
                    Item=self._tenant_item(updated, rev=rev + 1),
                    ConditionExpression="rev = :rev",
                    ExpressionAttributeValues={":rev": av(rev)},
                )
            except Exception as exc:
                if is_conditional_failure(exc):
                    time.sleep(0.01)
                    continue
                raise
            return updated
        raise ConcurrentUpdate(f"tenant {tenant_id} still contended")

    def pause(self, tenant_id: str) -> Tenant:
        return self.update(tenant_id, paused=True)

    def resume(self, tenant_id: str) -> Tenant:
        return self.update(tenant_id, paused=False)

    # -- policy versions -----------------------------------------------------------------
    def push_policy(
        self, tenant_id: str, policy_text: str, *, now: datetime | None = None
    ) -> PolicyVersion:
        """Validate and keep a new policy version, and make it the tenant's current one.
        Pushing the version that is already current changes nothing."""
        self.require(tenant_id)
        if len(policy_text.encode()) > MAX_POLICY_BYTES:
            raise ValueError(f"policy larger than {MAX_POLICY_BYTES} bytes")
        version = validated_policy_version(policy_text)
        pushed_at = now or datetime.now(UTC)
        for _ in range(20):
            latest = self.current_policy(tenant_id)
            if latest is not None and latest.version == version:
                self.update(tenant_id, policy_version=version)
                return latest
            record = PolicyVersion(
                seq=(latest.seq + 1) if latest else 1,
                version=version,
                pushed_at=pushed_at,
                text=policy_text,
            )
            try:
                self._ddb.put_item(
                    TableName=self._table,
                    Item=to_item(
                        {
                            PK: self._policy_pk(tenant_id),
                            SK: f"v#{record.seq:06d}",
                            "tenant": tenant_id,
                            "seq": record.seq,
                            "version": record.version,
                            "pushed_at": record.pushed_at.isoformat(),
                            "text": record.text,
                        }
                    ),
                    ConditionExpression="attribute_not_exists(#sk)",
                    ExpressionAttributeNames={"#sk": SK},
                )
            except Exception as exc:
                if is_conditional_failure(exc):
                    continue  # someone pushed at the same moment: take the next number
                raise
            self.update(tenant_id, policy_version=version)
            return record
        raise ConcurrentUpdate(f"policy push for {tenant_id} still contended")

    def policy_history(self, tenant_id: str) -> builtins.list[PolicyVersion]:
        """Every pushed version, oldest first."""
        return self._policies(tenant_id, newest_first=False, limit=None)

    def current_policy(self, tenant_id: str) -> PolicyVersion | None:
        found = self._policies(tenant_id, newest_first=True, limit=1)
        return found[0] if found else None

    # -- internals -----------------------------------------------------------------------
    @staticmethod
    def _policy_pk(tenant_id: str) -> str:
        return f"{checked_tenant(tenant_id)}#policy"

    def _tenant_item(self, tenant: Tenant, *, rev: int) -> dict[str, Any]:
        return to_item(
            {
                PK: REGISTRY_PK,
                SK: checked_tenant(tenant.tenant_id),
                "entity": "tenant",
                "rev": rev,
                "paused": tenant.paused,
                "mode": tenant.mode.value,
                "data": tenant.model_dump_json(),
            }
        )

    def _get(self, tenant_id: str) -> tuple[Tenant, int] | None:
        response = self._ddb.get_item(
            TableName=self._table,
            Key=to_item({PK: REGISTRY_PK, SK: checked_tenant(tenant_id)}),
            ConsistentRead=True,
        )
        item = response.get("Item")
        if item is None:
            return None
        data = from_item(item)
        return Tenant.model_validate_json(data["data"]), int(data["rev"])

    def _policies(
        self, tenant_id: str, *, newest_first: bool, limit: int | None
    ) -> builtins.list[PolicyVersion]:
        found: builtins.list[PolicyVersion] = []
        start: dict[str, Any] | None = None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :v)",
                "ExpressionAttributeNames": {"#pk": PK, "#sk": SK},
                "ExpressionAttributeValues": {
                    ":pk": av(self._policy_pk(tenant_id)),
                    ":v": av("v#"),
                },
                "ConsistentRead": True,
                "ScanIndexForward": not newest_first,
            }
            if limit is not None:
                kwargs["Limit"] = limit
            if start:
                kwargs["ExclusiveStartKey"] = start
            response = self._ddb.query(**kwargs)
            for raw in response["Items"]:
                item = from_item(raw)
                found.append(
                    PolicyVersion(
                        seq=int(item["seq"]),
                        version=item["version"],
                        pushed_at=datetime.fromisoformat(item["pushed_at"]),
                        text=item["text"],
                    )
                )
            start = response.get("LastEvaluatedKey")
            if not start or (limit is not None and len(found) >= limit):
                return found
