"""`spconnector console`: the operator console on the embedded default, on 127.0.0.1."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from spconnector.cli.errors import fail

if TYPE_CHECKING:
    from spconnector.console.local import LocalConsole

SCHEDULE_SECONDS = 30  # TrackFeeds runs every 2 minutes in AWS; quicker here for a demo


def console(
    host: str = typer.Option("127.0.0.1", "--host", help="Loopback address to listen on."),
    port: int = typer.Option(8470, "--port", min=0, max=65535, help="Port (0: any free one)."),
    mails: int = typer.Option(6, "--mails", min=0, help="Buyer mails seeded per tenant."),
) -> None:
    """Serve the console with seeded tenants and staff (no AWS or Amazon account needed)."""
    import contextlib
    import sys
    from pathlib import Path

    checked_console_host(host)
    checked_port_free(host, port)  # before a minute of seeding, not after it
    from spconnector.console.local import local_console
    from spconnector.console.local_server import serving
    from spconnector.local.demo_summary import MetricsSink

    out = Path("out")
    out.mkdir(parents=True, exist_ok=True)
    metrics_path = out / "console-metrics.jsonl"
    typer.echo("seeding tenants, buyer mail and staff on the embedded default …", err=True)
    # Powertools prints EMF metric lines on stdout (CloudWatch reads them there in Lambda);
    # here stdout carries the URL and the logins, so the metrics go to a file, as the demo's.
    with (
        # line-buffered: the file is whole while the console runs and after a SIGTERM
        metrics_path.open("w", encoding="utf-8", buffering=1) as metrics_file,
        contextlib.redirect_stdout(MetricsSink(metrics_file, other=sys.stdout)) as sink,
        local_console(mails_per_tenant=mails) as local,
    ):
        try:
            server = serving(local.handle, host, port)
            url = server.__enter__()
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        try:
            typer.echo(f"console: {url}/login")
            for login in local.logins:
                typer.echo(f"  {login.user:<24} {login.password}  ({', '.join(login.groups)})")
            typer.echo(f"metrics: {metrics_path}")
            typer.echo("Ctrl-C stops it.")
            _serve_until_interrupted(local)
        finally:
            server.__exit__(None, None, None)
            sink.flush()


def _serve_until_interrupted(local: LocalConsole) -> None:
    import time

    try:
        while True:
            time.sleep(SCHEDULE_SECONDS)
            local.run_schedules()  # TrackFeeds: approved refunds leave in batches
    except KeyboardInterrupt:
        pass


def checked_port_free(host: str, port: int) -> None:
    """Exit 2 with one line if the console could not listen on `host`:`port` (port 0: any
    free one). The probe binds as the server does (IPv4, SO_REUSEADDR), so what it refuses
    the server would refuse too; a port taken in the minute of seeding is still reported,
    later."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def checked_console_host(host: str) -> None:
    """What `console` checks before it seeds anything: a loopback address (exit 2 if not)."""
    import ipaddress

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        fail(f"--host {host}: the local console listens on a loopback address only")
