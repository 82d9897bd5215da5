"""`spconnector sim …` commands."""

from __future__ import annotations

import json
import threading

import typer

from spconnector.cli.errors import fail

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _group() -> None:
    """The SP-API simulator."""


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8900, help="Port to listen on (0 picks a free one)."),
    seed: int = typer.Option(7, help="Scenario seed: the same seed gives the same data."),
    time_scale: float = typer.Option(
        1.0, "--time-scale", help="Run the simulated clock (and every usage-plan rate) X× faster."
    ),
    marketplace: str = typer.Option("US", help="Scenario marketplace: US or DE."),
) -> None:
    """Run the simulator over HTTP until Ctrl-C; prints the base URL and demo credentials."""
    from spconnector.sim import SimServer

    checked_serve(port, time_scale, marketplace)
    try:
        server = SimServer(
            seed=seed, time_scale=time_scale, host=host, port=port, marketplace=marketplace
        ).start()
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    info = {
        "base_url": server.base_url,
        "lwa_token_url": server.lwa_token_url,
        "seller_id": server.seller_id,
        "marketplace_id": server.marketplace_id,
        "credentials": server.credentials,
    }
    typer.echo(f"SP-API simulator listening on {server.base_url} (seed {seed}, x{time_scale:g})")
    typer.echo(json.dumps(info, indent=2))
    typer.echo("Press Ctrl-C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        server.stop()


def checked_serve(port: int, time_scale: float, marketplace: str) -> None:
    """What `sim serve` checks before it listens (exit 2 with one line on a mistake)."""
    from spconnector.sim.clock import MAX_TIME_SCALE

    if not 0 < time_scale <= MAX_TIME_SCALE:  # also refuses nan and inf
        fail(f"--time-scale must be above 0 and at most {MAX_TIME_SCALE:g}, got {time_scale}")
    if not 0 <= port <= 65535:
        fail(f"--port must be between 0 and 65535, got {port}")
    if marketplace not in ("US", "DE"):
        fail(f"--marketplace must be US or DE, got {marketplace!r}")
