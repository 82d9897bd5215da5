"""The in-memory `GrowthStore`: review-request claims, growth events and documents with the
DynamoDB adapter's semantics — the conditional put, the compare-and-set take-over and the
conditional release are each checked and applied under one lock. Documents and events are
kept as JSON text, so what a test reads back is what DynamoDB would give."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

from spconnector.growth.events import GrowthEvent
from spconnector.jobs.ports import ClaimState


class MemoryGrowthStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._claims: dict[tuple[str, str], dict[str, str]] = {}
        self._events: dict[tuple[str, str], str] = {}
        self._docs: dict[tuple[str, str, str], str] = {}

    # --- review-request claims -------------------------------------------------------------

    def claim_request(self, tenant: str, order_id: str, now: datetime) -> bool:
        with self._lock:
            if (tenant, order_id) in self._claims:
                return False
            self._claims[tenant, order_id] = {"state": "sending", "claimed_at": now.isoformat()}
            return True

    def request_claim(self, tenant: str, order_id: str) -> dict[str, str] | None:
        with self._lock:
            claim = self._claims.get((tenant, order_id))
            return {"order_id": order_id} | claim if claim is not None else None

    def take_over(self, tenant: str, order_id: str, seen_claimed_at: str, now: datetime) -> bool:
        with self._lock:
            claim = self._claims.get((tenant, order_id))
            if claim is None or claim["state"] != "sending":
                return False
            if claim["claimed_at"] != seen_claimed_at:
                return False
            claim["claimed_at"] = now.isoformat()
            return True

    def settle_request(
        self, tenant: str, order_id: str, state: ClaimState, at: datetime, reason: str = ""
    ) -> None:
        with self._lock:
            # an update of a missing item creates it, as DynamoDB's UpdateItem does
            claim = self._claims.setdefault((tenant, order_id), {})
            claim.update(state=state, settled_at=at.isoformat(), reason=reason[:200])

    def release_request(self, tenant: str, order_id: str, claimed_at: str) -> None:
        with self._lock:
            claim = self._claims.get((tenant, order_id))
            if claim and claim.get("state") == "sending" and claim.get("claimed_at") == claimed_at:
                del self._claims[tenant, order_id]

    def request_claims(self, tenant: str) -> list[dict[str, str]]:
        with self._lock:
            return [
                {"order_id": order_id} | claim
                for (t, order_id), claim in sorted(self._claims.items())
                if t == tenant
            ]

    # --- growth events (impact ledger) -------------------------------------------------------

    def record(self, event: GrowthEvent) -> None:
        with self._lock:
            self._events[event.tenant, event.key] = event.model_dump_json()

    def events(self, tenant: str) -> list[GrowthEvent]:
        with self._lock:
            stored = [text for (t, _key), text in sorted(self._events.items()) if t == tenant]
        return [GrowthEvent.model_validate_json(text) for text in stored]

    # --- documents ---------------------------------------------------------------------------

    def put_doc(self, tenant: str, kind: str, key: str, data: dict[str, Any]) -> None:
        text = json.dumps(data, default=str)
        with self._lock:
            self._docs[tenant, kind, key] = text

    def put_doc_once(self, tenant: str, kind: str, key: str, data: dict[str, Any]) -> bool:
        text = json.dumps(data, default=str)
        with self._lock:
            if (tenant, kind, key) in self._docs:
                return False
            self._docs[tenant, kind, key] = text
            return True

    def get_doc(self, tenant: str, kind: str, key: str) -> dict[str, Any] | None:
        with self._lock:
            text = self._docs.get((tenant, kind, key))
        if text is None:
            return None
        data: dict[str, Any] = json.loads(text)
        return data

    def delete_doc(self, tenant: str, kind: str, key: str) -> None:
        with self._lock:
            self._docs.pop((tenant, kind, key), None)

    def docs(self, tenant: str, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            stored = [
                text
                for (t, k, _key), text in sorted(self._docs.items())
                if (t, k) == (tenant, kind)
            ]
        return [json.loads(text) for text in stored]
