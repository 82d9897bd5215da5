"""Fixtures of the SP-API integration tests: Amazon's models and a simulator per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spconnector.sim import SimServer
from tests.unit.sp.model_check import ModelCatalog


@pytest.fixture(scope="module")
def catalog(sp_api_models: Path) -> ModelCatalog:
    return ModelCatalog(sp_api_models)


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(seed=7, time_scale=1.0) as server:
        yield server
