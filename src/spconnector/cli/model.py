"""`spconnector model train|generate|info|understand`: the understanding model."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from spconnector.cli.errors import fail, file_problem

app = typer.Typer(no_args_is_help=True)


@app.command("generate")
def generate() -> None:
    """Rebuild the generated corpus (deterministic) from the templates."""
    from spconnector.understanding.corpus import generate as corpus

    corpus.main([])


@app.command("train")
def train(
    out: Annotated[Path | None, typer.Option(help="where to write the artifact")] = None,
) -> None:
    """Train every head on the training splits and write the artifact (needs scikit-learn)."""
    from spconnector.understanding.model import ARTIFACT

    target = checked_artifact_out(out or ARTIFACT)
    try:
        import sklearn  # noqa: F401
    except ImportError:
        fail("training needs scikit-learn: pip install 'spconnector[train]'")
    from spconnector.understanding import train as training

    try:
        meta = training.train(out=target)
    except OSError as exc:
        fail(f"--out {target}: cannot write: {exc.strerror or exc}")
    typer.echo(json.dumps(meta, sort_keys=True))


def checked_artifact_out(path: Path) -> Path:
    """`path` if the artifact can be written there, or exit 2 with one line: found before
    minutes of training, not after them."""
    problem = _artifact_out_problem(path)
    if problem:
        fail(f"--out {path}: {problem}")
    return path


def _artifact_out_problem(path: Path) -> str | None:
    if path.suffix != ".npz":  # numpy would quietly write `path`.npz instead
        return "the artifact is an .npz file (end the name with .npz)"
    try:
        if any(folder.exists() and not folder.is_dir() for folder in path.parents):
            return "a path through a file"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            return "a directory, not a file"
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            return "not writable"
    except OSError as exc:  # a name too long, a read-only file system, no permission
        return exc.strerror or type(exc).__name__
    except ValueError as exc:  # a NUL, a lone surrogate: no file system name
        return str(exc)
    return None


@app.command("info")
def info(
    artifact: Annotated[Path | None, typer.Option(help="artifact to inspect")] = None,
) -> None:
    """The artifact's version, settings and size."""
    from spconnector.understanding.model import ARTIFACT, UnderstandingModel

    path = artifact or ARTIFACT
    problem = file_problem(path)
    if problem == "no such file":
        fail(f"{path}: no such artifact (run `spconnector model train`)")
    if problem:
        fail(f"{path}: {problem}")
    try:
        model = UnderstandingModel(path)
    except Exception as exc:
        fail(f"{path}: not a readable artifact ({type(exc).__name__})")
    typer.echo(json.dumps({**model.meta, "bytes": path.stat().st_size}, sort_keys=True))


@app.command("understand")
def understand(
    text: Annotated[str, typer.Argument(help="the buyer's words")],
    subject: Annotated[str, typer.Option(help="the mail's subject")] = "",
) -> None:
    """What the model reads in one message, as JSON."""
    from spconnector.understanding.model import default_model

    result = default_model().understand(subject, text)
    typer.echo(json.dumps(result.model_dump(mode="json"), sort_keys=True))
