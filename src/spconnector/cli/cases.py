"""`spconnector cases …`: what waits for a person, and their verdicts."""

from __future__ import annotations

import contextlib
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

import typer

from spconnector.cli.errors import fail

if TYPE_CHECKING:
    from spconnector.jobs.services import Services

app = typer.Typer(no_args_is_help=True)


def _services() -> Services:
    from spconnector.jobs.services import Services

    return Services.from_env()


@app.command("list")
def list_cases(
    tenant: str = typer.Option(..., "--tenant", help="Tenant id."),
    needs_approval: bool = typer.Option(False, "--needs-approval", help="Only cases waiting."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """List a tenant's cases (most pressing deadline first)."""
    from spconnector.domain import CaseStatus

    services = _services()
    status = CaseStatus.AWAITING_APPROVAL if needs_approval else None
    try:
        cases = services.cases.list_cases(tenant, status=status)
    except Exception as exc:
        fail(f"cannot list cases of {tenant!r}: {exc}")
    rows: list[dict[str, Any]] = []
    for case in cases:
        decisions = services.cases.decisions(tenant, case.case_id)
        last = decisions[-1] if decisions else None
        rows.append(
            {
                "case_id": case.case_id,
                "status": case.status.value,
                "priority": case.priority.value,
                "respond_by": case.respond_by.isoformat(),
                "action": last.action.value if last else None,
                "refund": last.refund.model_dump(mode="json") if last and last.refund else None,
                "explanation": last.explanation if last else None,
            }
        )
    if json_out:
        typer.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"cases of {tenant}" + (" awaiting approval" if needs_approval else ""))
    for column in ("case", "status", "priority", "respond by", "action", "why"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["case_id"]),
            str(row["status"]),
            str(row["priority"]),
            str(row["respond_by"])[:16],
            str(row["action"] or "-"),
            str(row["explanation"] or "")[:80],
        )
    Console().print(table)


@app.command("approve")
def approve(
    case_id: str = typer.Argument(..., help="Case id, e.g. acme-us#order#113-1234567-1234567."),
    by: str = typer.Option(None, "--by", help="Who approves (default: your login name)."),
) -> None:
    """Approve the case's decision and carry it out now."""
    from spconnector.jobs.approvals import ApprovalError
    from spconnector.jobs.approvals import approve as approve_case

    # Powertools prints EMF metric lines on stdout; here stdout carries the outcome.
    with contextlib.redirect_stdout(sys.stderr):
        try:
            outcome = approve_case(_services(), case_id, by=by or getpass.getuser())
        except ApprovalError as exc:
            fail(str(exc))
    typer.echo(json.dumps(outcome, indent=2, default=str))


@app.command("deny")
def deny(
    case_id: str = typer.Argument(..., help="Case id."),
    reason: str = typer.Option(..., "--reason", help="Why (kept with the case)."),
    by: str = typer.Option(None, "--by", help="Who denies (default: your login name)."),
) -> None:
    """Deny the case's decision: nothing is sent, the case closes with the reason."""
    from spconnector.jobs.approvals import ApprovalError
    from spconnector.jobs.approvals import deny as deny_case

    try:
        outcome = deny_case(_services(), case_id, by=by or getpass.getuser(), reason=reason)
    except ApprovalError as exc:
        fail(str(exc))
    typer.echo(json.dumps(outcome, indent=2))


@app.command("notices-read")
def notices_read(
    case_id: str = typer.Argument(..., help="Case id."),
    by: str = typer.Option(None, "--by", help="Who read them (default: your login name)."),
) -> None:
    """Say you have read the Amazon notices about money that could not be read automatically:
    automatic refunds for the order are decided by the policy again."""
    from spconnector.jobs.approvals import ApprovalError
    from spconnector.jobs.approvals import notices_read as mark_read

    try:
        outcome = mark_read(_services(), case_id, by=by or getpass.getuser())
    except ApprovalError as exc:
        fail(str(exc))
    typer.echo(json.dumps(outcome, indent=2))
