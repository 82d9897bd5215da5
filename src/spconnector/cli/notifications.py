"""`spconnector notifications …`: SP-API notifications to an SQS queue.

`subscribe TENANT --queue-arn ARN` creates (or reuses) the application's SQS destination for the
queue and subscribes the tenant to REPORT_PROCESSING_FINISHED, FEED_PROCESSING_FINISHED and
ORDER_CHANGE. Safe to run again: what exists is reused. The tenant comes from the registry
(SPCONNECTOR_TABLE), its credentials from its Secrets Manager secret; the simulator is reached
through SPCONNECTOR_SP_API_ENDPOINT / SPCONNECTOR_LWA_TOKEN_URL.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, NoReturn

import typer

from spconnector.cli.errors import fail

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _notifications() -> None:
    """SP-API notifications (SQS destination and subscriptions)."""


@app.command()
def subscribe(
    tenant_id: Annotated[str, typer.Argument(metavar="TENANT", help="Tenant id.")],
    queue_arn: Annotated[
        str, typer.Option("--queue-arn", help="ARN of the standard SQS queue to deliver to.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create the SQS destination and subscriptions (idempotent)."""
    from spconnector.sp.subscriptions import sqs_arn_problem

    problem = sqs_arn_problem(queue_arn)
    if problem:
        fail(f"--queue-arn {queue_arn!r}: {problem}")

    from botocore.exceptions import BotoCoreError
    from botocore.exceptions import ClientError as AwsClientError

    from spconnector.aws.tenants import TenantRegistry
    from spconnector.jobs.services import Settings
    from spconnector.jobs.sp_wiring import sp_client_for
    from spconnector.sp.errors import SpApiError
    from spconnector.sp.subscriptions import ensure_notifications

    settings = Settings.from_env()
    try:
        tenant = TenantRegistry(table=settings.table).get(tenant_id)
    except ValueError as exc:
        fail(f"tenant {tenant_id!r}: {exc}")
    except (BotoCoreError, AwsClientError) as exc:
        _operational(f"cannot read the tenant registry ({type(exc).__name__})")
    if tenant is None:
        fail(f"no tenant {tenant_id!r} (see `spconnector tenants list`)")

    try:
        api = sp_client_for(tenant, settings)
    except (BotoCoreError, AwsClientError) as exc:
        _operational(f"tenant {tenant_id!r}: cannot read its credentials ({type(exc).__name__})")
    except (ValueError, SpApiError) as exc:  # the secret is missing or malformed (AuthError;
        # the message names the secret and what it lacks, never a value)
        _operational(f"tenant {tenant_id!r}: {exc}")
    try:
        with api:
            result = ensure_notifications(
                api, queue_arn, destination_name=f"spconnector-{queue_arn.rsplit(':', 1)[-1]}"
            )
    except SpApiError as exc:  # the message carries operation, status and Amazon's code only
        _operational(f"SP-API: {exc}")

    if as_json:
        typer.echo(json.dumps(asdict(result), indent=2))
    else:
        typer.echo(
            f"destination {result.destination_id} ({result.destination_status}) -> {queue_arn}"
        )
        for sub in result.subscriptions:
            typer.echo(
                f"{sub.notification_type} {sub.payload_version}: subscription "
                f"{sub.subscription_id} ({sub.status})"
            )
    for sub in result.conflicts:
        typer.echo(
            f"error: {sub.notification_type} is subscribed to destination {sub.destination_id}, "
            f"not {result.destination_id}; delete that subscription to move it",
            err=True,
        )
    if result.conflicts:
        raise typer.Exit(1)


def _operational(message: str) -> NoReturn:
    """Not the user's typing but the world (AWS, Amazon): one line, exit status 1."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
