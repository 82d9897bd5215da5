"""Feeds API 2021-06-30: createFeedDocument (+ upload URL), createFeed, getFeed, getFeeds,
getFeedDocument. POST_PAYMENT_ADJUSTMENT_DATA feeds are processed by `adjustments`."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from spconnector.sim import adjustments
from spconnector.sim.http import Request, Response, Router, invalid_input, not_found
from spconnector.sim.lifecycle import (
    DONE_AFTER,
    QUEUED_FOR,
    notification,
    status_at,
    store_document,
)
from spconnector.sim.state import Document, SimState
from spconnector.sim.wire import iso, parse_time

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

STATUSES = frozenset({"CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"})


@dataclass
class FeedJob:
    feed_id: str
    feed_type: str
    marketplace_ids: list[str]
    input_document_id: str
    created: float
    final_status: str | None = None
    result_document_id: str | None = None
    stuck: bool = False  # a fault: Amazon never finishes this feed

    def status(self, now: float) -> str:
        if self.final_status:
            return self.final_status
        if self.stuck:
            return "IN_PROGRESS" if now >= self.created + QUEUED_FOR else "IN_QUEUE"
        phase = status_at(self.created, now)
        return "IN_PROGRESS" if phase == "FINAL" else phase

    def as_json(self, state: SimState) -> dict[str, Any]:
        status = self.status(state.clock.seconds())
        out: dict[str, Any] = {
            "feedId": self.feed_id,
            "feedType": self.feed_type,
            "marketplaceIds": self.marketplace_ids,
            "createdTime": iso(state.clock.at(self.created)),
            "processingStatus": status,
        }
        if status != "IN_QUEUE":
            out["processingStartTime"] = iso(state.clock.at(self.created + QUEUED_FOR))
        if self.final_status:
            out["processingEndTime"] = iso(state.clock.at(self.created + DONE_AFTER))
        if self.result_document_id:
            out["resultFeedDocumentId"] = self.result_document_id
        return out


def _process(state: SimState, job: FeedJob) -> None:
    seller = state.scenario.seller_id
    upload = state.uploads.get(job.input_document_id)
    data = upload.content if upload else b""
    if job.feed_type != adjustments.FEED_TYPE:
        fatal = f"Feed type {job.feed_type} is not processed by the simulator"
    elif not data:
        fatal = "The feed document is empty (nothing was uploaded)"
    else:
        try:
            messages = adjustments.parse_feed(data)
        except adjustments.FeedFormatError as exc:
            fatal = str(exc)
        else:
            fate = state.faults.feed_fate() if state.faults is not None else "done"
            if fate == "stuck":
                job.stuck = True
                return
            reject = state.faults.reject_message if state.faults is not None else None
            results = adjustments.apply_messages(state, job.feed_id, messages, reject=reject)
            if fate == "fatal_applied":  # applied, and yet Amazon says FATAL
                _fatal(state, job, seller, "We encountered an internal error.")
                return
            report = adjustments.processing_report(job.feed_id, seller, len(messages), results)
            job.final_status = "DONE"
            job.result_document_id = store_document(state, report, "text/xml; charset=UTF-8")
            return
    _fatal(state, job, seller, fatal)


def _fatal(state: SimState, job: FeedJob, seller: str, why: str) -> None:
    fatal_result = adjustments.MessageResult("0", "", adjustments.XML_FATAL, why)
    report = adjustments.processing_report(job.feed_id, seller, 0, [fatal_result])
    job.final_status = "FATAL"
    job.result_document_id = store_document(state, report, "text/xml; charset=UTF-8")


def advance(state: SimState, base_url: str) -> None:
    now = state.clock.seconds()
    for job in sorted(state.feeds.values(), key=lambda j: j.created):
        if job.final_status or job.stuck or status_at(job.created, now) != "FINAL":
            continue
        _process(state, job)
        body: dict[str, Any] = {
            "feedId": job.feed_id,
            "feedType": job.feed_type,
            "processingStatus": job.final_status,
        }
        if job.result_document_id:
            body["resultFeedDocumentId"] = job.result_document_id
        state.notify(
            notification(
                state,
                "FEED_PROCESSING_FINISHED",
                "feedProcessingFinishedNotification",
                body,
                job.created + DONE_AFTER,
            )
        )


def create_feed_document(sim: Simulator, req: Request) -> Response:
    spec = req.json_object()
    content_type = spec.get("contentType")
    if not isinstance(content_type, str) or not content_type.strip():
        raise invalid_input("contentType is required")
    if set(spec) - {"contentType"}:
        raise invalid_input("Unknown field(s) in request body")
    doc_id = f"amzn1.tortuga.4.na.{uuid.UUID(int=sim.state.next_id() + (3 << 120))}"
    sim.state.uploads[doc_id] = Document(doc_id, b"", content_type, compressed=False)
    url = f"{sim.base_url}/_sim/uploads/{doc_id}"
    return Response.json(201, {"feedDocumentId": doc_id, "url": url})


def create_feed(sim: Simulator, req: Request) -> Response:
    spec = req.json_object()
    if set(spec) - {"feedType", "marketplaceIds", "inputFeedDocumentId", "feedOptions"}:
        raise invalid_input("Unknown field(s) in request body")
    feed_type = spec.get("feedType")
    if not isinstance(feed_type, str) or not feed_type:
        raise invalid_input("feedType is required")
    markets = spec.get("marketplaceIds")
    if (
        not isinstance(markets, list)
        or not 1 <= len(markets) <= 25
        or not all(isinstance(m, str) and m for m in markets)
    ):
        raise invalid_input("marketplaceIds must be a list of 1 to 25 marketplace ids")
    doc_id = spec.get("inputFeedDocumentId")
    if not isinstance(doc_id, str) or doc_id not in sim.state.uploads:
        raise invalid_input("inputFeedDocumentId is not a feed document created by this seller")
    feed_id = str(60_000_000_000 + sim.state.next_id())
    sim.state.feeds[feed_id] = FeedJob(
        feed_id, feed_type, list(markets), doc_id, sim.clock.seconds()
    )
    return Response.json(202, {"feedId": feed_id})


def get_feed(sim: Simulator, req: Request) -> Response:
    job = sim.state.feeds.get(req.path_params["feedId"])
    if job is None:
        raise not_found("Feed not found")
    return Response.json(200, job.as_json(sim.state))


def get_feeds(sim: Simulator, req: Request) -> Response:
    token = req.param("nextToken")
    if token:
        try:
            params = json.loads(base64.urlsafe_b64decode(token.encode()))
        except ValueError:
            raise invalid_input("Invalid nextToken") from None
    else:
        types = req.list_param("feedTypes")
        if not types:
            raise invalid_input("Either feedTypes or nextToken is required")
        statuses = req.list_param("processingStatuses")
        if set(statuses) - STATUSES:
            raise invalid_input("Invalid processingStatuses value")
        raw_size = req.param("pageSize") or "10"
        if not raw_size.isdigit() or not 1 <= int(raw_size) <= 100:
            raise invalid_input("pageSize must be between 1 and 100")
        now = sim.clock.now()
        since = req.param("createdSince")
        until = req.param("createdUntil")
        params = {
            "types": types,
            "statuses": statuses,
            "markets": req.list_param("marketplaceIds"),
            "since": iso(parse_time(since, "createdSince") if since else now - timedelta(days=90)),
            "until": iso(parse_time(until, "createdUntil") if until else now),
            "size": int(raw_size),
            "offset": 0,
        }
    lo = parse_time(params["since"], "createdSince")
    hi = parse_time(params["until"], "createdUntil")
    now_s = sim.clock.seconds()
    matches = [
        job
        for job in sorted(sim.state.feeds.values(), key=lambda j: j.created, reverse=True)
        if job.feed_type in params["types"]
        and lo <= sim.clock.at(job.created) <= hi
        and (not params["statuses"] or job.status(now_s) in params["statuses"])
        and (not params["markets"] or set(job.marketplace_ids) & set(params["markets"]))
    ]
    offset, size = params["offset"], params["size"]
    body: dict[str, Any] = {
        "feeds": [j.as_json(sim.state) for j in matches[offset : offset + size]]
    }
    if offset + size < len(matches):
        next_params = {**params, "offset": offset + size}
        body["nextToken"] = base64.urlsafe_b64encode(json.dumps(next_params).encode()).decode()
    return Response.json(200, body)


def get_feed_document(sim: Simulator, req: Request) -> Response:
    doc_id = req.path_params["feedDocumentId"]
    doc = sim.state.documents.get(doc_id)
    owned = any(j.result_document_id == doc_id for j in sim.state.feeds.values())
    if doc is None or not owned:
        raise not_found("Feed document not found")
    body = {
        "feedDocumentId": doc_id,
        "url": f"{sim.base_url}/_sim/documents/{doc_id}",
        "compressionAlgorithm": "GZIP",
    }
    return Response.json(200, body)


def register(router: Router) -> None:
    stem = "feeds_2021-06-30"
    router.add(
        "POST", "/feeds/2021-06-30/documents", create_feed_document, f"{stem}:createFeedDocument"
    )
    router.add("POST", "/feeds/2021-06-30/feeds", create_feed, f"{stem}:createFeed")
    router.add("GET", "/feeds/2021-06-30/feeds", get_feeds, f"{stem}:getFeeds")
    router.add("GET", "/feeds/2021-06-30/feeds/{feedId}", get_feed, f"{stem}:getFeed")
    router.add(
        "GET",
        "/feeds/2021-06-30/documents/{feedDocumentId}",
        get_feed_document,
        f"{stem}:getFeedDocument",
    )
