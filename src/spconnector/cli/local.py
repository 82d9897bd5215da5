"""`spconnector local …`: run the Lambdas on this machine.

- `local up` serves the simulator and a moto server for `sam local invoke --env-vars env.json`;
- `local invoke` runs one function of template.yaml in-process (no Docker), against the
  embedded simulator and moto, seeded so the sample events in events/ find their data;
- `local events` writes those sample events from a seeded environment;
- `local docker-proxy` lets `sam local` run its containers in the host's network (Linux
  without a Docker bridge: everything stays on 127.0.0.1).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from spconnector.cli.errors import fail, file_problem

app = typer.Typer(no_args_is_help=True)

_TEMPLATE = Path("template.yaml")
_EVENTS = Path("events")

_HOST_HELP = (
    "Address both servers listen on. 0.0.0.0 lets Docker containers reach them "
    "(needed for `sam local invoke` on Linux); it also exposes them to your network."
)


@app.callback()
def _group() -> None:
    """Run the Lambdas locally: with SAM and Docker, or in-process."""


@app.command()
def up(
    host: str = typer.Option("127.0.0.1", envvar="SPCONNECTOR_LOCAL_HOST", help=_HOST_HELP),
    sim_port: int = typer.Option(8900, "--sim-port", help="Port of the SP-API simulator."),
    moto_port: int = typer.Option(5000, "--moto-port", help="Port of the moto server (AWS)."),
    seed: int = typer.Option(7, help="Scenario seed: the same seed gives the same data."),
    seed_demo: bool = typer.Option(
        True, "--seed-demo/--no-seed-demo", help="Ingest and decide the demo mail first."
    ),
) -> None:
    """Serve the simulator and moto with the resources env.json names, until Ctrl-C."""
    checked_ports(sim_port, moto_port)
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        fail("`local up` needs moto's server: pip install 'moto[server]' (in the dev extra)")

    from spconnector.aws.clients import reset_clients
    from spconnector.local.embedded import Embedded
    from spconnector.sim import SimServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request lines
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    moto = ThreadedMotoServer(ip_address=host, port=moto_port, verbose=False)
    try:
        moto.start()
    except OSError as exc:
        fail(f"cannot start moto on {host}:{moto_port}: {exc.strerror or exc}")
    try:
        sim = SimServer(seed=seed, host=host, port=sim_port).start()
    except OSError as exc:
        moto.stop()
        fail(f"cannot listen on {host}:{sim_port}: {exc.strerror or exc}")
    try:
        os.environ |= {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
            "SPCONNECTOR_AWS_ENDPOINT": f"http://{shown}:{moto_port}",
        }
        reset_clients(session=True)
        env = Embedded.create(sim)
        info: dict[str, Any] = {
            "simulator": sim.base_url,
            "lwa_token_url": sim.lwa_token_url,
            "aws_endpoint": f"http://{shown}:{moto_port}",
            "table": env.services.settings.table,
            "bucket": env.bucket,
            "queues": env.queues,
            "escalation_topic": env.topic_arn,
            "tenant": env.tenant.tenant_id,
            "seller_id": sim.seller_id,
        }
        if seed_demo:
            from spconnector.local.seed import seed_demo as run_seed

            seeded = run_seed(env)
            info["seeded"] = {
                "ingested": seeded.ingested,
                "decided": seeded.decided,
                "waiting": {
                    "ingest_email": seeded.ingest_key,
                    "process_case": seeded.case_event.get("case_id"),
                    "act": (seeded.action or {}).get("case_id"),
                },
                "failures": seeded.failures,
            }
        typer.echo(f"SP-API simulator on {sim.base_url}, moto (AWS) on http://{shown}:{moto_port}")
        typer.echo(json.dumps(info, indent=2))
        typer.echo(
            "Ready. Now: sam build && sam local invoke IngestEmailFunction "
            "-e events/ingest_email.json --env-vars env.json   (Ctrl-C stops)",
        )
        sys.stdout.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        sim.stop()
        moto.stop()


def _read_event(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"cannot read event file {path}: it is not UTF-8")
    except OSError as exc:
        fail(f"cannot read event file {path}: {exc.strerror or exc}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(f"{path} line {exc.lineno}: not valid JSON ({exc.msg})")
    except ValueError as exc:  # an integer of over 4,300 digits
        fail(f"{path}: not valid JSON ({exc})")
    except RecursionError:
        fail(f"{path}: not valid JSON (nested too deeply)")


def checked_invocation(function: str, event: Path, template: Path) -> tuple[Any, Any, Any]:
    """What `local invoke` validates before it starts anything: the template loads, names
    the function, and the event file is JSON. Returns (template, function, event)."""
    from spconnector.local.template import Template, TemplateError

    try:
        tpl = Template.load(template)
        fn = tpl.function(function)
    except TemplateError as exc:
        fail(str(exc))
    return tpl, fn, _read_event(event)


def checked_template(template: Path, out: Path | None = None) -> Any:
    """What `local events` validates before it seeds a world: the template loads and its
    functions are well formed; `out`, if it exists, is a directory."""
    from spconnector.local.template import Template, TemplateError

    try:
        tpl = Template.load(template)
        tpl.functions()
    except TemplateError as exc:
        fail(str(exc))
    problem = None if out is None else file_problem(out)
    if problem not in (None, "a directory, not a file", "no such file"):
        fail(f"--out {out}: {problem}")
    if problem is None and out is not None:
        fail(f"--out {out}: a file, not a directory")
    return tpl


@app.command()
def invoke(
    function: Annotated[
        str,
        typer.Argument(help="Logical id (IngestEmailFunction) or short name (ingest_email)."),
    ],
    event: Annotated[Path, typer.Option("--event", "-e", help="Event JSON file (see events/).")],
    template: Annotated[Path, typer.Option("--template", "-t")] = _TEMPLATE,
    json_out: bool = typer.Option(
        False, "--json", help="Print one JSON object: result, error, failed records."
    ),
    seed: int = typer.Option(7, help="Simulator scenario seed."),
    seed_demo: bool = typer.Option(
        True,
        "--seed-demo/--no-seed-demo",
        help="Seed the environment first, so the sample events find their cases.",
    ),
) -> None:
    """Run one function of the template in this process against the simulator and moto."""
    from spconnector.local.template import TemplateError

    tpl, fn, payload = checked_invocation(function, event, template)

    from spconnector.local.embedded import MissingLocalExtra, embedded
    from spconnector.local.invoke import invoke as run_invoke
    from spconnector.local.seed import seed_demo as run_seed

    try:
        with embedded(seed=seed) as env:
            if seed_demo:
                seeded = run_seed(env)
                for failure in seeded.failures:  # jobs broken, not the user's mistake
                    typer.echo(f"seed: {failure}", err=True)
            try:
                outcome = run_invoke(tpl, fn, payload, env)
            except TemplateError as exc:
                fail(str(exc))
    except MissingLocalExtra as exc:
        fail(str(exc))

    if json_out:
        typer.echo(
            json.dumps(
                {
                    "function": outcome.function,
                    "result": outcome.result,
                    "error": outcome.error,
                    "record_failures": outcome.record_failures,
                },
                indent=2,
                default=str,
            )
        )
    elif outcome.error is not None:
        typer.echo(json.dumps(outcome.error, indent=2))
    else:
        typer.echo(json.dumps(outcome.result, indent=2, default=str))
    for failure in outcome.record_failures:
        typer.echo(f"record failed: {failure}", err=True)
    if not outcome.ok:
        raise typer.Exit(1)


@app.command()
def events(
    out: Annotated[Path, typer.Option("--out", help="Directory to write into.")] = _EVENTS,
    template: Annotated[Path, typer.Option("--template", "-t")] = _TEMPLATE,
    seed: int = typer.Option(7, help="Simulator scenario seed."),
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 1 if the files differ from fresh ones."
    ),
) -> None:
    """Write one sample event per function of the template, from a seeded environment."""
    from spconnector.local.samples import render_samples
    from spconnector.local.template import TemplateError

    tpl = checked_template(template, out)
    try:
        rendered = render_samples(tpl, seed=seed)
    except TemplateError as exc:
        fail(str(exc))
    stale = []
    for name, text in rendered.items():
        path = out / f"{name}.json"
        # an edited file that is no longer UTF-8 is stale like any other difference
        current = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
        if current == text:
            continue
        stale.append(str(path))
        if not check:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check and stale:
        typer.echo(f"stale sample events: {', '.join(stale)}", err=True)
        raise typer.Exit(1)
    verb = "up to date" if not stale else ("stale" if check else "written")
    typer.echo(f"{len(rendered)} sample events in {out}/ ({verb}: {len(stale) or 'none'})")


@app.command("docker-proxy")
def docker_proxy(
    upstream: str = typer.Option(
        "/var/run/docker.sock", help="The Docker engine's socket (as in DOCKER_HOST)."
    ),
) -> None:
    """Serve a Docker API socket for SAM that runs Lambda containers in the host network."""
    from spconnector.local.hostnet import HostNetworkDockerProxy

    path = checked_upstream(upstream)
    proxy = HostNetworkDockerProxy(path).start()
    typer.echo(f"export DOCKER_HOST={proxy.docker_host}")
    typer.echo(
        "Then: sam local invoke <Function> -e events/<name>.json --env-vars <env.json with "
        "127.0.0.1 for host.docker.internal> --skip-pull-image --container-host 127.0.0.1 "
        "--container-host-interface 127.0.0.1   (Ctrl-C stops)"
    )
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        proxy.stop()


def checked_ports(sim_port: int, moto_port: int) -> None:
    """What `local up` checks before it starts a server (exit 2 with one line on a mistake)."""
    for name, port in (("--sim-port", sim_port), ("--moto-port", moto_port)):
        if not 1 <= port <= 65535:
            fail(f"{name} must be between 1 and 65535, got {port}")
    if sim_port == moto_port:
        fail(f"--sim-port and --moto-port are both {sim_port}: each server needs its own port")


def checked_upstream(upstream: str) -> str:
    """The Docker socket's path from --upstream (unix:// or a path), or exit 2 with one line:
    the proxy forwards to a Unix socket, so a TCP address, a file or a folder is refused
    before it listens, not on SAM's first request."""
    import stat

    path = upstream.removeprefix("unix://")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        fail(f"no Docker socket at {path} (start dockerd, or pass --upstream)")
    except (OSError, ValueError) as exc:  # a name too long, a path through a file, a NUL
        fail(f"--upstream {path}: {getattr(exc, 'strerror', None) or exc}")
    if not stat.S_ISSOCK(mode):
        fail(f"--upstream {path}: not a socket (the Docker engine's is /var/run/docker.sock)")
    return path
