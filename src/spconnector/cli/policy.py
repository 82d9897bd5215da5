"""`spconnector policy …` commands: validate, schema, decide, backtest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from spconnector.cli.errors import fail

if TYPE_CHECKING:
    from spconnector.policy import CaseInput, Policy

app = typer.Typer(no_args_is_help=True)


def _load(path: Path) -> Policy:
    from spconnector.policy import PolicyError, load_policy

    try:
        return load_policy(path)
    except PolicyError as exc:
        where = exc.location if exc.location and exc.location != str(path) else None
        fail(f"{path}: {where}: {exc.reason}" if where else f"{path}: {exc.reason}")


def _load_case(path: Path) -> CaseInput:
    from pydantic import ValidationError

    from spconnector.policy import CaseInput
    from spconnector.policy.loader import format_location

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read ({exc.__class__.__name__})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}")
    if not isinstance(data, dict):
        fail(f"{path}: (top): a case is a JSON object (tenant, now, order, …)")
    try:
        return CaseInput.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        fail(f"{path}: {format_location(tuple(err['loc']))}: {msg}")


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="The policy YAML to check.")],
) -> None:
    """Check a policy; errors name their location (rules[3].when.item_value …)."""
    from spconnector.policy import policy_version

    policy = _load(file)
    typer.echo(
        f"ok: {file}: policy {policy.name!r}, {len(policy.rules)} rules, "
        f"{len(policy.catalog)} catalog SKUs, version {policy_version(policy)}"
    )


@app.command()
def schema() -> None:
    """Print the policy JSON Schema (for editors)."""
    from spconnector.policy import policy_json_schema

    typer.echo(json.dumps(policy_json_schema(), indent=2))


@app.command()
def decide(
    policy: Annotated[Path, typer.Option("--policy", help="Policy YAML.")],
    case: Annotated[Path, typer.Option("--case", help="Case JSON.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")] = False,
    mode: Annotated[
        str, typer.Option("--mode", help="Tenant mode: shadow, approve or live.")
    ] = "shadow",
    spent_today: Annotated[
        str | None, typer.Option("--spent-today", help='Refunds spent today, e.g. "120.00 USD".')
    ] = None,
    spent_month: Annotated[
        str | None, typer.Option("--spent-month", help="Refunds spent this month.")
    ] = None,
) -> None:
    """Decide one case under a policy and explain why."""
    from spconnector.domain import Mode
    from spconnector.domain.case import TimestampOutOfRange
    from spconnector.policy import TenantState, decide, resolve_intent

    loaded = _load(policy)
    case_input = resolve_intent(_load_case(case))
    try:
        state = TenantState(
            mode=Mode(mode),
            spent_today=_money(spent_today, "--spent-today"),
            spent_month=_money(spent_month, "--spent-month"),
        )
    except ValueError:
        fail(f"--mode: {mode!r} is not one of shadow, approve, live")
    try:
        decision = decide(loaded, case_input, tenant_state=state)
    except TimestampOutOfRange as exc:
        fail(f"{case}: {exc}")
    if as_json:
        typer.echo(json.dumps(decision.model_dump(mode="json"), indent=2))
        return
    refund = decision.refund
    typer.echo(f"action:   {decision.action.value}")
    if refund is not None:
        back = " (after the return)" if refund.requires_return else " (no return needed)"
        typer.echo(f"refund:   {refund.amount} {refund.currency}{back}")
    typer.echo(f"approval: {'needed' if decision.needs_approval else 'not needed'}")
    typer.echo(f"reply:    {decision.reply_template or '-'}   priority: {decision.priority}")
    typer.echo(f"why:      {decision.explanation}")


def _money(text: str | None, option: str) -> Any:
    if text is None:
        return None
    from spconnector.domain import Money

    amount, _, currency = text.strip().partition(" ")
    try:
        return Money.of(amount, currency.strip().upper() or "USD")
    except Exception:
        fail(f'{option}: {text!r} is not an amount like "120.00 USD"')


@app.command()
def backtest(
    policy: Annotated[Path, typer.Option("--policy", help="Policy YAML.")],
    returns: Annotated[Path, typer.Option("--returns", help="Returns report (TSV, MFN or FBA).")],
    messages: Annotated[
        Path | None, typer.Option("--messages", help="Folder of buyer-message .eml files.")
    ] = None,
    feedback: Annotated[
        Path | None, typer.Option("--feedback", help="Seller feedback report (TSV).")
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            help="Impact ledger export (JSON lines): enables the expected feedback effect.",
        ),
    ] = None,
    baseline: Annotated[
        float | None,
        typer.Option(
            "--baseline",
            min=0.0,
            max=1.0,
            help="The seller's negative-feedback rate per order (0-1), the prior's centre.",
        ),
    ] = None,
    compare_policy: Annotated[
        Path | None,
        typer.Option(
            "--compare-policy",
            help="A second policy replayed on the same history, for the comparison.",
        ),
    ] = None,
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant id for the replay.")] = "backtest",
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Replay history through a policy: what it would have done, cost and stopped, and
    (with --ledger) the feedback it can be expected to draw."""
    from spconnector.backtest import BacktestInputError, render_text, run_backtest

    loaded = _load(policy)
    reference = _load(compare_policy) if compare_policy is not None else None
    if ledger is not None and not ledger.is_file():
        fail(f"--ledger: no such file {ledger}")
    if reference is not None and ledger is None:
        fail("--compare-policy: needs --ledger (the rates the comparison rests on)")
    try:
        result = run_backtest(
            loaded,
            returns_path=returns,
            messages_dir=messages,
            feedback_path=feedback,
            ledger_path=ledger,
            baseline_rate=baseline,
            compare_policy=reference,
            tenant=tenant,
            progress=not as_json,
        )
    except BacktestInputError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
    else:
        typer.echo(render_text(result))
