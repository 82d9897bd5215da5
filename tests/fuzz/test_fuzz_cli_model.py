"""Fuzz: `model understand` (buyer text and subject: hostile unicode, lone surrogates,
controls, empty, huge, mixed scripts; unknown options) and `model info` (hostile artifact
paths: missing, a directory, an empty or cut file, a mutated copy of the shipped artifact, an
archive without the arrays or with an unreadable `meta`), each its own target. Each input
prints its result or exits 2 with one line (or Click's usage message); never a traceback,
never over a second of CPU. One input in MAIN_SHARE goes through the console script's main()
(argv parsing, exit status); the rest call the command function as main() would.

`model train` (a training run of minutes) is fuzzed at the level of its `--out` check in
test_fuzz_cli_servers.py; `model generate` has no options.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given

from spconnector.cli.model import info, understand
from spconnector.understanding.model import ARTIFACT
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.entry import extra_argument, run_command, run_main, write
from tests.fuzz.grammar import HOSTILE, junk, pick, value

UNDERSTAND_INPUTS = 20_000
INFO_INPUTS = 20_000
MAIN_SHARE = 0.1
TEXTS = [
    "The garlic press arrived broken, the handle snapped off. I want a refund.",
    "Die Presse ist kaputt angekommen. Bitte Ersatz schicken.",
    "where is my order?? it has been 3 weeks",
    "Thank you, all good!",
    "La presse est arrivée cassée, je veux être remboursé.",
    "Is it dishwasher safe?",
    "ИДИОТЫ верните деньги",
    "注文した商品が届きません",
]
SUBJECTS = ["", "Re: Order 113-1234567-1234567", "Refund", "Inquiry from Amazon customer"]

understand_tally = Tally(UNDERSTAND_INPUTS)
info_tally = Tally(INFO_INPUTS)


def _text(rnd: random.Random) -> str:
    roll = rnd.random()
    if roll < 0.5:
        return value(rnd, TEXTS)
    if roll < 0.75:  # real words with hostile pieces spliced in
        text = pick(rnd, TEXTS)
        at = rnd.randrange(len(text) + 1)
        return text[:at] + pick(rnd, HOSTILE) + junk(rnd, 10) + text[at:]
    if roll < 0.97:
        return junk(rnd, 400)
    # long (~7 ms each, so 1 in 40): pasted threads, repeated characters, one giant "word"
    if roll < 0.995:
        return pick(rnd, [*TEXTS, "a", "é", "\u202e", "-", " "]) * rnd.randrange(50, 2_000)
    return pick(rnd, TEXTS) * 1_200  # ~80 KB, the largest body intake keeps


@fuzz_settings(UNDERSTAND_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_model_understand(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        text = _text(rnd)
        subject = value(rnd, SUBJECTS) if rnd.random() < 0.5 else ""
        if rnd.random() < MAIN_SHARE:
            # argv is text the OS decoded: a lone surrogate there is Typer's own usage box
            # failing, left out as in entry.extra_argument
            text = text.encode("utf-8", "replace").decode("utf-8")
            subject = subject.encode("utf-8", "replace").decode("utf-8")
            args = ["model", "understand", text]
            args += ["--subject", subject] if subject or rnd.random() < 0.3 else []
            understand_tally.run(run_main, extra_argument(rnd, args))
        else:
            understand_tally.run(run_command, understand, text, subject)


def _npz(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.fixture(scope="module")
def artifacts(tmp: Path) -> list[Path]:
    """Artifacts an operator could point `--artifact` at: the shipped one, and archives that
    look like it but are not (built once; the per-input mutations are cut or flipped bytes)."""
    real_meta = json.dumps({"version": "fuzz", "settings": {}, "heads": ["intent"]})
    made = {
        "no-meta.npz": _npz({"x": np.zeros(3)}),
        "meta-not-json.npz": _npz({"meta": np.array("{not json")}),
        "meta-list.npz": _npz({"meta": np.array("[1, 2]")}),
        "meta-no-arrays.npz": _npz({"meta": np.array(real_meta)}),
        "meta-number.npz": _npz({"meta": np.array(3.5)}),
        "object-array.npz": b"",  # filled below: pickled arrays are refused, never loaded
    }
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.array([{"version": "x"}], dtype=object))
    made["object-array.npz"] = buffer.getvalue()
    return [ARTIFACT] + [write(tmp, name, data) for name, data in made.items()]


def _artifact(rnd: random.Random, tmp: Path, n: int, artifacts: list[Path]) -> Path:
    roll = rnd.random()
    if roll < 0.002:  # the real one: loading it costs ~0.1 s, so rarely
        return ARTIFACT
    if roll < 0.35:
        return artifacts[1 + rnd.randrange(len(artifacts) - 1)]
    if roll < 0.45:
        return tmp  # a directory
    if roll < 0.6:
        return tmp / f"missing-{value(rnd, ['model.npz'])}".replace("/", "_").replace("\x00", "")
    if roll < 0.8:  # a crafted archive, cut or with a byte flipped
        data = bytearray(artifacts[1 + rnd.randrange(len(artifacts) - 1)].read_bytes())
        if rnd.random() < 0.5:
            del data[rnd.randrange(len(data) + 1) :]
        elif data:
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
        return write(tmp, f"i{n}.npz", bytes(data))
    if roll < 0.9:  # the shipped artifact's first bytes: a zip whose directory is missing
        with ARTIFACT.open("rb") as handle:
            return write(tmp, f"i{n}.npz", handle.read(rnd.randrange(1, 4096)))
    return write(tmp, f"i{n}.npz", junk(rnd, 200))


@fuzz_settings(INFO_INPUTS)
@given(seed=SEEDS)
def test_fuzz_cli_model_info(tmp: Path, artifacts: list[Path], seed: int) -> None:
    rnd = random.Random(seed)
    for n in range(BATCH):
        artifact = _artifact(rnd, tmp, n, artifacts)
        if rnd.random() < MAIN_SHARE:
            args = ["model", "info"]
            args += ["--artifact", str(artifact)] if rnd.random() < 0.9 else ["--artifact"]
            info_tally.run(run_main, extra_argument(rnd, args))
        else:
            info_tally.run(run_command, info, artifact)


def test_fuzz_cli_model_ran_their_inputs() -> None:
    for tally in (understand_tally, info_tally):
        tally.check()
        assert tally.outcomes.get("exit 0", 0) > 0, tally.outcomes
    assert info_tally.outcomes.get("exit 2", 0) > 0, info_tally.outcomes
