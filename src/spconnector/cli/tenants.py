"""`spconnector tenants …` commands, and `policy push` / `policy history` (hung under
`spconnector policy` by cli/__init__.py).

The table and AWS endpoint come from SPCONNECTOR_TABLE and SPCONNECTOR_AWS_ENDPOINT.
Credentials are read without echo (or from a JSON file) and go straight to Secrets Manager;
they are never printed, stored in the table or put in an error message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from spconnector.cli.errors import fail
from spconnector.cli.tenant_inputs import (
    check_credentials,
    credentials_from_input,
    first_problem,
    parse_marketplace_ids,
    parse_money,
    validated_policy,
)

if TYPE_CHECKING:
    from spconnector.aws.tenants import TenantRegistry
    from spconnector.domain import Tenant

_IMAP_HELP = (
    "Secrets Manager secret spconnector/<tenant>/imap: host, port, username, password, mailbox."
)
_SMTP_HELP = (
    "Secrets Manager secret spconnector/<tenant>/smtp: host, port, username, password, "
    "security (ssl or starttls). Replies then leave through this mailbox, not SES."
)

app = typer.Typer(no_args_is_help=True)

TenantArg = Annotated[str, typer.Argument(help="Tenant id (lowercase letters, digits, dashes).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _registry() -> TenantRegistry:
    from spconnector.aws.tenants import TenantRegistry

    return TenantRegistry()


def _tenant_or_fail(registry: TenantRegistry, tenant_id: str) -> Tenant:
    try:
        tenant = registry.get(tenant_id)
    except ValueError as exc:
        fail(f"tenant {tenant_id!r}: {exc}")
    if tenant is None:
        fail(f"no tenant {tenant_id!r} (see `spconnector tenants list`)")
    return tenant


def _aws_call_failed(exc: Exception) -> NoReturn:
    """AWS being unreachable or refusing is not a bug: one line, no traceback."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        fail(f"AWS refused: {error.get('Code', '?')} {error.get('Message', '')}".rstrip())
    if isinstance(exc, BotoCoreError):
        fail(f"AWS not reachable: {type(exc).__name__}")
    raise exc


def _tenant_json(tenant: Tenant) -> dict[str, Any]:
    data: dict[str, Any] = tenant.model_dump(mode="json")
    return data


