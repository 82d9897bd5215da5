"""The simulator's own routes under /_sim/: scenario inspection, faults, documents, uploads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spconnector.sim.faults import FaultRates
from spconnector.sim.http import Request, Response, Router, invalid_input, not_found
from spconnector.sim.state import Document

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator


def list_orders(sim: Simulator, req: Request) -> Response:
    return Response.json(200, sim.scenario.order_ids)


def get_state(sim: Simulator, req: Request) -> Response:
    return Response.json(200, sim.state.snapshot())


def get_notifications(sim: Simulator, req: Request) -> Response:
    return Response.json(200, sim.state.notifications)


def get_faults(sim: Simulator, req: Request) -> Response:
    return Response.json(200, sim.faults.rates.to_wire())


def set_faults(sim: Simulator, req: Request) -> Response:
    try:
        rates = FaultRates.from_wire(req.json_object(), base=sim.faults.rates)
    except ValueError as exc:
        raise invalid_input(str(exc)) from None
    sim.faults.set(rates)
    return Response.json(200, rates.to_wire())


def get_document(sim: Simulator, req: Request) -> Response:
    doc = sim.state.documents.get(req.path_params["documentId"])
    if doc is None:
        raise not_found("Document not found")
    body = doc.content
    if doc.compressed and sim.faults.truncate():
        body = body[: max(10, len(body) // 2)]
    return Response(200, body, {"Content-Type": doc.content_type})


def put_upload(sim: Simulator, req: Request) -> Response:
    upload_id = req.path_params["documentId"]
    slot = sim.state.uploads.get(upload_id)
    if slot is None:
        raise not_found("Upload URL not found or expired")
    content_type = req.headers.get("Content-Type") or slot.content_type
    sim.state.uploads[upload_id] = Document(upload_id, req.body, content_type, False)
    return Response(200, b"", {})


def get_emails(sim: Simulator, req: Request) -> Response:
    """The scenario's relay mails, for tools outside Python (base64 would lose nothing)."""
    index = req.param("index")
    if index is None:
        return Response.json(200, {"count": len(sim.scenario.emails)})
    try:
        raw = sim.scenario.emails[int(index)]
    except (ValueError, IndexError):
        raise not_found("No such email") from None
    return Response(200, raw, {"Content-Type": "message/rfc822"})


def register(router: Router) -> None:
    router.add("GET", "/_sim/orders", list_orders, None)
    router.add("GET", "/_sim/state", get_state, None)
    router.add("GET", "/_sim/notifications", get_notifications, None)
    router.add("GET", "/_sim/faults", get_faults, None)
    router.add("POST", "/_sim/faults", set_faults, None)
    router.add("GET", "/_sim/documents/{documentId}", get_document, None)
    router.add("PUT", "/_sim/uploads/{documentId}", put_upload, None)
    router.add("GET", "/_sim/emails", get_emails, None)
