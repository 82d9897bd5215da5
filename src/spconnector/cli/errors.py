"""One rule for the whole CLI: a user's mistake is one line on stderr and exit status 2."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer


class UserError(Exception):
    """Bad input from the person at the keyboard: say what and where, never a traceback."""


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def run_guarded(app: typer.Typer) -> None:
    try:
        app(standalone_mode=True)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
