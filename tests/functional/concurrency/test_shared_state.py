"""Per-process state that threads share (the CLI, local runs, the bench, the simulator's
clients): made once, or once per thread where the library is not thread-safe."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from spconnector.aws import clients
from spconnector.jobs.services import Services, Settings
from spconnector.sp import library

THREADS = 8


def _in_threads(fn: Callable[[int], Any], n: int = THREADS) -> list[Any]:
    results: list[Any] = [None] * n
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, fn(i))) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_threads_asking_at_once_share_one_sp_client_per_tenant() -> None:
    made: list[object] = []
    # Every thread is inside the factory before any returns: the worst interleaving, every time.
    inside = threading.Barrier(THREADS, timeout=10)

    def factory(tenant: Any) -> object:
        client = object()
        made.append(client)
        inside.wait()
        return client

    services = Services(settings=Settings(), sp_factory=factory)
    tenant: Any = SimpleNamespace(tenant_id="t1")  # sp() reads only the id
    got = _in_threads(lambda _i: services.sp(tenant))

    assert len(made) == THREADS  # each made one…
    assert len({id(c) for c in got}) == 1  # …but all use the same, the one kept
    assert services.sp(tenant) is got[0]


def test_act_idempotency_layer_is_configured_before_threads_share_it() -> None:
    """Powertools' configure() sets `configured` before the key expression: a thread calling
    in between would key the action on the whole body. Ours is configured when made."""
    services = Services(settings=Settings())
    persistence = services._act_persistence("t1")
    assert persistence.static_pk_value == "t1#idempotency#act"  # one partition per tenant
    assert services._act_persistence("t1") is persistence
    assert persistence.configured
    assert persistence.event_key_jmespath == "[tenant, case_id, decision]"
    assert persistence.expires_after_seconds == 7 * 24 * 3600
    body = {"tenant": "t1", "case_id": "c1", "decision": 1}
    key = persistence._get_hashed_idempotency_key(body)
    assert key == persistence._get_hashed_idempotency_key(body | {"approved_by": "owner"})


def test_resources_are_per_thread_and_reset_with_the_clients() -> None:
    clients.reset_clients()
    mine = clients.resource("dynamodb")
    assert clients.resource("dynamodb") is mine  # cached for this thread
    others = _in_threads(lambda _i: clients.resource("dynamodb"), 4)
    assert len({id(r) for r in [mine, *others]}) == 5  # one per thread, never shared
    clients.reset_clients()
    assert clients.resource("dynamodb") is not mine  # a switched endpoint gets a fresh one


def test_library_environment_is_restored_when_threads_overlap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SP_API_DEFAULT_MARKETPLACE", "A1PA6795UKMFR9")
    monkeypatch.delenv("AWS_ENV", raising=False)
    first_inside = threading.Event()
    release = threading.Event()

    def first() -> None:
        with library.library_environment():
            first_inside.set()
            release.wait(10)

    def second() -> None:
        first_inside.wait(10)
        with library.library_environment():
            pass

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_inside.wait(10)
    time.sleep(0.2)  # let the second thread reach the context while the first holds it
    release.set()
    for t in threads:
        t.join()

    assert os.environ.get("SP_API_DEFAULT_MARKETPLACE") == "A1PA6795UKMFR9"
    assert "AWS_ENV" not in os.environ
