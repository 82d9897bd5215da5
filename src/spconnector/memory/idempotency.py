"""An in-memory Powertools idempotency store with the DynamoDB layer's put condition: a record
is written only if none exists, the stored one has expired, or it is in progress past its
in-progress expiry (a run that died). Checked and written under one lock."""

from __future__ import annotations

import copy
import threading
import time

from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer
from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import (
    STATUS_CONSTANTS,
    DataRecord,
)


class MemoryIdempotencyStore(BasePersistenceLayer):
    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._lock = threading.Lock()
        self._records: dict[str, DataRecord] = {}

    def _get_record(self, idempotency_key: str) -> DataRecord:
        with self._lock:
            record = self._records.get(idempotency_key)
        if record is None:
            raise IdempotencyItemNotFoundError
        return copy.copy(record)

    def _put_record(self, data_record: DataRecord) -> None:
        now = time.time()
        with self._lock:
            old = self._records.get(data_record.idempotency_key)
            takeable = (
                old is None
                or old.expiry_timestamp is None
                or old.expiry_timestamp < int(now)
                or (
                    old._status == STATUS_CONSTANTS["INPROGRESS"]
                    and old.in_progress_expiry_timestamp is not None
                    and old.in_progress_expiry_timestamp < int(now * 1000)
                )
            )
            if takeable:
                self._records[data_record.idempotency_key] = copy.copy(data_record)
                return
        assert old is not None
        self._validate_payload(data_payload=data_record, stored_data_record=old)
        raise IdempotencyItemAlreadyExistsError(old_data_record=copy.copy(old))

    def _update_record(self, data_record: DataRecord) -> None:
        with self._lock:
            self._records[data_record.idempotency_key] = copy.copy(data_record)

    def _delete_record(self, data_record: DataRecord) -> None:
        with self._lock:
            self._records.pop(data_record.idempotency_key, None)
