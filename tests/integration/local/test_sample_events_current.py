"""The committed events/ are what `spconnector local events` makes from a seeded environment
today: their ids exist in every seeded environment (the seed depends on the seed number only)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spconnector.local.samples import render_samples
from spconnector.local.template import Template
from tests.chaos.moto_speed import faster_moto

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module", autouse=True)
def _faster_moto() -> Iterator[None]:
    # the seeded environments these commands build: moto sped up as for the chaos runs
    # (tests/chaos/moto_speed.py: the same results, sooner)
    with faster_moto():
        yield


def test_committed_sample_events_are_current() -> None:
    fresh = render_samples(Template.load(REPO / "template.yaml"))
    stale = [
        name
        for name, text in fresh.items()
        if (REPO / "events" / f"{name}.json").read_text() != text
    ]
    assert stale == [], f"regenerate with `spconnector local events --out events/`: {stale}"
