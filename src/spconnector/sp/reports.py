"""Reports calls: request a report, poll it, download its document.

Guarantees: request bodies are exactly Amazon's model (no marketplace query parameters the
model does not define); timestamps sent are timezone-aware UTC; the document is downloaded
through our hooks (errors typed, nothing below 2xx silent) and gunzipped when Amazon says GZIP
(a corrupt archive is CorruptDocument, not garbage bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.transport import SpTransport, iso, quote


class ReportsCalls(SpTransport):
    def create_report(
        self,
        report_type: str,
        start: datetime | None = None,
        end: datetime | None = None,
        marketplace_ids: Sequence[str] | None = None,
        options: dict[str, str] | None = None,
    ) -> str:
        operation = "reports_2021-06-30:createReport"
        body: dict[str, Any] = {
            "reportType": report_type,
            "marketplaceIds": list(marketplace_ids or [self.marketplace_id]),
        }
        if start is not None:
            body["dataStartTime"] = iso(start)
        if end is not None:
            body["dataEndTime"] = iso(end)
        if options:
            body["reportOptions"] = dict(options)
        response = self._send(lib.Reports, operation, lambda c: c.create_report(**body))
        return self._parse(operation, m.CreateReportResponse, response.payload).reportId

    def get_report(self, report_id: str) -> m.Report:
        operation = "reports_2021-06-30:getReport"
        path = f"/reports/2021-06-30/reports/{quote(report_id)}"
        # Not the library's get_report: it adds marketplace query parameters.
        response = self._send(
            lib.Reports, operation, lambda c: c._request(path, add_marketplace=False)
        )
        return self._parse(operation, m.Report, response.payload)

    def get_report_document(self, document_id: str) -> bytes:
        """getReportDocument, then the download, gunzipped when Amazon says GZIP."""
        operation = "reports_2021-06-30:getReportDocument"
        response = self._send(lib.Reports, operation, lambda c: c.get_report_document(document_id))
        location = self._parse(operation, m.ReportDocument, response.payload)
        return self._download(operation, location)
