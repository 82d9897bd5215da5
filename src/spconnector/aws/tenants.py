"""TenantRegistry: the tenants and their policy versions, in the single table.

  pk "registry#tenant"   sk "<tenant>"       the Tenant (one query lists them all)
  pk "<tenant>#policy"   sk "v#<seq:06d>"    each pushed policy text, kept forever
                                             (spconnector.aws.versioned_docs)
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
from spconnector.aws.versioned_docs import StoredVersion, VersionedDocs
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
        self._policies = VersionedDocs(
            lambda: self._ddb, self._table, kind="policy", body_attribute="text", what="policy"
        )

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
        stored = self._policies.push(tenant_id, version, policy_text, now or datetime.now(UTC))
        self.update(tenant_id, policy_version=version)
        return _policy_version(stored)

    def policy_history(self, tenant_id: str) -> builtins.list[PolicyVersion]:
        """Every pushed version, oldest first."""
        return [_policy_version(v) for v in self._policies.history(tenant_id)]

    def current_policy(self, tenant_id: str) -> PolicyVersion | None:
        found = self._policies.current(tenant_id)
        return None if found is None else _policy_version(found)

    # -- internals -----------------------------------------------------------------------
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


def _policy_version(stored: StoredVersion) -> PolicyVersion:
    return PolicyVersion(
        seq=stored.seq, version=stored.version, pushed_at=stored.pushed_at, text=stored.body
    )
