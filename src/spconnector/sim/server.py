"""SimServer: the simulator over HTTP (stdlib ThreadingHTTPServer in a daemon thread)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from spconnector.sim.core import LWA_PATH, Simulator
from spconnector.sim.http import Request
from spconnector.sim.routes import build_simulator
from spconnector.sim.scenario import Scenario
from spconnector.sim.state import SimState

log = logging.getLogger(__name__)
_TICK_SECONDS = 0.2  # how often finished reports/feeds are noticed without any request


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients reuse connections
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _HttpServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request.build(self.command, self.path, self.headers, body)  # type: ignore[arg-type]
        response = self.server.simulator.answer(req)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sim %s", format % args)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        super().__init__(address, _Handler)
        self.simulator = simulator


class SimulatorFront:
    """What tests and the demo read off a simulator, however requests reach it (over HTTP
    here, in process in spconnector.memory.sp)."""

    simulator: Simulator

    @property
    def base_url(self) -> str:
        return self.simulator.base_url

    @property
    def lwa_token_url(self) -> str:
        return self.base_url + LWA_PATH

    @property
    def credentials(self) -> dict[str, str]:
        return self.simulator.credentials.as_dict()

    @property
    def seller_id(self) -> str:
        return self.simulator.seller_id

    @property
    def marketplace_id(self) -> str:
        return self.simulator.marketplace_id

    @property
    def scenario(self) -> Scenario:
        return self.simulator.scenario

    @property
    def state(self) -> SimState:
        return self.simulator.state

    @property
    def clock(self) -> Any:
        return self.simulator.clock

    def set_faults(self, **rates: Any) -> None:
        self.simulator.set_faults(**rates)

    def advance(self, seconds: float) -> None:
        self.simulator.advance(seconds)

    def on_notification(self, callback: Any) -> None:
        self.simulator.on_notification(callback)

    def add_refresh_token(self, token: str) -> None:
        """Another valid refresh token for the same seller (its own usage-plan buckets)."""
        self.simulator.tokens.add_refresh_token(token)


class SimServer(SimulatorFront):
    """`with SimServer(seed=7) as sim:` — an SP-API simulator on an ephemeral port."""

    def __init__(
        self,
        seed: int = 7,
        time_scale: float = 1.0,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        marketplace: str = "US",
        now: datetime | None = None,
    ) -> None:
        self.simulator = build_simulator(seed, time_scale, marketplace=marketplace, now=now)
        self.host = host
        self.port = port
        self._httpd: _HttpServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> SimServer:
        if self._httpd is not None:
            return self
        self._httpd = _HttpServer((self.host, self.port), self.simulator)
        self.port = self._httpd.server_address[1]
        shown_host = self.host if self.host not in ("0.0.0.0", "::", "") else "127.0.0.1"  # noqa: S104
        self.simulator.base_url = f"http://{shown_host}:{self.port}"
        self._stopping.clear()
        serve = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        ticker = threading.Thread(target=self._tick_loop, daemon=True)
        self._threads = [serve, ticker]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads = []

    def _tick_loop(self) -> None:
        while not self._stopping.wait(_TICK_SECONDS):
            try:
                self.simulator.tick()
            except Exception:
                log.exception("simulator tick failed")

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
