"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("SPCONNECTOR_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def sp_api_models() -> Path:
    """Amazon's official API models, beside the repo (never copied into it).

    Outside CI a missing folder skips the model checks with a reason; in CI it is an error,
    so a broken checkout cannot pass by skipping.
    """
    path = shared_dir() / "sp-api-models"
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"SP-API models not found at {path} (set SPCONNECTOR_SHARED)")
        pytest.skip(f"SP-API models not found at {path}")
    return path


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach real AWS: fake credentials and a fixed region."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("SP_API_DEFAULT_MARKETPLACE", raising=False)
