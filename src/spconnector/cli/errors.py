"""One rule for the whole CLI: a user's mistake is one line on stderr and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import typer


class UserError(Exception):
    """Bad input from the person at the keyboard: say what and where, never a traceback."""


def one_line(message: str) -> str:
    """The message as one printable line: a line break, control character or lone surrogate
    (from what the person typed, echoed back) is written as its escape, so the error stays
    one line on any terminal."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in message
    )


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {one_line(message)}", err=True)
    raise typer.Exit(2)


def file_problem(path: Path) -> str | None:
    """Why `path` is not a regular file one could read (None: it is one), never raising: a
    name too long for the file system or a path through a file is the user's typing too."""
    try:
        if path.is_file():
            return None
        return "a directory, not a file" if path.is_dir() else "no such file"
    except OSError as exc:  # ENAMETOOLONG, EACCES: is_file() ignores only "not there"
        return exc.strerror or type(exc).__name__


def run_guarded(app: typer.Typer, args: Sequence[str] | None = None) -> None:
    """Run the CLI on `args` (None: sys.argv[1:]). The Click command is built once per app:
    Typer rebuilds it on every `app()` call (~20 ms), which only in-process callers (the fuzz
    target's 20,000 runs of `main`) ever notice."""
    try:
        _command(app).main(args=args, prog_name="spconnector", standalone_mode=True)
    except UserError as exc:
        typer.echo(f"error: {one_line(str(exc))}", err=True)
        sys.exit(2)


@cache
def _command(app: typer.Typer) -> Any:
    return typer.main.get_command(app)
