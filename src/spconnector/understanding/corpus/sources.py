"""Where the labelled messages live, and which of them training may read.

- generated_train.jsonl / generated_blind.jsonl: generate.py, from disjoint templates;
- natural_train.jsonl / natural_blind.jsonl: hand-written messages (copied from the intake
  fixtures corpus/train_extra/holdout* and eval_blind/eval_blind2; `origin` names the file).
  natural_blind.jsonl is frozen (a test pins its hash) and was written independently.
- handwritten_train.jsonl: more hand-written training messages with `wants` labels (H5b);
- dev.jsonl: hand-written messages for checking progress while working (`dev_rows()`); never
  trained on, and not a substitute for the blind splits.
Training reads `training_rows()` only; the benches and tests read `blind_rows()`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
Row = dict[str, Any]
TRAIN_FILES = {
    "generated": "generated_train.jsonl",
    "natural": "natural_train.jsonl",
    "handwritten": "handwritten_train.jsonl",
}
BLIND_FILES = {"generated": "generated_blind.jsonl", "natural": "natural_blind.jsonl"}


def _read(name: str, source: str) -> Iterator[Row]:
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line:
            row = json.loads(line)
            row["source"] = source
            yield row


def training_rows() -> Iterator[Row]:
    for source, name in TRAIN_FILES.items():
        yield from _read(name, source)


def blind_rows(source: str) -> list[Row]:
    """`generated` (templates never trained on) or `natural` (independently written)."""
    return list(_read(BLIND_FILES[source], source))


def dev_rows() -> list[Row]:
    return list(_read("dev.jsonl", "dev"))
