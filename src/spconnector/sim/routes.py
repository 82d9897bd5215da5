"""The simulator's table of operations: every handler module registers its routes here, and
the report and feed lifecycles are listed here, so `sim.core` never imports a handler (the
handlers import the core's types only for type checking)."""

from __future__ import annotations

from datetime import datetime

from spconnector.sim import (
    feeds,
    finances,
    inspection,
    messaging,
    notifications,
    orders,
    pricing,
    reports,
    solicitations,
)
from spconnector.sim.core import Simulator
from spconnector.sim.http import Router
from spconnector.sim.state import Lifecycle

HANDLER_MODULES = (
    orders,
    messaging,
    reports,
    feeds,
    notifications,
    pricing,
    solicitations,
    finances,
    inspection,
)
LIFECYCLES: tuple[Lifecycle, ...] = (reports.advance, feeds.advance)


def build_router() -> Router:
    router = Router()
    for module in HANDLER_MODULES:
        module.register(router)
    return router


def build_simulator(
    seed: int = 7,
    time_scale: float = 1.0,
    *,
    marketplace: str = "US",
    now: datetime | None = None,
) -> Simulator:
    """The full simulator: every operation routed, reports and feeds progressing."""
    return Simulator(
        seed,
        time_scale,
        marketplace=marketplace,
        now=now,
        router=build_router(),
        lifecycles=LIFECYCLES,
    )
