"""`spconnector impact …` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spconnector.cli.errors import fail, file_problem, one_line

app = typer.Typer(no_args_is_help=True)


@app.callback()
def impact() -> None:
    """Feedback impact: the ledger's aggregates and the HTML report."""


@app.command("report")
def report(
    out: Annotated[Path, typer.Option("--out", help="Where to write the HTML report.")],
    ledger: Annotated[
        Path | None, typer.Option("--ledger", help="Impact records, one JSON object a line.")
    ] = None,
    snapshots: Annotated[
        Path | None,
        typer.Option("--snapshots", help="Feedback snapshots, one JSON object a line."),
    ] = None,
    baseline: Annotated[
        float | None,
        typer.Option("--baseline", min=0.0, max=1.0, help="Baseline negative rate (0-1)."),
    ] = None,
    title: Annotated[str, typer.Option("--title")] = "spconnector — feedback impact",
) -> None:
    """Write the self-contained HTML impact report (works offline)."""
    from spconnector.impact.aggregate import summarize
    from spconnector.impact.feedback import FeedbackSnapshot
    from spconnector.impact.ledger import ImpactRecord, LedgerFileError, read_jsonl
    from spconnector.impact.report import render_report

    for path, what in ((ledger, "--ledger"), (snapshots, "--snapshots")):
        problem = None if path is None else file_problem(path)
        if problem:
            fail(f"{what}: {path}: {problem}")
    if file_problem(out) == "a directory, not a file":
        fail(f"--out: {out} is a directory")
    try:
        summary = summarize(
            read_jsonl(ledger, ImpactRecord) if ledger else (),
            snapshots=read_jsonl(snapshots, FeedbackSnapshot) if snapshots else (),
            baseline_rate=baseline,
        )
    except (LedgerFileError, UnicodeDecodeError) as exc:
        fail(str(exc))
    html = render_report(summary, title=title)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # a lone surrogate (a title from a non-UTF-8 argv, a \udc80 escape in the ledger's
        # JSON) has no UTF-8: written as "?" rather than failing the whole report
        out.write_bytes(html.encode("utf-8", "replace"))
    except OSError as exc:
        fail(f"--out: cannot write {out}: {exc.strerror}")
    typer.echo(one_line(str(out)))  # a non-UTF-8 file name is shown escaped


@app.command("export")
def export(
    tenant: Annotated[str, typer.Option("--tenant", help="Tenant id.")],
    out: Annotated[Path, typer.Option("--out", help="The ledger, one JSON record a line.")],
    snapshots: Annotated[
        Path | None, typer.Option("--snapshots", help="Also write the feedback snapshots here.")
    ] = None,
) -> None:
    """Export a tenant's impact ledger (and snapshots) from the deployment's table.

    The files feed `impact report --ledger/--snapshots` and `policy backtest --ledger`. The
    ledger holds no buyer PII: order ids, actions, amounts, times and feedback outcomes.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    from spconnector.impact.ledger import write_jsonl
    from spconnector.jobs.services import Services

    services = Services.from_env()
    store = services.impact
    try:
        known = services.tenants.get(tenant) is not None
    except ValueError as exc:  # not a tenant id at all (the registry says why)
        fail(f"--tenant {tenant!r}: {exc}")
    except (BotoCoreError, ClientError) as exc:  # the operator's AWS setup: one line
        fail(f"cannot read table {services.settings.table}: {exc}")
    if not known:
        fail(f"no tenant {tenant!r} in table {services.settings.table}")
    try:
        written = write_jsonl(out, store.ledger.iter_records(tenant))
        if snapshots is not None:
            write_jsonl(snapshots, store.snapshots(tenant))
    except OSError as exc:
        fail(f"cannot write {exc.filename}: {exc.strerror}")
    except (BotoCoreError, ClientError) as exc:
        fail(f"cannot read the ledger of {tenant!r}: {exc}")
    typer.echo(one_line(f"{out}: {written} records"))
