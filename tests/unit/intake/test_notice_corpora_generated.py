"""The committed intake corpora are what their generators write: each generator, run into an
empty folder, writes the corpus's .eml files and expected.json byte for byte — so the shared
shapes (tests/fixtures/intake/notice_mail.py) cannot change a corpus unseen, and a changed
fixture is always a changed generator."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import fixture_generators


@pytest.mark.parametrize(
    "corpus", ["notices", "layouts", "layouts2", "layouts3", "layouts4", "layouts5", "layouts6"]
)
def test_a_corpus_is_what_its_generator_writes(corpus: str, tmp_path: Path) -> None:
    fixture_generators.fresh(corpus).main(tmp_path)
    committed = fixture_generators.INTAKE_FIXTURES / corpus
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(
        p.name for p in committed.iterdir() if p.suffix == ".eml" or p.name == "expected.json"
    )
    for name in written:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
