"""Amazon in process: the SP-API simulator answering `SpApi` without a socket — the SP port's
fake for jobs on fakes.

`InProcessTransport` is an httpx transport that hands each request to `Simulator.answer`, the
function the simulator's HTTP server calls, so a job meets the same simulated Amazon through
the same `SpApi`: python-amazon-sp-api, the hooks, typed errors, limiter and retries all run;
only the socket, the server threads and the HTTP parsing are gone. Nothing is stubbed, so the
fake cannot drift from the real client. tests/unit/contracts/test_sp_contract.py runs the same
calls in process and over HTTP and asserts the same answers.

One difference: `SimServer` also ticks the simulator every 0.2 s of wall time; here it ticks on
each request and on `advance()`, so a test moves time forward itself (it should anyway).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from spconnector.sim.core import Simulator
from spconnector.sim.http import Request
from spconnector.sim.routes import build_simulator
from spconnector.sim.server import SimulatorFront
from spconnector.sp.client import SpApi
from spconnector.sp.credentials import LwaCredentials

# No socket is opened: the host only has to be a valid URL for httpx and the library.
IN_PROCESS_URL = "http://amazon.in-process"


class InProcessTransport(httpx.BaseTransport):
    """httpx requests answered by a simulator in this process."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode("ascii")
        answer = self.simulator.answer(
            Request.build(request.method, target, request.headers, request.read())
        )
        body = b"" if request.method == "HEAD" else answer.body
        return httpx.Response(answer.status, headers=answer.headers, content=body)


class InProcessAmazon(SimulatorFront):
    """A simulator reached in process: what `SimServer` offers tests, plus `sp_for`."""

    def __init__(
        self,
        seed: int = 7,
        time_scale: float = 1.0,
        *,
        marketplace: str = "US",
        now: datetime | None = None,
    ) -> None:
        self.simulator = build_simulator(seed, time_scale, marketplace=marketplace, now=now)
        self.simulator.base_url = IN_PROCESS_URL  # documents' URLs point back here
        self.transport = InProcessTransport(self.simulator)

    def sp_for(
        self, tenant: Any, credentials: LwaCredentials | None = None, **options: Any
    ) -> SpApi:
        """The tenant's `SpApi`, every request answered by this simulator (with the
        simulator's own credentials unless others are given)."""
        return SpApi.for_tenant(
            tenant,
            credentials or LwaCredentials(**self.credentials),
            endpoint=self.base_url,
            lwa_url=self.lwa_token_url,
            transport=self.transport,
            **options,
        )
