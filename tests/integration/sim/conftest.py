"""A running SimServer and a plain HTTP client that signs in through its LWA endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from spconnector.sim import SimServer


class SpClient:
    """Just enough of an SP-API client: one LWA token, then plain requests."""

    def __init__(self, sim: SimServer, refresh_token: str | None = None) -> None:
        self.sim = sim
        self.http = httpx.Client(base_url=sim.base_url, timeout=10)
        creds = sim.credentials
        response = self.http.post(
            "/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token or creds["refresh_token"],
                "client_id": creds["lwa_app_id"],
                "client_secret": creds["lwa_client_secret"],
            },
        )
        response.raise_for_status()
        self.token = response.json()["access_token"]

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"x-amz-access-token": self.token, **kwargs.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)


@pytest.fixture
def sim() -> Iterator[SimServer]:
    with SimServer(seed=7) as server:
        yield server


@pytest.fixture
def client(sim: SimServer) -> Iterator[SpClient]:
    c = SpClient(sim)
    yield c
    c.http.close()


class ModelValidator:
    """Validates bodies against a response schema of one of Amazon's Swagger models."""

    def __init__(self, models: Path) -> None:
        self.models = models
        self._cache: dict[str, dict[str, Any]] = {}

    def model(self, stem: str) -> dict[str, Any]:
        if stem not in self._cache:
            self._cache[stem] = json.loads((self.models / f"{stem}.json").read_text())
        return self._cache[stem]

    def response_schema(self, stem: str, operation_id: str, status: int) -> dict[str, Any]:
        model = self.model(stem)
        for ops in model["paths"].values():
            for op in ops.values():
                if isinstance(op, dict) and op.get("operationId") == operation_id:
                    schema = op["responses"][str(status)]["schema"]
                    return {**schema, "definitions": model["definitions"]}
        raise KeyError(f"{stem}:{operation_id}")

    def check(self, stem: str, operation_id: str, response: httpx.Response) -> None:
        schema = self.response_schema(stem, operation_id, response.status_code)
        jsonschema.Draft4Validator(schema).validate(response.json())

    def check_document(self, file: str, data: Any) -> None:
        schema = json.loads((self.models / file).read_text())
        jsonschema.validators.validator_for(schema)(schema).validate(data)


@pytest.fixture(scope="session")
def models(sp_api_models: Path) -> ModelValidator:
    return ModelValidator(sp_api_models)
