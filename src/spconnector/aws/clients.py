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
_per_thread = threading.local()  # resources, one set per thread
_generation = 0  # bumped by reset_clients(); resources of an older generation are stale


def region() -> str:
    return (
        os.environ.get(REGION_ENV)
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )


def endpoint_url() -> str | None:
    return os.environ.get(ENDPOINT_ENV) or None


def _shared_session() -> Any:
    global _session
    if _session is None:
        import boto3  # imported lazily: keeps `spconnector --help` fast

        _session = boto3.session.Session()
    return _session


def _config() -> Any:
    from botocore.config import Config

    return Config(retries={"mode": "standard", "max_attempts": 5})


def client(service: str) -> Any:
    """A cached boto3 client. The cache key includes region and endpoint, so changing the
    environment (tests, the demo) gives a fresh client rather than a stale one. Clients are
    thread-safe and shared; they are created under a lock because the session is not."""
    key = (service, region(), endpoint_url())
    cached = _clients.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _clients.get(key)
        if cached is None:
            cached = _shared_session().client(
                service, region_name=key[1], endpoint_url=key[2], config=_config()
            )
            _clients[key] = cached
        return cached


def resource(service: str) -> Any:
    """A boto3 resource for this thread. Resources are not thread-safe (boto3's guide), so each
    thread gets its own, cached, made from the shared session under the lock (boto3.resource()
    would use boto3's default session from many threads, which is not thread-safe either)."""
    if getattr(_per_thread, "generation", None) != _generation:
        _per_thread.resources = {}
        _per_thread.generation = _generation
    cache: dict[tuple[str, str, str | None], Any] = _per_thread.resources
    key = (service, region(), endpoint_url())
    cached = cache.get(key)
    if cached is None:
        with _lock:
            cached = _shared_session().resource(
                service, region_name=key[1], endpoint_url=key[2], config=_config()
            )
        cache[key] = cached
    return cached


def reset_clients(*, session: bool = False) -> None:
    """Forget cached clients and resources (tests, a switched endpoint). `session=True` also
    forgets the session and with it the resolved credentials."""
    global _session, _generation
    with _lock:
        _clients.clear()
        _generation += 1  # every thread's resources are stale from now on
        if session:
            _session = None
