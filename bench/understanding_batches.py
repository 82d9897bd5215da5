"""Leave-one-batch-out: how well the model reads hand-written training batches it was not fitted on.

    .venv/bin/python bench/understanding_batches.py                    # the default folds
    .venv/bin/python bench/understanding_batches.py --fold a --fold c+e  # chosen folds
    .venv/bin/python bench/understanding_batches.py --without k          # as if k were not there

Each fold is one batch (corpus.sources.batched_training_rows: natural, handwritten, or a written
batch's letter; `c+e` holds several out together): the model is fitted with train.py's SETTINGS
on every other training row and reads the held-out rows (body only). Prints correct intents and
wants per fold and in total. It reads training rows only: no dev or blind split is opened, so it
can choose settings and batches without spending a measured set. One fit per fold (a minute or
more each).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spconnector.understanding.corpus.sources import batched_training_rows  # noqa: E402
from spconnector.understanding.model import UnderstandingModel  # noqa: E402
from spconnector.understanding.train import train  # noqa: E402

DEFAULT_FOLDS = ("natural", "handwritten", "a", "b", "d", "c+e+f+g+h+i+j")


def _values(flag: str) -> list[str]:
    return [sys.argv[i + 1] for i, arg in enumerate(sys.argv[:-1]) if arg == flag]


def main() -> int:
    batched = list(batched_training_rows())
    names = {batch for batch, _ in batched}
    folds = _values("--fold") or list(DEFAULT_FOLDS)
    without = set(_values("--without"))
    for name in [*without, *(part for fold in folds for part in fold.split("+"))]:
        if name not in names:
            print(f"unknown batch {name!r}; batches: {', '.join(sorted(names))}", file=sys.stderr)
            return 2
    totals = [0, 0, 0, 0]  # intents right, rows, wants right, rows with wants
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fold.npz"
        for fold in folds:
            held_names = set(fold.split("+"))
            # Training's own row order: the calibration folds and the solver depend on it.
            rows = [row for batch, row in batched if batch not in held_names | without]
            held = [row for batch, row in batched if batch in held_names]
            train(rows, out)
            model = UnderstandingModel(out)
            read = [model.understand("", row["text"]) for row in held]
            intents = sum(u.intent.value == r["intent"] for u, r in zip(read, held, strict=True))
            labelled = [(u, r) for u, r in zip(read, held, strict=True) if r.get("wants")]
            wants = sum(u.wants.value == r["wants"] for u, r in labelled)
            for i, n in enumerate((intents, len(held), wants, len(labelled))):
                totals[i] += n
            print(
                f"{fold:<16} intent {intents}/{len(held)}  wants {wants}/{len(labelled)}",
                flush=True,
            )
    right, rows_n, wants_right, wants_n = totals
    print(
        f"{'total':<16} intent {right}/{rows_n} ({right / rows_n:.1%})  "
        f"wants {wants_right}/{wants_n} ({wants_right / max(wants_n, 1):.1%})"
        + (f"  without {', '.join(sorted(without))}" if without else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
