"""CheckpointStore: where each poller stopped, per tenant and source. A checkpoint only
ever moves forward: a slow or replayed worker cannot rewind it (conditional writes).

  pk "<tenant>#checkpoint#<source>"  sk "checkpoint"
Sources: "imap:<mailbox>" (UIDVALIDITY + last UID) or any name with a timestamp cursor,
e.g. "returns:GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE", "feedback".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from spconnector.aws import clients
from spconnector.aws.items import checked_tenant, from_item, is_conditional_failure, to_item
from spconnector.aws.items import value as av
from spconnector.aws.table import PK, SK, table_name

CHECKPOINT_SK = "checkpoint"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ImapCheckpoint:
    uidvalidity: int
    last_uid: int


def _key(tenant: str, source: str) -> dict[str, Any]:
    if not source:
        raise ValueError("checkpoint source is empty")
    return to_item({PK: f"{checked_tenant(tenant)}#checkpoint#{source}", SK: CHECKPOINT_SK})


class CheckpointStore:
    def __init__(self, *, table: str | None = None, client: Any | None = None) -> None:
        self._table = table or table_name()
        self._client = client

    @property
    def _ddb(self) -> Any:
        if self._client is None:
            self._client = clients.client("dynamodb")
        return self._client

    # -- IMAP ----------------------------------------------------------------------------
    def imap(self, tenant: str, mailbox: str) -> ImapCheckpoint | None:
        item = self._get(tenant, f"imap:{mailbox}")
        if item is None or "uidvalidity" not in item:
            return None
        return ImapCheckpoint(int(item["uidvalidity"]), int(item["last_uid"]))

    def advance_imap(self, tenant: str, mailbox: str, uidvalidity: int, last_uid: int) -> bool:
        """Record that UIDs up to last_uid are handled. False (nothing written) if the
        stored checkpoint is already there or beyond, or belongs to another UIDVALIDITY
        (then the caller must reset_imap after deciding the mailbox was rebuilt)."""
        return self._conditional_update(
            tenant,
            f"imap:{mailbox}",
            "SET uidvalidity = :v, last_uid = :u, updated_at = :t",
            "attribute_not_exists(pk) OR (uidvalidity = :v AND last_uid < :u)",
            {":v": uidvalidity, ":u": last_uid},
        )

    def reset_imap(self, tenant: str, mailbox: str, uidvalidity: int) -> bool:
        """The mailbox has a new UIDVALIDITY: UIDs restart, so the checkpoint starts over.
        False if it already has that UIDVALIDITY."""
        return self._conditional_update(
            tenant,
            f"imap:{mailbox}",
            "SET uidvalidity = :v, last_uid = :zero, updated_at = :t",
            "attribute_not_exists(pk) OR uidvalidity <> :v",
            {":v": uidvalidity, ":zero": 0},
        )

    # -- timestamp cursors ---------------------------------------------------------------
    def cursor(self, tenant: str, source: str) -> datetime | None:
        item = self._get(tenant, source)
        if item is None or "cursor_epoch_us" not in item:
            return None
        return _EPOCH + timedelta(microseconds=int(item["cursor_epoch_us"]))

    def advance_cursor(self, tenant: str, source: str, at: datetime) -> bool:
        """Move the cursor to `at`; False (nothing written) if it is already there or later."""
        if at.tzinfo is None:
            raise ValueError("cursor timestamp needs a timezone")
        micros = (at - _EPOCH) // timedelta(microseconds=1)
        return self._conditional_update(
            tenant,
            source,
            "SET cursor_epoch_us = :c, cursor_iso = :iso, updated_at = :t",
            "attribute_not_exists(cursor_epoch_us) OR cursor_epoch_us < :c",
            {":c": micros, ":iso": at.astimezone(UTC).isoformat()},
        )

    # -- internals -----------------------------------------------------------------------
    def _get(self, tenant: str, source: str) -> dict[str, Any] | None:
        response = self._ddb.get_item(
            TableName=self._table, Key=_key(tenant, source), ConsistentRead=True
        )
        item = response.get("Item")
        return None if item is None else from_item(item)

    def _conditional_update(
        self, tenant: str, source: str, update: str, condition: str, values: dict[str, Any]
    ) -> bool:
        values = {**values, ":t": datetime.now(UTC).isoformat()}
        try:
            self._ddb.update_item(
                TableName=self._table,
                Key=_key(tenant, source),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeValues={k: av(v) for k, v in values.items()},
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True
