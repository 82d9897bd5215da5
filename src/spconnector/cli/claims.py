"""`spconnector claims …`: A-to-z claims — list, evidence pack, outcome."""

from __future__ import annotations

import json
from typing import Any

import typer

from spconnector.cli.errors import fail

app = typer.Typer(no_args_is_help=True)


@app.callback()
def claims() -> None:
    """A-to-z Guarantee claims: answered by a person in Seller Central, prepared here."""


def _tenant(tenant_id: str) -> tuple[Any, Any]:
    from spconnector.jobs.services import Services

    services = Services.from_env()
    try:
        tenant = services.tenants.get(tenant_id)
    except ValueError as exc:  # not a tenant id at all (the registry refuses it)
        fail(f"tenant {tenant_id[:100]!r}: {exc}")
    if tenant is None:
        fail(f"no tenant {tenant_id!r}")
    return services, tenant


@app.command("list")
def list_command(tenant: str = typer.Argument(..., help="Tenant id.")) -> None:
    """The tenant's claims with deadlines and outcomes, as JSON."""
    from spconnector.jobs.claims import list_claims

    services, found = _tenant(tenant)
    rows = [c.model_dump(mode="json") for c in list_claims(services, found)]
    typer.echo(json.dumps(rows, indent=2))


@app.command("evidence")
def evidence(
    tenant: str = typer.Argument(..., help="Tenant id."),
    order: str = typer.Argument(..., help="Amazon order id of the claim."),
    as_json: bool = typer.Option(False, "--json", help="The pack as JSON (with its text)."),
) -> None:
    """The evidence pack to paste into Seller Central's claim response."""
    from spconnector.jobs.claims import UnknownClaim, evidence_pack

    services, found = _tenant(tenant)
    try:
        pack = evidence_pack(services, found, order)
    except UnknownClaim as exc:
        fail(str(exc))
    typer.echo(json.dumps(pack.as_dict(), indent=2) if as_json else pack.text())


@app.command("outcome")
def outcome(
    tenant: str = typer.Argument(..., help="Tenant id."),
    order: str = typer.Argument(..., help="Amazon order id of the claim."),
    result: str = typer.Argument(..., help="granted, denied or withdrawn (Amazon's decision)."),
) -> None:
    """Record how Amazon decided the claim (shown in the impact report)."""
    from spconnector.growth.claims import OUTCOMES
    from spconnector.jobs.claims import UnknownClaim, record_outcome

    if result not in OUTCOMES:
        fail(f"outcome must be one of {', '.join(OUTCOMES)}, not {result!r}")
    services, found = _tenant(tenant)
    try:
        settled = record_outcome(services, found, order, result, services.now())
    except UnknownClaim as exc:
        fail(str(exc))
    typer.echo(json.dumps(settled.model_dump(mode="json"), indent=2))
