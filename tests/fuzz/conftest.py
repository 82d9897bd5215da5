"""Fixtures of the fuzz targets: where their input files are written, and the in-memory
services the commands that talk to AWS run against."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz.wiring import CliServices


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where each input's file is written: in memory (/dev/shm) where there is one — a file
    on this machine's disk costs 0.6 ms to write, more than most commands take to read it."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("fuzz-cli")
        return
    where = Path(tempfile.mkdtemp(prefix="spconnector-fuzz-cli-", dir=shm))
    try:
        yield where
    finally:
        shutil.rmtree(where, ignore_errors=True)


@pytest.fixture
def cli_services(monkeypatch: pytest.MonkeyPatch) -> Iterator[CliServices]:
    """The CLI's AWS-facing commands wired to in-memory services (see wiring.py)."""
    wired = CliServices()
    wired.install(monkeypatch)
    try:
        yield wired
    finally:
        wired.stop()
