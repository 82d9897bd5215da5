"""The operator CLI `spconnector`. Each capability registers its own command group here."""

from __future__ import annotations

import typer

from spconnector.cli import (
    cases,
    claims,
    console,
    demo,
    impact,
    intake,
    kb,
    local,
    model,
    notifications,
    policy,
    refunds,
    reply,
    sim,
    tenants,
)
from spconnector.cli.errors import run_guarded

app = typer.Typer(
    name="spconnector",
    help="Serverless customer service for Amazon sellers: intake, policy, actions, impact.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(sim.app, name="sim", help="The SP-API simulator.")
app.add_typer(intake.app, name="intake", help="Parse buyer mail and returns reports.")
app.add_typer(policy.app, name="policy", help="Validate, inspect and run policies.")
app.add_typer(reply.app, name="reply", help="Render and lint buyer replies.")
app.add_typer(tenants.app, name="tenants", help="Register and manage tenants (sellers).")
policy.app.command("push")(tenants.policy_push)
policy.app.command("history")(tenants.policy_history)
app.add_typer(kb.app, name="kb", help="Product knowledge base: validate, push, ask.")
app.add_typer(impact.app, name="impact", help="Feedback impact ledger and report.")
app.add_typer(cases.app, name="cases", help="Cases waiting for a person: list, approve, deny.")
app.add_typer(claims.app, name="claims", help="A-to-z claims: list, evidence pack, outcome.")
app.add_typer(refunds.app, name="refunds", help="Refunds a person settles: unknown outcomes.")
app.add_typer(model.app, name="model", help="Train and inspect the understanding model.")
app.add_typer(local.app, name="local", help="Run the Lambdas locally (SAM or in-process).")
app.add_typer(
    notifications.app,
    name="notifications",
    help="SP-API notifications: destination and subscriptions.",
)
app.command("demo")(demo.demo)
app.command("console")(console.console)


def main(args: list[str] | None = None) -> None:
    """The `spconnector` console script; `args` None reads sys.argv."""
    run_guarded(app, args)
