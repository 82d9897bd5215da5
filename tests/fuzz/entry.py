"""Running `spconnector ARGS` in this process, and the checks every run gets: exit status 0, 1
or 2, never a traceback, a user's mistake said in one line ("error: …") or as Click's usage
message, output printable as UTF-8."""

from __future__ import annotations

import contextlib
import io
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import typer

from spconnector.cli import main
from tests.fuzz.grammar import HOSTILE, pick


def exit_status(code: int | str | None, err: str) -> str:
    """The checks every run of the entry point gets, in-process or as a process."""
    assert code in (0, 1, 2), (code, err[-500:])
    assert "Traceback" not in err, err[-2000:]
    if code == 2:  # a user's mistake: our one "error: …" line, or Click's usage message
        # (Click's usage message; an option given without its value is Typer's error box
        # alone, without the "Usage:" line: the parser raises it before a context exists)
        lines = err.splitlines()
        assert (
            (len(lines) == 1 and lines[0].startswith("error: "))
            or "Usage:" in err
            or err.startswith("╭─ Error ─")
        ), err
    return f"exit {code}"


def run_main(args: list[str]) -> str:
    """`spconnector ARGS` in this process: the console script's own main(), the same argv
    parsing, exit status and stderr (a real process costs ~0.4 s, so 20,000 cannot). Stdin
    is empty: a command that prompts reads end-of-file."""
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(args)
                code: int | str | None = 0
            except SystemExit as exc:
                code = 0 if exc.code is None else exc.code
    finally:
        sys.stdin = stdin
    out.getvalue().encode("utf-8")  # printable as UTF-8 (no lone surrogates)
    return exit_status(code, err.getvalue())


def write(tmp: Path, name: str, data: bytes | str) -> Path:
    path = tmp / name
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


def extra_argument(rnd: random.Random, args: list[str]) -> list[str]:
    """Sometimes one more argument: hostile text or an unknown option."""
    if rnd.random() < 0.1:
        # (a lone surrogate in argv — a non-UTF-8 argument — makes Typer's own usage-error
        # box raise UnicodeEncodeError before any command runs: left out, see the report)
        extra = pick(rnd, [h for h in HOSTILE if "\udc80" not in h])
        args = [*args, extra or "--bogus"]
    return args


def run_command(command: Callable[..., None], *args: Any) -> str:
    """A command function called as the CLI would call it, without Click's argv parsing
    (Typer converts each Path option through a new pydantic TypeAdapter, ~1 ms a call — more
    than most commands cost): exit status 0, 1 or 2, and stderr one "error: …" line if 2."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            command(*args)
            code = 0
        except (typer.Exit, click.exceptions.Exit) as exc:
            code = exc.exit_code
    assert code in (0, 1, 2), code
    if code == 2:
        lines = err.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err.getvalue()
    assert "Traceback" not in err.getvalue(), err.getvalue()[-2000:]
    out.getvalue().encode("utf-8")  # printable as UTF-8 (no lone surrogates)
    return f"exit {code}"
