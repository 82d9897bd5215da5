"""The real SpApi client over HTTP to the simulator, with every request it sends checked
against Amazon's models: shared by the SP-API integration tests."""

from __future__ import annotations

import httpx

from spconnector.sim import SimServer
from spconnector.sp.client import SpApi
from spconnector.sp.retry import RetryPolicy
from tests.unit.sp.model_check import ModelCatalog


class CheckedTransport(httpx.BaseTransport):
    """Real HTTP; every SP-API request validated against the models; statuses recorded."""

    def __init__(self, catalog: ModelCatalog, sim_url: str) -> None:
        self._inner = httpx.HTTPTransport()
        self._catalog = catalog
        self._sim = httpx.URL(sim_url)
        self.calls: list[tuple[str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        operation = "other"
        request.read()
        path = request.url.path
        if request.url.port == self._sim.port and not path.startswith(
            ("/auth/", "/_sim/", "/documents/", "/uploads/")
        ):
            try:
                operation = self._catalog.check(request)
            except AssertionError:
                if "/documents/" not in path or request.method not in ("GET", "PUT"):
                    raise
        response = self._inner.handle_request(request)
        self.calls.append((operation, response.status_code))
        return response

    def count(self, operation: str, status: int) -> int:
        return sum(1 for op, st in self.calls if op == operation and st == status)


def make_api(
    sim: SimServer,
    catalog: ModelCatalog,
    transport: CheckedTransport | None = None,
    **options: object,
) -> tuple[SpApi, CheckedTransport]:
    """The real client against `sim`, every request checked by `catalog` (or `transport`)."""
    transport = transport or CheckedTransport(catalog, sim.base_url)
    options.setdefault("retry", RetryPolicy(backoff_base=0.05, backoff_cap=0.5, max_attempts=4))
    api = SpApi(
        sim.credentials,
        seller_id=sim.seller_id,
        marketplace_id=sim.marketplace_id,
        endpoint=sim.base_url,
        lwa_url=sim.lwa_token_url,
        transport=transport,
        **options,
    )  # type: ignore[arg-type]
    return api, transport
