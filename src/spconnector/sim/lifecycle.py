"""The shared IN_QUEUE → IN_PROGRESS → final path of reports and feeds, on the sim clock."""

from __future__ import annotations

import gzip
import uuid
from typing import Any

from spconnector.sim.state import Document, SimState
from spconnector.sim.wire import iso

QUEUED_FOR = 0.5  # simulated seconds before processing starts
DONE_AFTER = 2.0  # simulated seconds from creation to the final status


def status_at(created: float, now: float) -> str:
    if now < created + QUEUED_FOR:
        return "IN_QUEUE"
    if now < created + DONE_AFTER:
        return "IN_PROGRESS"
    return "FINAL"


def store_document(state: SimState, content: bytes, content_type: str) -> str:
    """Keep `content` gzip-compressed, as Amazon serves report and result documents."""
    doc_id = f"amzn1.spdoc.1.4.na.{uuid.UUID(int=state.next_id() + (1 << 120))}"
    state.documents[doc_id] = Document(
        doc_id, gzip.compress(content, mtime=0), content_type, compressed=True
    )
    return doc_id


def notification(
    state: SimState, kind: str, key: str, body: dict[str, Any], at: float
) -> dict[str, Any]:
    """REPORT_/FEED_PROCESSING_FINISHED as Amazon's notification schema describes it."""
    seller = state.scenario.seller_id
    when = iso(state.clock.at(at)).replace("Z", ".000Z")
    n = state.next_id()
    return {
        "notificationVersion": "2020-09-04",
        "notificationType": kind,
        "payloadVersion": "2020-09-04",
        "eventTime": when,
        "payload": {key: {"sellerId": seller, "accountId": f"amzn1.merchant.o.{seller}", **body}},
        "notificationMetadata": {
            "applicationId": "amzn1.sellerapps.app.sim00000-0000-0000-0000-000000000000",
            "subscriptionId": state.subscriptions.get(kind, {}).get("subscriptionId", ""),
            "publishTime": when,
            "notificationId": str(uuid.UUID(int=n + (2 << 120))),
        },
    }
