"""Console inbox: 50 tenants × 200 open cases, server time of one inbox page (issue 17).

Server time is what the Console Lambda spends on one `GET /inbox` for an agency admin: the
resolver routes the HTTP API v2 event, reads the session, checks every tenant, lists each
tenant's open cases (four statuses), filters, sorts 10,000 cases by time left on the SLA
clock, and renders the first page (200 rows) through the autoescaping templates.

The cases sit in an in-memory store with CaseStore's `list_cases` contract (one status,
soonest deadline first), so the figure is the console's own work, not an emulator's: moto's
GSI query walks the whole table for every request, which says nothing about DynamoDB. With
--moto the same run also goes through CaseStore on moto (informational, for small fleets:
5 × 40 cases took ~1.1 s for the cases-list path and ~1.3 s for the inbox; seeding 10,000
cases into moto did not finish in 15 minutes).

Baseline, measured in the same run on the same store: the `spconnector cases list --json`
path for every tenant (list the open cases, build the JSON rows), which the inbox replaces.

Run: .venv/bin/python bench/console.py [--tenants 50] [--cases 200] [--rounds 7] [--moto]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from spconnector.console.app import build_app
from spconnector.console.audit import MemoryAuditLog
from spconnector.console.identity import staff_from_groups
from spconnector.console.local_server import event_from_environ
from spconnector.console.queries import INBOX_STATUSES
from spconnector.console.sessions import COOKIE, SessionSigner
from spconnector.console.web import ConsoleConfig
from spconnector.domain import Case, CaseStatus, Intent, Mode, Priority, Tenant
from spconnector.jobs.services import Services, Settings

TARGET_MS = 300.0
NOW = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
STATUSES = (CaseStatus.OPEN, CaseStatus.DECIDED, CaseStatus.AWAITING_APPROVAL, CaseStatus.ESCALATED)


class MemoryCases:
    """CaseStore's read contract over a dict: cases by (tenant, status), soonest first."""

    def __init__(self, cases: list[Case]) -> None:
        self._by: dict[tuple[str, CaseStatus], list[Case]] = defaultdict(list)
        for case in cases:
            self._by[(case.tenant, case.status)].append(case)
        for found in self._by.values():
            found.sort(key=lambda c: (c.respond_by, c.case_id))

    def list_cases(self, tenant: str, *, status: CaseStatus | None = None) -> list[Case]:
        if status is not None:  # already in deadline order, as the GSI returns it
            return list(self._by.get((tenant, status), []))
        out = [c for st in CaseStatus for c in self._by.get((tenant, st), [])]
        out.sort(key=lambda c: (c.respond_by, c.case_id))
        return out


class MemoryTenants:
    def __init__(self, tenants: list[Tenant]) -> None:
        self._tenants = tenants

    def list(self) -> list[Tenant]:
        return list(self._tenants)


def fleet(n_tenants: int, n_cases: int) -> tuple[list[Tenant], list[Case]]:
    tenants, cases = [], []
    intents = list(Intent)
    priorities = list(Priority)
    for t in range(n_tenants):
        tid = f"seller{t:03d}-us"
        tenants.append(
            Tenant(
                tenant_id=tid,
                seller_id=f"A{t:05d}",
                region="na",
                marketplace_ids=("ATVPDKIKX0DER",),
                mode=Mode.APPROVE,
                credentials_secret=f"spconnector/{tid}/lwa",
            )
        )
        for c in range(n_cases):
            order = f"11{t % 10}-{t:07d}-{c:07d}"
            opened = NOW - timedelta(minutes=(c * 37 + t * 11) % (48 * 60))
            cases.append(
                Case(
                    tenant=tid,
                    case_id=f"{tid}#order#{order}",
                    amazon_order_id=order,
                    status=STATUSES[c % len(STATUSES)],
                    priority=priorities[c % 4],
                    opened_at=opened,
                    respond_by=opened + timedelta(hours=24),
                    intents=(intents[c % len(intents)],),
                )
            )
    return tenants, cases


def cli_list_path(services: Any, tenants: list[str]) -> int:
    """What `spconnector cases list --json` does per tenant, without its per-case decision
    reads (which would only make the baseline slower)."""
    rows = 0
    for tenant in tenants:
        out = []
        for st in INBOX_STATUSES:
            for case in services.cases.list_cases(tenant, status=st):
                out.append(
                    {
                        "case_id": case.case_id,
                        "status": case.status.value,
                        "priority": case.priority.value,
                        "respond_by": case.respond_by.isoformat(),
                    }
                )
        rows += len(json.dumps(out)) and len(out)
    return rows


def timed(fn: Any, rounds: int) -> tuple[float, Any]:
    fn()  # warm: templates compiled, imports done (a warm Lambda container)
    took, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        took.append((time.perf_counter() - start) * 1000)
    return statistics.median(took), result


def run(services: Services, tenant_ids: list[str], rounds: int, label: str) -> float:
    signer = SessionSigner(b"b" * 32, clock=services.now)
    config = ConsoleConfig(signer=signer, audit=MemoryAuditLog())
    app = build_app(lambda: services, config)
    token, _ = signer.issue(staff_from_groups("admin@agency.example", ["agency-admin"]))

    def inbox() -> dict[str, Any]:
        import io

        event = event_from_environ(
            {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": "/inbox",
                "QUERY_STRING": "",
                "HTTP_COOKIE": f"{COOKIE}={token}",
                "HTTP_HOST": "bench",
                "wsgi.input": io.BytesIO(),
            }
        )
        result: dict[str, Any] = app.resolve(event, None)
        return result

    base_ms, rows = timed(lambda: cli_list_path(services, tenant_ids), rounds)
    inbox_ms, page = timed(inbox, rounds)
    assert page["statusCode"] == 200, page["body"][:300]
    shown = page["body"].count("<tr class=")
    print(
        f"[{label}] {len(tenant_ids)} tenants, {rows} open cases, page of {shown} rows, "
        f"{len(page['body']) // 1024} KiB"
    )
    print(f"[{label}] baseline cases-list path: {base_ms:8.1f} ms (median of {rounds})")
    print(
        f"[{label}] console inbox:            {inbox_ms:8.1f} ms (median of {rounds}), "
        f"{inbox_ms / base_ms:.2f}× baseline"
    )
    return inbox_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--moto", action="store_true", help="also run on CaseStore over moto")
    args = parser.parse_args()

    tenants, cases = fleet(args.tenants, args.cases)
    ids = [t.tenant_id for t in tenants]
    services = Services(settings=Settings(), clock=lambda: NOW)
    services.cases = MemoryCases(cases)  # type: ignore[misc,assignment]
    services.tenants = MemoryTenants(tenants)  # type: ignore[misc,assignment]
    inbox_ms = run(services, ids, args.rounds, "memory store")

    if args.moto:
        from moto import mock_aws

        from spconnector.aws import clients
        from spconnector.aws.table import create_table

        with mock_aws():
            clients.reset_clients()
            create_table(clients.client("dynamodb"), "spconnector-bench")
            on_moto = Services(settings=Settings(table="spconnector-bench"), clock=lambda: NOW)
            for tenant in tenants:
                on_moto.tenants.add(tenant)
            for case in cases:
                on_moto.cases.create(case)
            run(on_moto, ids, max(1, args.rounds // 3), "moto")
        clients.reset_clients()

    met = "met" if inbox_ms < TARGET_MS else "NOT met"
    print(
        f"target inbox_render: {met} ({inbox_ms:.0f} ms server time for "
        f"{args.tenants}×{args.cases} open cases, aim < {TARGET_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
