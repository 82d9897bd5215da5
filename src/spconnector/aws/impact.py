"""Where the impact ledger, feedback snapshots and seen feedback rows live (the one table)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from spconnector.impact.feedback import FeedbackSnapshot
from spconnector.impact.ledger import DynamoLedgerStore


class DynamoImpactStore:
    def __init__(
        self,
        client: Any,
        table: str,
        *,
        table_resource: Callable[[], Any],
        clock: Callable[[], datetime],
    ) -> None:
        self._ddb = client
        self._table = table
        self._table_resource = table_resource
        self._clock = clock
        self._per_thread = threading.local()

    @property
    def ledger(self) -> DynamoLedgerStore:
        # one per thread, on this thread's resource: boto3 resources are not thread-safe (the
        # store is shared by the threads of a process), and making one per Act cost ~15 ms of
        # CPU on boto3's shared default session
        store: DynamoLedgerStore | None = getattr(self._per_thread, "ledger", None)
        if store is None:
            store = DynamoLedgerStore(self._table_resource(), clock=self._clock)
            self._per_thread.ledger = store
        return store

    def put_snapshot(self, snapshot: FeedbackSnapshot) -> None:
        self._ddb.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": f"{snapshot.tenant}#impact#snapshots"},
                "sk": {"S": snapshot.taken_at.isoformat()},
                "data": {"S": snapshot.model_dump_json()},
            },
        )

    def snapshots(self, tenant: str) -> list[FeedbackSnapshot]:
        pages = self._ddb.get_paginator("query").paginate(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"{tenant}#impact#snapshots"}},
        )
        return [
            FeedbackSnapshot.model_validate_json(item["data"]["S"])
            for page in pages
            for item in page.get("Items", [])
        ]

    def seen_feedback(self, tenant: str) -> frozenset[str]:
        item = self._ddb.get_item(
            TableName=self._table,
            Key={"pk": {"S": f"{tenant}#impact#feedback-seen"}, "sk": {"S": "keys"}},
            ConsistentRead=True,
        ).get("Item")
        return frozenset(json.loads(item["keys"]["S"])) if item else frozenset()

    def mark_seen(self, tenant: str, keys: frozenset[str]) -> None:
        self._ddb.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": f"{tenant}#impact#feedback-seen"},
                "sk": {"S": "keys"},
                "keys": {"S": json.dumps(sorted(keys))},
            },
        )