def _print_tenant(tenant: Tenant, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        typer.echo(json.dumps({**_tenant_json(tenant), **(extra or {})}, indent=2))
        return
    for key, value in {**_tenant_json(tenant), **(extra or {})}.items():
        typer.echo(f"{key}: {value}")


@app.command("add")
def add(
    tenant_id: TenantArg,
    seller_id: Annotated[str, typer.Option("--seller-id", help="The Amazon merchant token.")],
    marketplace: Annotated[
        list[str], typer.Option("--marketplace", "-m", help="Marketplace id or country (US, DE…).")
    ],
    mode: Annotated[str, typer.Option(help="shadow, approve or live.")] = "shadow",
    approved_sender: Annotated[
        str | None, typer.Option(help="From address approved in Messaging Permissions.")
    ] = None,
    ses_recipient: Annotated[str | None, typer.Option(help="Inbound address (SES).")] = None,
    imap_secret: Annotated[
        str | None,
        typer.Option(help=_IMAP_HELP),
    ] = None,
    smtp_secret: Annotated[str | None, typer.Option(help=_SMTP_HELP)] = None,
    alarm_contact: Annotated[list[str] | None, typer.Option(help="Who hears alarms.")] = None,
    policy: Annotated[Path | None, typer.Option(help="Policy YAML to validate and push.")] = None,
    credentials_file: Annotated[
        Path | None, typer.Option(help="JSON with lwa_app_id, lwa_client_secret, refresh_token.")
    ] = None,
    lwa_app_id: Annotated[str | None, typer.Option(help="LWA client id (not secret).")] = None,
    test_credentials: Annotated[
        bool, typer.Option("--test-credentials", help="Check them with Amazon first.")
    ] = False,
    sp_endpoint: Annotated[
        str | None,
        typer.Option(envvar="SPCONNECTOR_SP_API_ENDPOINT", help="SP-API base URL (simulator)."),
    ] = None,
    lwa_url: Annotated[
        str | None,
        typer.Option(envvar="SPCONNECTOR_LWA_TOKEN_URL", help="LWA token URL (simulator)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Register a tenant: its credentials secret, its record and (optionally) its policy."""
    from pydantic import ValidationError

    from spconnector.aws.errors import AlreadyExists
    from spconnector.aws.secrets import put_credentials, secret_name_for
    from spconnector.domain import Tenant

    marketplace_ids, region = parse_marketplace_ids(marketplace)
    try:
        tenant = Tenant(
            tenant_id=tenant_id,
            seller_id=seller_id,
            region=region,
            marketplace_ids=marketplace_ids,
            mode=mode,  # validated by the model
            approved_sender=approved_sender,
            ses_recipient=ses_recipient,
            imap_mailbox=imap_secret,
            smtp_mailbox=smtp_secret,
            alarm_contacts=tuple(alarm_contact or ()),
            credentials_secret=secret_name_for(tenant_id),
        )
    except (ValidationError, ValueError) as exc:
        fail(f"tenant {tenant_id!r}: {first_problem(exc)}")
    policy_text = validated_policy(policy)[0] if policy is not None else None
    registry = _registry()
    try:
        if registry.get(tenant_id) is not None:
            fail(f"tenant {tenant_id!r} already exists (use `spconnector tenants update`)")
        creds = credentials_from_input(credentials_file, lwa_app_id)
        if test_credentials:
            check_credentials(tenant, creds, sp_endpoint, lwa_url)
        put_credentials(tenant_id, creds)
        try:
            registry.add(tenant)
        except AlreadyExists:
            fail(f"tenant {tenant_id!r} already exists (use `spconnector tenants update`)")
        if policy_text is not None:
            registry.push_policy(tenant_id, policy_text)
            tenant = registry.require(tenant_id)
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_call_failed(exc)
    _print_tenant(tenant, as_json)


@app.command("list")
def list_tenants(as_json: JsonOpt = False) -> None:
    """All tenants."""
    try:
        tenants = _registry().list()
    except Exception as exc:
        _aws_call_failed(exc)
    if as_json:
        typer.echo(json.dumps([_tenant_json(t) for t in tenants], indent=2))
        return
    if not tenants:
        typer.echo("no tenants")
    for t in tenants:
        state = "paused" if t.paused else t.mode.value
        markets = ",".join(t.marketplace_ids)
        typer.echo(f"{t.tenant_id}\t{t.region}\t{markets}\t{state}\t{t.policy_version or '-'}")


@app.command("show")
def show(tenant_id: TenantArg, as_json: JsonOpt = False) -> None:
    """One tenant, with its current policy version and whether its secret exists."""
    from spconnector.aws.secrets import secret_exists

    registry = _registry()
    try:
        tenant = _tenant_or_fail(registry, tenant_id)
        current = registry.current_policy(tenant_id)
        extra = {
            "credentials_secret_exists": secret_exists(tenant.credentials_secret),
            "policy_pushed_at": current.pushed_at.isoformat() if current else None,
        }
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_call_failed(exc)
    _print_tenant(tenant, as_json, extra)


@app.command("update")
def update(
    tenant_id: TenantArg,
    mode: Annotated[str | None, typer.Option(help="shadow, approve or live.")] = None,
    marketplace: Annotated[list[str] | None, typer.Option("--marketplace", "-m")] = None,
    approved_sender: Annotated[str | None, typer.Option()] = None,
    ses_recipient: Annotated[str | None, typer.Option()] = None,
    imap_secret: Annotated[str | None, typer.Option(help=_IMAP_HELP)] = None,
    smtp_secret: Annotated[str | None, typer.Option(help=_SMTP_HELP)] = None,
    alarm_contact: Annotated[list[str] | None, typer.Option()] = None,
    autonomy_limit: Annotated[
        str | None, typer.Option(help="A single refund above this needs a person: '25 EUR'.")
    ] = None,
    daily_refunds: Annotated[str | None, typer.Option(help="Daily refund budget.")] = None,
    monthly_refunds: Annotated[str | None, typer.Option(help="Monthly refund budget.")] = None,
    feedback_follow_up: Annotated[
        bool | None, typer.Option("--feedback-follow-up/--no-feedback-follow-up")
    ] = None,
    finances_check_required: Annotated[
        bool | None,
        typer.Option(
            "--finances-check-required/--finances-check-optional",
            help="Without an answer from Amazon's Finances API (no Finance role), a person "
            "decides every automatic refund (required) or the check is skipped (optional).",
        ),
    ] = None,
    credentials_file: Annotated[
        Path | None, typer.Option(help="Replace the credentials from this JSON file.")
    ] = None,
    rotate_credentials: Annotated[
        bool, typer.Option("--rotate-credentials", help="Prompt for new credentials.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Change a tenant's settings (only the options given) or its credentials."""
    from pydantic import ValidationError

    from spconnector.aws.secrets import put_credentials

    registry = _registry()
    try:
        tenant = _tenant_or_fail(registry, tenant_id)
        changes: dict[str, Any] = {}
        if mode is not None:
            changes["mode"] = mode
        if marketplace:
            changes["marketplace_ids"], changes["region"] = parse_marketplace_ids(marketplace)
        if approved_sender is not None:
            changes["approved_sender"] = approved_sender or None
        if ses_recipient is not None:
            changes["ses_recipient"] = ses_recipient or None
        if imap_secret is not None:
            changes["imap_mailbox"] = imap_secret or None
        if smtp_secret is not None:
            changes["smtp_mailbox"] = smtp_secret or None
        if alarm_contact is not None:
            changes["alarm_contacts"] = tuple(alarm_contact)
        if feedback_follow_up is not None:
            changes["feedback_follow_up"] = feedback_follow_up
        if finances_check_required is not None:
            changes["finances_check_required"] = finances_check_required
        budgets = {
            name: parse_money(f"--{name.replace('_', '-')}", text)
            for name, text in (
                ("autonomy_limit", autonomy_limit),
                ("daily_refunds", daily_refunds),
                ("monthly_refunds", monthly_refunds),
            )
            if text is not None
        }
        if budgets:
            changes["budgets"] = {**tenant.budgets.model_dump(), **budgets}
        if credentials_file is not None or rotate_credentials:
            put_credentials(tenant_id, credentials_from_input(credentials_file, None))
        if changes:
            try:
                tenant = registry.update(tenant_id, **changes)
            except ValidationError as exc:
                fail(f"tenant {tenant_id!r}: {first_problem(exc)}")
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_call_failed(exc)
    _print_tenant(tenant, as_json)


@app.command("pause")
def pause(tenant_id: TenantArg) -> None:
    """Stop acting for a tenant (intake continues; nothing is sent or refunded)."""
    _set_paused(tenant_id, True)


@app.command("resume")
def resume(tenant_id: TenantArg) -> None:
    """Act for a paused tenant again."""
    _set_paused(tenant_id, False)


def _set_paused(tenant_id: str, paused: bool) -> None:
    registry = _registry()
    try:
        _tenant_or_fail(registry, tenant_id)
        tenant = registry.pause(tenant_id) if paused else registry.resume(tenant_id)
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_call_failed(exc)
    typer.echo(f"{tenant.tenant_id}: {'paused' if tenant.paused else 'active'}")


def policy_push(
    tenant_id: TenantArg,
    file: Annotated[Path, typer.Argument(help="The policy YAML.")],
    as_json: JsonOpt = False,
) -> None:
    """Validate a policy and make it the tenant's current one (every version is kept)."""
    registry = _registry()
    text, _ = validated_policy(file)
    try:
        _tenant_or_fail(registry, tenant_id)
        record = registry.push_policy(tenant_id, text)
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_call_failed(exc)
    summary = {
        "tenant": tenant_id,
        "seq": record.seq,
        "version": record.version,
        "pushed_at": record.pushed_at.isoformat(),
    }
    typer.echo(json.dumps(summary, indent=2) if as_json else f"{tenant_id}: {record.version}")


def policy_history(tenant_id: TenantArg, as_json: JsonOpt = False) -> None:
    """Every policy version pushed for a tenant, oldest first."""
    registry = _registry()
    try:
        _tenant_or_fail(registry, tenant_id)
        history = registry.policy_history(tenant_id)
    except typer.Exit:
        raise
    except Exception as exc:
        _aws_call_failed(exc)
    rows = [
        {"seq": r.seq, "version": r.version, "pushed_at": r.pushed_at.isoformat()} for r in history
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo(f"{tenant_id}: no policy pushed")
    for row in rows:
        typer.echo(f"{row['seq']}\t{row['version']}\t{row['pushed_at']}")
