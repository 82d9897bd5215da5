"""`spconnector demo`: one full cycle on the embedded default (simulator + moto)."""

from __future__ import annotations

import typer


def demo(
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Run the demo on the embedded default: no AWS or Amazon account needed."""
    from spconnector.local.demo import run_demo  # imported late: keeps `--help` fast

    run_demo(json_out=json_out)
