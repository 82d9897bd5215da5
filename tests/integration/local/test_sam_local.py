"""Real `sam local`: every function of template.yaml in SAM's Lambda container, against
`spconnector local up` (the simulator and moto's server on 127.0.0.1).

`sam build` runs once per module; `sam local invoke` runs each function with its events/
sample and env.json (hosts pointed at this test's loopback ports), and each test reads the
function's effect back from moto or the simulator. Then `sam local start-lambda` serves the
functions and boto3 invokes two in a row.

SAM rebuilds its invoke image on every invoke when a layer is defined in the template
(samcli/local/docker/lambda_image.py: `layer.is_defined_within_template` forces the build):
some 30 s each on these machines. So IngestEmail runs exactly as a user's `sam local invoke`
does, layer and all; the other functions run from the same build with the built layer baked
into the invoke image once (`--invoke-image`, the layer at /opt as in Lambda), so only the
function's container starts per invoke.

Needs a Docker engine and the local python3.12 base image (tests/setup/lambda-image.sh, run
by `make test` / `make sam-local` as root). Without them these tests skip and say why — except
on CI (CI=true), a fresh machine set up by `make test`, where a missing engine is a failure.
SAM talks to Docker through local/hostnet.py's proxy, so the containers share the host's
network namespace and all traffic stays on 127.0.0.1 (the engine runs without a bridge).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
IMAGE = "public.ecr.aws/lambda/python:3.12"
SETUP = "make sam-local (as root: installs docker.io, starts dockerd, builds the image)"


def _engine_problem() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return f"no docker CLI on PATH; {SETUP}"
    info = subprocess.run([docker, "info"], capture_output=True, text=True, check=False)
    if info.returncode != 0:
        return f"no Docker engine answers ({info.stderr.strip()[:120]}); {SETUP}"
    image = subprocess.run(
        [docker, "image", "inspect", IMAGE], capture_output=True, text=True, check=False
    )
    if image.returncode != 0:
        return f"no local image {IMAGE}; {SETUP}"
    if shutil.which("sam", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}") is None:
        return "no sam CLI (it comes with the dev extra: make .venv/.installed)"
    return None


@pytest.fixture(scope="module")
def engine() -> None:
    problem = _engine_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"sam local tests cannot run on CI: {problem}")
    pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalWorld:
    sim_port: int
    moto_port: int
    env_file: Path
    env: dict[str, str]  # for sam and for this test's own boto3 clients
    template: Path  # the built template, as `sam build` wrote it
    flat_template: Path  # the same without Layers: the layer is in `invoke_image`
    invoke_image: str

    @property
    def moto(self) -> str:
        return f"http://127.0.0.1:{self.moto_port}"

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.moto,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def queue_depth(self, name: str) -> int:
        sqs = self.client("sqs")
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        attrs = sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attrs["ApproximateNumberOfMessages"]) + int(
            attrs["ApproximateNumberOfMessagesNotVisible"]
        )

    def sim_state(self) -> dict[str, Any]:
        import urllib.request

        url = f"http://127.0.0.1:{self.sim_port}/_sim/state"
        with urllib.request.urlopen(url, timeout=10) as response:
            state: dict[str, Any] = json.load(response)
            return state


def _env_file(tmp: Path, sim_port: int, moto_port: int) -> Path:
    text = (REPO / "env.json").read_text()
    text = text.replace("host.docker.internal:8900", f"127.0.0.1:{sim_port}")
    text = text.replace("host.docker.internal:5000", f"127.0.0.1:{moto_port}")
    assert "host.docker.internal" not in text
    path = tmp / "env.json"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def world(engine: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWorld]:
    from spconnector.local.hostnet import HostNetworkDockerProxy

    tmp = tmp_path_factory.mktemp("sam")
    sim_port, moto_port = _free_port(), _free_port()
    upstream = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    proxy = HostNetworkDockerProxy(upstream.removeprefix("unix://")).start()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "DOCKER_HOST": proxy.docker_host,
        "SAM_CLI_TELEMETRY": "0",
        "SAM_CLI_CONTAINER_CONNECTION_TIMEOUT": "60",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        # SAM asks STS for the account id: moto answers, nothing leaves this machine.
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
    }
    # local up seeds while sam build runs: the two slowest steps overlap
    code = (
        "from spconnector.cli.local import app; "
        f"app(['up', '--sim-port', '{sim_port}', '--moto-port', '{moto_port}'])"
    )
    up = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    try:
        build_dir = tmp / "build"
        built = subprocess.run(
            [
                "sam",
                "build",
                "--template",
                str(REPO / "template.yaml"),
                "--build-dir",
                str(build_dir),
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
        invoke_image, flat_template = _layered_image(build_dir, {**env, "DOCKER_HOST": upstream})
        assert up.stdout is not None
        for line in up.stdout:
            if line.startswith("Ready."):
                break
        else:
            pytest.fail(f"local up exited with {up.wait()}")
        yield LocalWorld(
            sim_port,
            moto_port,
            _env_file(tmp, sim_port, moto_port),
            env,
            build_dir / "template.yaml",
            flat_template,
            invoke_image,
        )
    finally:
        up.send_signal(signal.SIGINT)
        try:
            up.wait(timeout=10)
        except subprocess.TimeoutExpired:
            up.kill()
            up.wait()
        proxy.stop()


def _layered_image(build_dir: Path, env: dict[str, str]) -> tuple[str, Path]:
    """The base image with the built layer at /opt, and the built template without Layers."""
    import yaml

    image = "spconnector-local/lambda-python-with-layer:3.12"
    dockerfile = build_dir / "Dockerfile.layered"
    dockerfile.write_text(f"FROM {IMAGE}\nCOPY SpconnectorLayer/ /opt/\n")
    built = subprocess.run(
        ["docker", "build", "-q", "-f", str(dockerfile), "-t", image, str(build_dir)],
        env=env,  # the engine itself, not the proxy: no container is created
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    # SAM adds its emulator to an invoke image once and reuses that image by its tag
    # (`<image>:rapid-<arch>`) ever after: left from an earlier run, it would hold that run's
    # layer. Remove it so SAM builds it again from the image just built.
    listed = subprocess.run(
        ["docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}", image.split(":")[0]],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    stale = [tag for tag in listed.stdout.split() if ":rapid-" in tag]
    if stale:
        subprocess.run(
            ["docker", "image", "rm", "-f", *stale],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    template = yaml.safe_load((build_dir / "template.yaml").read_text())
    template["Globals"]["Function"].pop("Layers", None)
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"].pop("Layers", None)
    flat = build_dir / "template-layer-in-image.yaml"
    flat.write_text(yaml.safe_dump(template, sort_keys=False))
    return image, flat


def _sam_options(world: LocalWorld, *, layered: bool) -> list[str]:
    """Template, env vars and image options shared by invoke and start-lambda."""
    options = ["--env-vars", str(world.env_file), "--skip-pull-image"]
    options += ["--container-host", "127.0.0.1", "--container-host-interface", "127.0.0.1"]
    if layered:
        return ["--template", str(world.template), *options]
    return ["--template", str(world.flat_template), "--invoke-image", world.invoke_image, *options]


def sam_invoke(world: LocalWorld, function: str, event: Path, *, layered: bool = False) -> Any:
    done = subprocess.run(
        [
            "sam",
            "local",
            "invoke",
            function,
            "--event",
            str(event),
            *_sam_options(world, layered=layered),
        ],
        cwd=REPO,
        env=world.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [ln for ln in done.stdout.splitlines() if ln.strip().startswith("{")]
    assert lines, f"no result on stdout: {done.stdout[-1000:]} {done.stderr[-2000:]}"
    result = json.loads(lines[-1])
    assert "errorType" not in result, result
    return result


def _event(name: str) -> Path:
    return REPO / "events" / f"{name}.json"


def _body(name: str) -> dict[str, Any]:
    event = json.loads(_event(name).read_text())
    body: dict[str, Any] = json.loads(event["Records"][0]["body"])
    return body


@pytest.fixture
def store(world: LocalWorld, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The case store in moto's server, read the way the functions wrote it."""
    from spconnector.aws.cases import CaseStore
    from spconnector.aws.clients import reset_clients

    monkeypatch.setenv("SPCONNECTOR_AWS_ENDPOINT", world.moto)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    reset_clients()
    yield CaseStore(table="spconnector")
    reset_clients()


