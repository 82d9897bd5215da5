"""clients: cached per process, keyed by region and endpoint from the environment."""

from __future__ import annotations

import pytest

from spconnector.aws import clients


def test_region_and_endpoint_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    clients.reset_clients()
    monkeypatch.setenv("SPCONNECTOR_AWS_REGION", "eu-west-1")
    monkeypatch.setenv("SPCONNECTOR_AWS_ENDPOINT", "http://127.0.0.1:4566")
    eu = clients.client("sqs")
    assert eu.meta.region_name == "eu-west-1"
    assert eu.meta.endpoint_url == "http://127.0.0.1:4566"
    assert clients.client("sqs") is eu
    monkeypatch.delenv("SPCONNECTOR_AWS_REGION")
    monkeypatch.delenv("SPCONNECTOR_AWS_ENDPOINT")
    default = clients.client("sqs")
    assert default is not eu  # a changed environment never reuses a stale client
    assert default.meta.region_name == "us-east-1"
    assert "amazonaws.com" in default.meta.endpoint_url
    clients.reset_clients(session=True)
    assert clients.client("sqs") is not default
