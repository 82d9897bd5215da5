"""Integration fixtures: moto in-process for the CLI, or a moto HTTP server reached through
SPCONNECTOR_AWS_ENDPOINT exactly as a local run would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from spconnector.aws import clients
from spconnector.aws.table import create_table

TABLE = "spconnector-it"


@pytest.fixture
def mocked_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SPCONNECTOR_TABLE", TABLE)
    monkeypatch.delenv("SPCONNECTOR_AWS_ENDPOINT", raising=False)
    with mock_aws():
        clients.reset_clients()
        create_table(clients.client("dynamodb"), TABLE)
        yield
    clients.reset_clients()