def test_ingest_email_writes_a_case_and_queues_its_event(world: LocalWorld, store: Any) -> None:
    before = world.queue_depth("case-events")
    # as a user runs it: the built template, SAM adding the layer to the image itself
    result = sam_invoke(world, "IngestEmailFunction", _event("ingest_email"), layered=True)
    [outcome] = result["outcomes"]
    assert outcome["status"] == "ingested"
    case = store.get(outcome["tenant"], outcome["case_id"])
    assert case is not None and case.message_ids
    assert world.queue_depth("case-events") == before + 1


def test_process_case_decides_and_queues_an_action(world: LocalWorld, store: Any) -> None:
    body = _body("process_case")
    assert store.decisions(body["tenant"], body["case_id"]) == []
    before = world.queue_depth("actions")
    assert sam_invoke(world, "ProcessCaseFunction", _event("process_case")) == {
        "batchItemFailures": []
    }
    assert len(store.decisions(body["tenant"], body["case_id"])) == 1
    assert world.queue_depth("actions") == before + 1


def test_act_sends_the_reply_through_ses(world: LocalWorld) -> None:
    ses = world.client("ses")
    sent_before = ses.get_send_quota()["SentLast24Hours"]
    assert sam_invoke(world, "ActFunction", _event("act")) == {"batchItemFailures": []}
    # the reply left through moto's SES (which counts each recipient of a message)
    assert ses.get_send_quota()["SentLast24Hours"] > sent_before


