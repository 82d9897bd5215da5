"""CaseStore: cases, their messages, returns and decisions in the single table.

Layout (every key starts with the tenant, and keys are built here, never by callers):
  pk "<tenant>#case#<case_id>"  sk "case"             the Case (optimistic lock on `version`)
                                sk "msg#<message-id>"  one BuyerMessage (PII: TTL)
                                sk "ret#<dedup_key>"   one ReturnRequest (TTL); replaced
                                                       once, by a later listing saying
                                                       Amazon paid (settle_return)
                                sk "decision#<n>"      the n-th Decision, kept
                                sk "phr#<key>"         a KB answer's Bedrock phrasing (TTL)
  gsi1pk "<tenant>#cases#<status>"  gsi1sk "<respond_by>#<case_id>"  cases by status, by deadline
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from spconnector.aws import clients
from spconnector.aws.case_items import CASE_SK, case_from, case_item, deadline_key
from spconnector.aws.errors import AlreadyExists, ConcurrentUpdate, TenantMismatch
from spconnector.aws.items import checked_tenant, from_item, is_conditional_failure, to_item, value
from spconnector.aws.retention import ttl_after_delivery, ttl_for
from spconnector.aws.table import GSI1, PK, SK, TTL_ATTRIBUTE, table_name
from spconnector.domain import BuyerMessage, Case, CaseStatus, Decision, ReturnRequest

# DynamoDB items are limited to 400 KB; stay clear of it and let the caller quarantine.
MAX_ITEM_BYTES = 350_000
_MAX_SK_ID = 400
PHRASING = "phr#"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _id_part(raw: str) -> str:
    """Sort-key-safe id: short ids as they are, long ones hashed (sk max 1 KB)."""
    if len(raw) <= _MAX_SK_ID:
        return raw
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


class CaseStore:
    def __init__(self, *, table: str | None = None, client: Any | None = None) -> None:
        self._table = table or table_name()
        self._client = client

    @property
    def _ddb(self) -> Any:
        if self._client is None:
            self._client = clients.client("dynamodb")
        return self._client

    # -- keys ---------------------------------------------------------------------------
    @staticmethod
    def _pk(tenant: str, case_id: str) -> str:
        checked_tenant(tenant)
        # case_id_for() prefixes the tenant: a case id of another tenant is refused outright.
        if not case_id.startswith(f"{tenant}#"):
            raise TenantMismatch("case id does not belong to this tenant")
        return f"{tenant}#case#{case_id}"

    # -- the case itself ----------------------------------------------------------------
    def get(self, tenant: str, case_id: str) -> Case | None:
        response = self._ddb.get_item(
            TableName=self._table,
            Key=to_item({PK: self._pk(tenant, case_id), SK: CASE_SK}),
            ConsistentRead=True,
        )
        item = response.get("Item")
        return None if item is None else case_from(tenant, from_item(item))

    def create(self, case: Case) -> Case:
        """Store a new case (version 1). Raises AlreadyExists if the case is there."""
        stored = case.model_copy(update={"version": 1})
        try:
            self._ddb.put_item(
                TableName=self._table,
                Item=case_item(self._pk(stored.tenant, stored.case_id), stored),
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": PK},
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                raise AlreadyExists("case already exists") from exc
            raise
        return stored

    def save(self, case: Case) -> Case:
        """Replace the case if nobody wrote it since it was read (stored version ==
        case.version); returns it with the next version. Raises ConcurrentUpdate otherwise."""
        stored = case.model_copy(update={"version": case.version + 1})
        try:
            self._ddb.put_item(
                TableName=self._table,
                Item=case_item(self._pk(stored.tenant, stored.case_id), stored),
                ConditionExpression="#v = :expected",
                ExpressionAttributeNames={"#v": "version"},
                ExpressionAttributeValues={":expected": value(case.version)},
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                raise ConcurrentUpdate("case changed since it was read") from exc
            raise
        return stored

    def upsert(
        self,
        tenant: str,
        case_id: str,
        change: Callable[[Case | None], Case],
        *,
        max_attempts: int = 8,
    ) -> Case:
        """Read, apply `change` (the caller's merge), write conditionally; on a lost race
        re-read and merge again. `change` must be a pure function of its argument."""
        for attempt in range(max_attempts):
            current = self.get(tenant, case_id)
            wanted = change(current)
            if wanted.tenant != tenant or wanted.case_id != case_id:
                raise TenantMismatch("merge returned a case of another tenant or id")
            if current is not None and wanted == current:
                return current
            try:
                if current is None:
                    return self.create(wanted)
                return self.save(wanted.model_copy(update={"version": current.version}))
            except (ConcurrentUpdate, AlreadyExists):
                time.sleep(random.uniform(0, 0.02 * (attempt + 1)))
        raise ConcurrentUpdate(f"case still contended after {max_attempts} attempts")

    def list_cases(
        self,
        tenant: str,
        *,
        status: CaseStatus | None = None,
        due_before: datetime | None = None,
    ) -> list[Case]:
        """A tenant's cases (optionally one status, optionally due before a moment),
        soonest deadline first."""
        checked_tenant(tenant)
        statuses = [status] if status is not None else list(CaseStatus)
        found: list[Case] = []
        for st in statuses:
            names = {"#p": "gsi1pk"}
            values = {":p": value(f"{tenant}#cases#{st.value}")}
            condition = "#p = :p"
            if due_before is not None:
                names["#s"] = "gsi1sk"
                values[":due"] = value(deadline_key(due_before))
                condition += " AND #s < :due"
            for item in self._query(
                IndexName=GSI1,
                KeyConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            ):
                found.append(case_from(tenant, item))
        found.sort(key=lambda c: (c.respond_by, c.case_id))
        return found

    def awaiting_approval(self, tenant: str) -> list[Case]:
        return self.list_cases(tenant, status=CaseStatus.AWAITING_APPROVAL)

    # -- messages and returns: one item each, written once --------------------------------
    def add_message(
        self,
        tenant: str,
        case_id: str,
        message: BuyerMessage,
        *,
        anchor: datetime | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Keep a buyer message under its case. False if this Message-ID is already there."""
        return self._put_once(
            tenant,
            case_id,
            sk=f"msg#{_id_part(message.message_id)}",
            data=message.model_dump_json(),
            expires_at=ttl_for(anchor or message.received_at, now or _utc_now()),
        )

    def messages(self, tenant: str, case_id: str) -> list[BuyerMessage]:
        items = self._children(tenant, case_id, "msg#")
        found = [BuyerMessage.model_validate_json(i["data"]) for i in items]
        return sorted(found, key=lambda m: (m.received_at, m.message_id))

    def add_return(
        self,
        tenant: str,
        case_id: str,
        ret: ReturnRequest,
        *,
        anchor: datetime | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Keep a return request under its case. False if this RMA is already there."""
        moment = now or _utc_now()
        return self._put_once(
            tenant,
            case_id,
            sk=f"ret#{_id_part(ret.dedup_key)}",
            data=ret.model_dump_json(),
            expires_at=ttl_for(anchor or ret.request_date or moment, moment),
        )

    def settle_return(self, tenant: str, case_id: str, ret: ReturnRequest) -> bool:
        """Replace the stored return of `ret.dedup_key` with `ret` when `ret` says Amazon paid
        and the stored one does not (ReturnRequest.settles): a compare-and-set on the stored
        data, so it only ever goes from "not settled" to "settled", never back. The item is
        marked `settled_later`; its expiry is kept. True when the stored return now carries a
        later listing's settlement (replaced now, or by an earlier call: a replay finds it
        so, and ingest's own step is idempotent); False when there is no such return, `ret`
        settles nothing, or the first listing already said Amazon paid."""
        key = to_item({PK: self._pk(tenant, case_id), SK: f"ret#{_id_part(ret.dedup_key)}"})
        data = ret.model_dump_json()
        if len(data.encode()) > MAX_ITEM_BYTES:
            raise ValueError(f"record too large for the table ({len(data)} bytes)")
        for _ in range(8):
            item = self._ddb.get_item(TableName=self._table, Key=key, ConsistentRead=True).get(
                "Item"
            )
            if item is None:
                return False
            stored = from_item(item)
            if stored.get("settled_later"):
                return True
            if not ret.settles(ReturnRequest.model_validate_json(stored["data"])):
                return False
            try:
                self._ddb.update_item(
                    TableName=self._table,
                    Key=key,
                    UpdateExpression="SET #data = :new, settled_later = :yes",
                    ConditionExpression="#data = :old",
                    ExpressionAttributeNames={"#data": "data"},
                    ExpressionAttributeValues={
                        ":new": value(data),
                        ":old": value(stored["data"]),
                        ":yes": value(True),
                    },
                )
                return True
            except Exception as exc:
                if not is_conditional_failure(exc):
                    raise
                # another listing won the race: read again and judge against it
        raise ConcurrentUpdate("return still contended after 8 attempts")

    def returns(self, tenant: str, case_id: str) -> list[ReturnRequest]:
        items = self._children(tenant, case_id, "ret#")
        return [ReturnRequest.model_validate_json(i["data"]) for i in items]

    def expire_after_delivery(
        self, tenant: str, case_id: str, delivered_at: datetime, now: datetime | None = None
    ) -> int:
        """Move the case's messages and returns to expire 30 days after delivery
        (`ttl_after_delivery`), never later than they already expire. Returns how many items
        moved."""
        expires = ttl_after_delivery(delivered_at, now or _utc_now())
        moved = 0
        for prefix in ("msg#", "ret#", PHRASING):
            for item in self._children(tenant, case_id, prefix):
                try:
                    self._ddb.update_item(
                        TableName=self._table,
                        Key=to_item({PK: item[PK], SK: item[SK]}),
                        UpdateExpression="SET #ttl = :expires",
                        ConditionExpression="attribute_exists(#sk) AND "
                        "(attribute_not_exists(#ttl) OR #ttl > :expires)",
                        ExpressionAttributeNames={"#ttl": TTL_ATTRIBUTE, "#sk": SK},
                        ExpressionAttributeValues={":expires": value(expires)},
                    )
                    moved += 1
                except Exception as exc:
                    if not is_conditional_failure(exc):  # already earlier, or gone
                        raise
        return moved

    def keep_phrasing(
        self, tenant: str, case_id: str, key: str, data: str, *, anchor: datetime
    ) -> bool:
        """Keep a KB answer's phrasing once per key (it may echo the buyer: PII's TTL)."""
        sk, expires = f"{PHRASING}{_id_part(key)}", ttl_for(anchor, _utc_now())
        return self._put_once(tenant, case_id, sk=sk, data=data, expires_at=expires)

    def kept_phrasing(self, tenant: str, case_id: str, key: str) -> str | None:
        item = self._ddb.get_item(
            TableName=self._table,
            Key=to_item({PK: self._pk(tenant, case_id), SK: f"{PHRASING}{_id_part(key)}"}),
            ConsistentRead=True,
        ).get("Item")
        return None if item is None else str(from_item(item)["data"])

    # -- decisions: numbered, never overwritten --------------------------------------------
    def add_decision(self, tenant: str, case_id: str, decision: Decision) -> int:
        """Append a decision; returns its number (1, 2, …)."""
        if decision.tenant not in (None, tenant):
            raise TenantMismatch("decision belongs to another tenant")
        data = decision.model_dump_json()
        for _ in range(20):
            latest = self._children(tenant, case_id, "decision#", newest_first=True, limit=1)
            n = int(latest[0]["n"]) + 1 if latest else 1
            if self._put_once(tenant, case_id, sk=f"decision#{n:06d}", data=data, extra={"n": n}):
                return n
        raise ConcurrentUpdate("could not append the decision: too many concurrent writers")

    def decisions(self, tenant: str, case_id: str) -> list[Decision]:
        items = self._children(tenant, case_id, "decision#")
        return [Decision.model_validate_json(i["data"]) for i in items]

    # -- internals -----------------------------------------------------------------------
    def _put_once(
        self,
        tenant: str,
        case_id: str,
        *,
        sk: str,
        data: str,
        expires_at: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> bool:
        if len(data.encode()) > MAX_ITEM_BYTES:
            raise ValueError(f"record too large for the table ({len(data)} bytes)")
        item = {
            PK: self._pk(tenant, case_id),
            SK: sk,
            "tenant": tenant,
            "data": data,
            TTL_ATTRIBUTE: expires_at,
            **(extra or {}),
        }
        try:
            self._ddb.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(#sk)",
                ExpressionAttributeNames={"#sk": SK},
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    def _children(
        self,
        tenant: str,
        case_id: str,
        prefix: str,
        *,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": PK, "#sk": SK},
            "ExpressionAttributeValues": {
                ":pk": value(self._pk(tenant, case_id)),
                ":prefix": value(prefix),
            },
            "ConsistentRead": True,
            "ScanIndexForward": not newest_first,
        }
        if limit is not None:
            kwargs["Limit"] = limit
            response = self._ddb.query(TableName=self._table, **kwargs)
            return [from_item(i) for i in response.get("Items", [])]
        return list(self._query(**kwargs))

    def _query(self, **kwargs: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        start: dict[str, Any] | None = None
        while True:
            if start is not None:
                kwargs["ExclusiveStartKey"] = start
            response = self._ddb.query(TableName=self._table, **kwargs)
            found.extend(from_item(i) for i in response.get("Items", []))
            start = response.get("LastEvaluatedKey")
            if not start:
                return found
