"""The SP-API simulator: an HTTP application with Amazon's paths, usage plans, report and
feed lifecycles, fault injection, and a deterministic seller scenario per seed."""

from spconnector.sim.core import Simulator
from spconnector.sim.routes import build_simulator
from spconnector.sim.scenario import Scenario, generate
from spconnector.sim.server import SimServer

__all__ = ["Scenario", "SimServer", "Simulator", "build_simulator", "generate"]
