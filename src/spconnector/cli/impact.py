"""`spconnector impact …` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spconnector.cli.errors import fail

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
        if path is not None and not path.is_file():
            fail(f"{what}: no such file {path}")
    if out.is_dir():
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
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        fail(f"--out: cannot write {out}: {exc.strerror}")
    typer.echo(str(out))
