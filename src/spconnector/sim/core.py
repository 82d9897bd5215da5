"""The simulator without the socket: routing, auth, usage plans, faults, then the handlers.

`Simulator.handle(request)` is what the HTTP server calls; tests may call it directly.
The core knows no operation: it is handed a router and the lifecycles (see sim.routes, which
builds the full simulator), so no handler module is imported from here.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from spconnector.sim.buckets import RateLimiter
from spconnector.sim.clock import SimClock
from spconnector.sim.faults import BAD_GATEWAY_HTML, FaultInjector, FaultRates
from spconnector.sim.http import ApiError, Request, Response, Router
from spconnector.sim.lwa import TokenIssuer, credentials_for_seed
from spconnector.sim.scenario import Scenario, default_anchor, generate
from spconnector.sim.state import Lifecycle, SimState

LWA_PATH = "/auth/o2/token"
log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=8)
def _scenario(seed: int, anchor: datetime, marketplace: str) -> Scenario:
    """Simulators with the same seed and day share one (read-only) scenario."""
    return generate(seed, anchor=anchor, marketplace=marketplace)


class Simulator:
    def __init__(
        self,
        seed: int = 7,
        time_scale: float = 1.0,
        *,
        marketplace: str = "US",
        now: datetime | None = None,
        router: Router,
        lifecycles: Sequence[Lifecycle],
    ) -> None:
        self.seed = seed
        self.clock = SimClock(time_scale, start=now)
        self.scenario: Scenario = _scenario(seed, default_anchor(self.clock.at(0)), marketplace)
        self.credentials = credentials_for_seed(seed)
        self.tokens = TokenIssuer(seed, self.credentials)
        self.limiter = RateLimiter(self.clock)
        self.faults = FaultInjector(seed)
        self.state = SimState(self.scenario, self.clock, lifecycles=tuple(lifecycles))
        self.state.faults = self.faults  # feed outcomes (FATAL, stuck, rejected) are drawn here
        self.router = router
        self.base_url = "http://127.0.0.1"  # set by the server once it has a port
        self.lock = threading.RLock()  # one request mutates state at a time

    # -- public API -------------------------------------------------------------------
    @property
    def seller_id(self) -> str:
        return self.scenario.seller_id

    @property
    def marketplace_id(self) -> str:
        return self.scenario.marketplace_id

    def set_faults(self, **rates: Any) -> FaultRates:
        """Keyword names as in FaultRates (internal_error=0.1) or the wire names via dict."""
        new = FaultRates.from_wire(rates)
        self.faults.set(new)
        return new

    def advance(self, seconds: float) -> None:
        """Move simulated time forward (reports and feeds progress, buckets refill)."""
        self.clock.advance(seconds)
        self.tick()

    def tick(self) -> None:
        with self.lock:
            self.state.tick(self.base_url)

    def on_notification(self, callback: Callable[[dict[str, Any]], None]) -> None:
        self.state.on_notification(callback)

    # -- request handling ---------------------------------------------------------------
    def answer(self, req: Request) -> Response:
        """`handle`, for a transport: a simulator bug is a 500, never a dropped request."""
        try:
            return self.handle(req)
        except Exception:
            log.exception("simulator error on %s %s", req.method, req.path)
            return ApiError(500, "InternalFailure", "Simulator error").response()

    def handle(self, req: Request) -> Response:
        try:
            response = self._handle(req)
        except ApiError as err:
            response = err.response()
        response.headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))
        return response

    def _handle(self, req: Request) -> Response:
        if req.path == LWA_PATH:
            if req.method != "POST":
                return Response.json(400, {"error": "invalid_request", "error_description": ""})
            return self.tokens.token_endpoint(req)
        matched = self.router.match(req.method, req.path)
        if matched is None:
            raise ApiError(404, "NotFound", f"Resource {req.path} is not found.")
        route, params = matched
        req.path_params = {k: unquote(v) for k, v in params.items()}
        if route.operation is None:
            return self._call(route.handler, req)
        delay = self.faults.delay_seconds()
        if delay:
            time.sleep(delay)
        fault = self.faults.pick_error()
        if fault == 500:
            raise ApiError(500, "InternalFailure", "We encountered an internal error.")
        if fault == 503:
            raise ApiError(503, "ServiceUnavailable", "Service temporarily unavailable.")
        if fault == 502:
            return Response(502, BAD_GATEWAY_HTML, {"Content-Type": "text/html"})
        if fault == 429:
            return Response(429, b"", {})
        caller = self.tokens.subject_of(req)
        if not self.limiter.allow(caller, route.operation):
            raise ApiError(
                429, "QuotaExceeded", "You exceeded your quota for the requested resource."
            )
        response = self._call(route.handler, req)
        if 200 <= response.status < 300:
            # Amazon's documented rate; a client given the time scale multiplies it itself.
            rate = self.limiter.plan(route.operation).rate
            response.headers["x-amzn-RateLimit-Limit"] = f"{rate:g}"
        return response

    def _call(self, handler: Any, req: Request) -> Response:
        with self.lock:
            self.state.tick(self.base_url)
            result: Response = handler(self, req)
            return result
