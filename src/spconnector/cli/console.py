"""`spconnector console`: the operator console on the embedded default, on 127.0.0.1."""

from __future__ import annotations

import typer

from spconnector.cli.errors import fail

SCHEDULE_SECONDS = 30  # TrackFeeds runs every 2 minutes in AWS; quicker here for a demo


def console(
    host: str = typer.Option("127.0.0.1", "--host", help="Loopback address to listen on."),
    port: int = typer.Option(8470, "--port", min=0, max=65535, help="Port (0: any free one)."),
    mails: int = typer.Option(6, "--mails", min=0, help="Buyer mails seeded per tenant."),
) -> None:
    """Serve the console with seeded tenants and staff (no AWS or Amazon account needed)."""
    import time

    checked_console_host(host)
    from spconnector.console.local import local_console
    from spconnector.console.local_server import serving

    typer.echo("seeding tenants, buyer mail and staff on the embedded default …", err=True)
    with local_console(mails_per_tenant=mails) as local:
        try:
            server = serving(local.handle, host, port)
            url = server.__enter__()
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        try:
            typer.echo(f"console: {url}/login")
            for login in local.logins:
                typer.echo(f"  {login.user:<24} {login.password}  ({', '.join(login.groups)})")
            typer.echo("Ctrl-C stops it.")
            while True:
                time.sleep(SCHEDULE_SECONDS)
                local.run_schedules()  # TrackFeeds: approved refunds leave in batches
        except KeyboardInterrupt:
            pass
        finally:
            server.__exit__(None, None, None)


def checked_console_host(host: str) -> None:
    """What `console` checks before it seeds anything: a loopback address (exit 2 if not)."""
    import ipaddress

    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        fail(f"--host {host}: the local console listens on a loopback address only")
