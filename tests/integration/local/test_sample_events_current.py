"""The committed events/ are what `spconnector local events` makes from a seeded environment
today: their ids exist in every seeded environment (the seed depends on the seed number only)."""

from __future__ import annotations

from pathlib import Path

from spconnector.local.samples import render_samples
from spconnector.local.template import Template

REPO = Path(__file__).resolve().parents[3]


def test_committed_sample_events_are_current() -> None:
    fresh = render_samples(Template.load(REPO / "template.yaml"))
    stale = [
        name
        for name, text in fresh.items()
        if (REPO / "events" / f"{name}.json").read_text() != text
    ]
    assert stale == [], f"regenerate with `spconnector local events --out events/`: {stale}"
