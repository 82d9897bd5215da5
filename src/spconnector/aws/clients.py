"""One place that makes boto3 clients: lazily, once per process, honouring an endpoint
override (moto server, LocalStack) and the region from the environment."""

from __future__ import annotations

import os
import threading
from typing import Any

ENDPOINT_ENV = "SPCONNECTOR_AWS_ENDPOINT"
REGION_ENV = "SPCONNECTOR_AWS_REGION"
DEFAULT_REGION = "us-east-1"

_lock = threading.Lock()
_clients: dict[tuple[str, str, str | None], Any] = {}
_session: Any = None  # one botocore session: its loader keeps parsed service models


def region() -> str:
    return (
        os.environ.get(REGION_ENV)
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )


def endpoint_url() -> str | None:
    return os.environ.get(ENDPOINT_ENV) or None


def client(service: str) -> Any:
    """A cached boto3 client. The cache key includes region and endpoint, so changing the
    environment (tests, the demo) gives a fresh client rather than a stale one."""
    key = (service, region(), endpoint_url())
    cached = _clients.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _clients.get(key)
        if cached is None:
            global _session
            import boto3  # imported lazily: keeps `spconnector --help` fast
            from botocore.config import Config

            if _session is None:
                _session = boto3.session.Session()
            config = Config(retries={"mode": "standard", "max_attempts": 5})
            cached = _session.client(
                service, region_name=key[1], endpoint_url=key[2], config=config
            )
            _clients[key] = cached
        return cached


def reset_clients(*, session: bool = False) -> None:
    """Forget cached clients (tests, a switched endpoint). `session=True` also forgets the
    session and with it the resolved credentials."""
    global _session
    with _lock:
        _clients.clear()
        if session:
            _session = None
