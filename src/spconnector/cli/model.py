"""`spconnector model train|generate|info|understand`: the understanding model."""

from __future__ import annotations

import json
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
    try:
        import sklearn  # noqa: F401
    except ImportError:
        fail("training needs scikit-learn: pip install 'spconnector[train]'")
    from spconnector.understanding import train as training

    meta = training.train(out=out or training.ARTIFACT)
    typer.echo(json.dumps(meta, sort_keys=True))


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
