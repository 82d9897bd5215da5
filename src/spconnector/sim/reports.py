"""Reports API 2021-06-30: createReport, getReport, getReports, getReportDocument."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from spconnector.sim import report_rows
from spconnector.sim.http import Request, Response, Router, invalid_input, not_found
from spconnector.sim.lifecycle import (
    DONE_AFTER,
    QUEUED_FOR,
    notification,
    status_at,
    store_document,
)
from spconnector.sim.state import SimState
from spconnector.sim.wire import iso, parse_time

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator

REPORT_TYPES = frozenset(report_rows.RENDERERS)
STATUSES = frozenset({"CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"})


@dataclass
class ReportJob:
    report_id: str
    report_type: str
    marketplace_ids: list[str]
    data_start: datetime
    data_end: datetime
    created: float  # clock seconds
    fatal_reason: str | None = None
    final_status: str | None = None  # DONE / CANCELLED / FATAL once processed
    document_id: str | None = None

    def status(self, now: float) -> str:
        if self.final_status:
            return self.final_status
        phase = status_at(self.created, now)
        return "IN_PROGRESS" if phase == "FINAL" else phase

    def as_json(self, state: SimState) -> dict[str, Any]:
        now = state.clock.seconds()
        status = self.status(now)
        out: dict[str, Any] = {
            "reportId": self.report_id,
            "reportType": self.report_type,
            "dataStartTime": iso(self.data_start),
            "dataEndTime": iso(self.data_end),
            "marketplaceIds": self.marketplace_ids,
            "createdTime": iso(state.clock.at(self.created)),
            "processingStatus": status,
        }
        if status != "IN_QUEUE":
            out["processingStartTime"] = iso(state.clock.at(self.created + QUEUED_FOR))
        if self.final_status:
            out["processingEndTime"] = iso(state.clock.at(self.created + DONE_AFTER))
        if self.document_id:
            out["reportDocumentId"] = self.document_id
        return out


def advance(state: SimState, base_url: str) -> None:
    now = state.clock.seconds()
    for job in state.reports.values():
        if job.final_status or status_at(job.created, now) != "FINAL":
            continue
        if job.fatal_reason:
            job.final_status = "FATAL"
            job.document_id = store_document(
                state, f'{{"errorDetails":"{job.fatal_reason}"}}'.encode(), "application/json"
            )
        else:
            content = report_rows.render(
                state.scenario, job.report_type, job.data_start, job.data_end
            )
            if content is None:
                job.final_status = "CANCELLED"  # Amazon's "no data for this window"
            else:
                job.final_status = "DONE"
                job.document_id = store_document(
                    state, content, report_rows.content_type(job.report_type)
                )
        body: dict[str, Any] = {
            "reportId": job.report_id,
            "reportType": job.report_type,
            "processingStatus": job.final_status,
        }
        if job.document_id:
            body["reportDocumentId"] = job.document_id
        state.notify(
            notification(
                state,
                "REPORT_PROCESSING_FINISHED",
                "reportProcessingFinishedNotification",
                body,
                job.created + DONE_AFTER,
            )
        )


def create_report(sim: Simulator, req: Request) -> Response:
    spec = req.json_object()
    unknown = set(spec) - {
        "reportType",
        "marketplaceIds",
        "dataStartTime",
        "dataEndTime",
        "reportOptions",
    }
    if unknown:
        raise invalid_input(f"Unknown field(s) in request body: {', '.join(sorted(unknown))}")
    report_type = spec.get("reportType")
    if not isinstance(report_type, str) or not report_type:
        raise invalid_input("reportType is required")
    if report_type not in REPORT_TYPES:
        raise invalid_input(f"Invalid reportType: {report_type}")
    markets = spec.get("marketplaceIds")
    if (
        not isinstance(markets, list)
        or not 1 <= len(markets) <= 25
        or not all(isinstance(m, str) and m for m in markets)
    ):
        raise invalid_input("marketplaceIds must be a list of 1 to 25 marketplace ids")
    options = spec.get("reportOptions", {})
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise invalid_input("reportOptions must be an object of strings")
    now = sim.clock.now()
    end = _time_field(spec, "dataEndTime") or now
    start = _time_field(spec, "dataStartTime") or end - timedelta(days=30)
    fatal = None
    if start > end:
        fatal = "dataStartTime is after dataEndTime"
    elif start > now:
        fatal = "dataStartTime is in the future"
    elif any(m != sim.marketplace_id for m in markets):
        fatal = "The seller is not registered in the requested marketplace"
    report_id = str(50_000_000_000 + sim.state.next_id())
    sim.state.reports[report_id] = ReportJob(
        report_id, report_type, list(markets), start, end, sim.clock.seconds(), fatal
    )
    return Response.json(202, {"reportId": report_id})


def _time_field(spec: dict[str, Any], name: str) -> datetime | None:
    value = spec.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_input(f"{name} must be an ISO 8601 date-time")
    return parse_time(value, name)


def get_report(sim: Simulator, req: Request) -> Response:
    job = sim.state.reports.get(req.path_params["reportId"])
    if job is None:
        raise not_found("Report not found")
    return Response.json(200, job.as_json(sim.state))


def get_reports(sim: Simulator, req: Request) -> Response:
    token = req.param("nextToken")
    if token:
        params = _decode(token)
    else:
        types = req.list_param("reportTypes")
        if not types:
            raise invalid_input("Either reportTypes or nextToken is required")
        if not 1 <= len(types) <= 10:
            raise invalid_input("reportTypes must list 1 to 10 report types")
        statuses = req.list_param("processingStatuses")
        if set(statuses) - STATUSES:
            raise invalid_input("Invalid processingStatuses value")
        since_raw = req.param("createdSince")
        until_raw = req.param("createdUntil")
        now = sim.clock.now()
        params = {
            "types": types,
            "statuses": statuses,
            "markets": req.list_param("marketplaceIds"),
            "since": iso(
                parse_time(since_raw, "createdSince") if since_raw else now - timedelta(days=90)
            ),
            "until": iso(parse_time(until_raw, "createdUntil") if until_raw else now),
            "size": _page_size(req),
            "offset": 0,
        }
    since = parse_time(params["since"], "createdSince")
    until = parse_time(params["until"], "createdUntil")
    now_s = sim.clock.seconds()
    matches = []
    for job in sorted(sim.state.reports.values(), key=lambda j: j.created, reverse=True):
        created = sim.clock.at(job.created)
        if job.report_type not in params["types"] or not since <= created <= until:
            continue
        if params["statuses"] and job.status(now_s) not in params["statuses"]:
            continue
        if params["markets"] and not set(job.marketplace_ids) & set(params["markets"]):
            continue
        matches.append(job)
    offset, size = params["offset"], params["size"]
    body: dict[str, Any] = {
        "reports": [j.as_json(sim.state) for j in matches[offset : offset + size]]
    }
    if offset + size < len(matches):
        body["nextToken"] = _encode({**params, "offset": offset + size})
    return Response.json(200, body)


def _page_size(req: Request) -> int:
    raw = req.param("pageSize")
    if raw is None:
        return 10
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise invalid_input("pageSize must be between 1 and 100")
    return int(raw)


def _encode(params: dict[str, Any]) -> str:
    import json

    return base64.urlsafe_b64encode(json.dumps(params).encode()).decode()


def _decode(token: str) -> dict[str, Any]:
    import json

    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        assert isinstance(data, dict)
        return data
    except (ValueError, AssertionError):
        raise invalid_input("Invalid nextToken") from None


def get_report_document(sim: Simulator, req: Request) -> Response:
    doc_id = req.path_params["reportDocumentId"]
    owned = any(j.document_id == doc_id for j in sim.state.reports.values())
    if not owned or doc_id not in sim.state.documents:
        raise not_found("Report document not found")
    body = {
        "reportDocumentId": doc_id,
        "url": f"{sim.base_url}/_sim/documents/{doc_id}",
        "compressionAlgorithm": "GZIP",
    }
    return Response.json(200, body)


def register(router: Router) -> None:
    stem = "reports_2021-06-30"
    router.add("POST", "/reports/2021-06-30/reports", create_report, f"{stem}:createReport")
    router.add("GET", "/reports/2021-06-30/reports", get_reports, f"{stem}:getReports")
    router.add("GET", "/reports/2021-06-30/reports/{reportId}", get_report, f"{stem}:getReport")
    router.add(
        "GET",
        "/reports/2021-06-30/documents/{reportDocumentId}",
        get_report_document,
        f"{stem}:getReportDocument",
    )
