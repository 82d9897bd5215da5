"""`spconnector refunds …`: refunds whose outcome only a person can settle."""

from __future__ import annotations

import getpass
import json

import typer

from spconnector.cli.errors import fail

app = typer.Typer(no_args_is_help=True)


@app.command("unsettled")
def unsettled(tenant: str = typer.Option(..., "--tenant", help="Tenant id.")) -> None:
    """Refunds whose outcome is unknown (the money may have moved), as JSON."""
    from spconnector.jobs.refund_settlement import SettlementError
    from spconnector.jobs.refund_settlement import unsettled as list_unsettled
    from spconnector.jobs.services import Services

    try:
        rows = list_unsettled(Services.from_env(), tenant)
    except SettlementError as exc:
        fail(str(exc))
    typer.echo(json.dumps(rows, indent=2))


@app.command("settle")
def settle(
    tenant: str = typer.Argument(..., help="Tenant id."),
    order: str = typer.Argument(..., help="Amazon order id."),
    adjustment: str = typer.Argument(..., help="Our refund id (spc-…), from `unsettled`."),
    paid: bool = typer.Option(
        None, "--paid/--not-paid", help="Did the money move? (check Seller Central first)"
    ),
    note: str = typer.Option(..., "--note", help="What was checked (kept with the refund)."),
    by: str = typer.Option(None, "--by", help="Who settles (default: your login name)."),
) -> None:
    """Settle an unknown refund: --paid (confirmed) or --not-paid (the order may be refunded
    automatically again)."""
    from spconnector.jobs.refund_settlement import SettlementError
    from spconnector.jobs.refund_settlement import settle as settle_refund
    from spconnector.jobs.services import Services

    if paid is None:
        fail("say whether the money moved: --paid or --not-paid")
    try:
        outcome = settle_refund(
            Services.from_env(),
            tenant,
            order,
            adjustment,
            paid=paid,
            by=by or getpass.getuser(),
            note=note,
        )
    except SettlementError as exc:
        fail(str(exc))
    typer.echo(json.dumps(outcome, indent=2))


@app.command("mark-external")
def mark_external(
    tenant: str = typer.Argument(..., help="Tenant id."),
    order: str = typer.Argument(..., help="Amazon order id."),
    amount: str = typer.Argument(..., help="Amount refunded, e.g. 12.99."),
    currency: str = typer.Argument(..., help="Currency, e.g. USD."),
    source: str = typer.Option(..., "--source", help="Where, e.g. seller-central."),
) -> None:
    """Record a refund made outside spconnector: the order never gets an automatic one."""
    from spconnector.jobs.refund_settlement import SettlementError
    from spconnector.jobs.refund_settlement import mark_external as mark
    from spconnector.jobs.services import Services

    try:
        outcome = mark(Services.from_env(), tenant, order, amount, currency, source=source)
    except SettlementError as exc:
        fail(str(exc))
    typer.echo(json.dumps(outcome, indent=2))