def test_notifications_queues_the_tenants_work(world: LocalWorld) -> None:
    before = world.queue_depth("tenant-work.fifo")
    result = sam_invoke(world, "NotificationsFunction", _event("notifications"))
    assert result == {"batchItemFailures": []}
    assert world.queue_depth("tenant-work.fifo") == before + 1


def test_scheduler_fans_out_to_the_tenant(world: LocalWorld) -> None:
    before = world.queue_depth("tenant-work.fifo")
    result = sam_invoke(world, "SchedulerFunction", _event("scheduler"))
    assert result["enqueued"] == ["demo-us"]
    assert world.queue_depth("tenant-work.fifo") == before + 1


def test_tenant_worker_requests_the_returns_reports(world: LocalWorld) -> None:
    before = len(world.sim_state()["reports"])
    result = sam_invoke(world, "TenantWorkerFunction", _event("tenant_worker"))
    assert result == {"batchItemFailures": []}
    assert len(world.sim_state()["reports"]) > before  # createReport reached the simulator


def _waiting_refund(world: LocalWorld, store: Any) -> dict[str, Any]:
    """Take a refund-without-return action off the seeded actions queue, as Act's event source
    would (a refund decided while seeding, still to be carried out)."""
    sqs = world.client("sqs")
    url = sqs.get_queue_url(QueueName="actions")["QueueUrl"]
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in got:
            body: dict[str, Any] = json.loads(message["Body"])
            decisions = store.decisions(body["tenant"], body["case_id"])
            if decisions[int(body["decision"]) - 1].action.value == "refund_without_return":
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                return body
    pytest.fail("no refund action waits on the seeded actions queue")


def test_start_lambda_serves_two_functions_in_a_row(
    world: LocalWorld, store: Any, tmp_path: Path
) -> None:
    """Act approves a refund; then TenantWorker's track_feeds sends it to Amazon in an
    adjustment feed: two functions, one `start-lambda` session, one effect built on the other."""
    import boto3
    from botocore.config import Config

    from spconnector.local.samples import SAMPLE_TIME, sqs_event

    action = _waiting_refund(world, store)
    port = _free_port()
    log = tmp_path / "start-lambda.log"
    with log.open("w") as log_file:
        served = subprocess.Popen(
            [
                "sam",
                "local",
                "start-lambda",
                *_sam_options(world, layered=False),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=REPO,
            env=world.env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert served.poll() is None, log.read_text()[-2000:]
            time.sleep(0.5)
        lam = boto3.client(
            "lambda",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=Config(read_timeout=300, retries={"max_attempts": 0}),
        )

        def invoke(function: str, event: dict[str, Any]) -> Any:
            response = lam.invoke(FunctionName=function, Payload=json.dumps(event))
            payload = json.load(response["Payload"])
            assert "FunctionError" not in response, payload
            return payload

        feeds_before = len(world.sim_state()["feeds"])
        actions = f"{world.moto}/123456789012/actions"
        assert invoke("ActFunction", sqs_event(action, actions)) == {"batchItemFailures": []}

        tick = {"job": "track_feeds", "tenant": "demo-us", "tick": SAMPLE_TIME.isoformat()}
        work = sqs_event(tick, f"{world.moto}/123456789012/tenant-work.fifo", group="demo-us")
        assert invoke("TenantWorkerFunction", work) == {"batchItemFailures": []}
        feeds = world.sim_state()["feeds"]
        assert len(feeds) == feeds_before + 1, log.read_text()[-3000:]  # the refund's feed
        assert feeds[-1]["feedType"] == "POST_PAYMENT_ADJUSTMENT_DATA"
    finally:
        served.send_signal(signal.SIGINT)
        try:
            served.wait(timeout=20)
        except subprocess.TimeoutExpired:
            served.kill()
            served.wait()


def test_the_built_layer_ships_bytecode_the_runtime_uses_as_it_is(world: LocalWorld) -> None:
    """Lambda's /opt is read-only: without .pyc in the layer each cold start compiles every
    module it imports. src/Makefile compiles them hash-based and unchecked (PEP 552), so
    whatever mtimes the deployment zip gives the sources cannot make them stale."""
    layer = world.template.parent / "SpconnectorLayer" / "python"
    for module in ("spconnector/jobs/process_case.py", "pydantic/main.py", "boto3/session.py"):
        source = layer / module
        cached = source.parent / "__pycache__" / f"{source.stem}.cpython-312.pyc"
        assert source.is_file() and cached.is_file(), cached
        flags = int.from_bytes(cached.read_bytes()[4:8], "little")
        assert flags == 0b01, (cached, flags)  # hash-based, not checked against the source
    # none of a developer's own caches (timestamp-based) came along with the package
    ours = list((layer / "spconnector").rglob("*.pyc"))
    assert len(ours) >= len(list((layer / "spconnector").rglob("*.py")))
    assert all(int.from_bytes(p.read_bytes()[4:8], "little") == 0b01 for p in ours)
