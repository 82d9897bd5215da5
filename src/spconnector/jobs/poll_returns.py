"""PollReturns: the tenant's MFN and FBA returns reports → return requests on cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from spconnector.domain import FulfillmentChannel, Tenant
from spconnector.intake.returns import ReturnsReportError, parse_returns
from spconnector.jobs.amazon_reports import run_report
from spconnector.jobs.ingest import ingest_returns
from spconnector.jobs.services import Services
from spconnector.observability import get_logger

log = get_logger(__name__)

RETURNS_REPORTS = {
    "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE": FulfillmentChannel.MFN,
    "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA": FulfillmentChannel.FBA,
}


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "ingested": 0,
        "duplicates": 0,
        "settled": 0,  # stored returns a later listing showed Amazon paid: decided again
        "quarantined": 0,
        "errors": [],
    }

    for report_type, channel in RETURNS_REPORTS.items():

        def consume(document: bytes, channel: FulfillmentChannel = channel) -> dict[str, int]:
            try:
                parsed = parse_returns(document, fulfillment=channel)
            except ReturnsReportError as exc:
                # The whole document is unreadable: keep it, with the reason, for a person.
                services.raw_mail.quarantine(
                    tenant.tenant_id,
                    document,
                    reason=str(exc),
                    source=channel.value,
                    received_at=now,
                )
                summary["errors"].append(str(exc))
                return {"quarantined_document": 1}
            for bad in parsed.quarantined:
                summary["errors"].append(f"{channel.value} line {bad.line}: {bad.reason}")
            if parsed.quarantined:
                lines = "\n".join(f"line {b.line}: {b.reason}" for b in parsed.quarantined)
                services.raw_mail.quarantine(
                    tenant.tenant_id,
                    document,
                    reason=f"{len(parsed.quarantined)} bad rows",
                    source=f"{channel.value} returns report:\n{lines}"[:1000],
                    received_at=now,
                )
            outcome = ingest_returns(services, tenant, parsed.records)
            summary["ingested"] += outcome.ingested
            summary["duplicates"] += outcome.duplicates
            summary["settled"] += outcome.settled
            summary["quarantined"] += len(parsed.quarantined)
            return {"rows": len(parsed.records), "bad_rows": len(parsed.quarantined)}

        report = run_report(services, tenant, report_type, consume, now)
        summary["errors"].extend(report.errors)
        summary[report_type] = {"finished": report.finished, "requested": report.requested}
    return summary
