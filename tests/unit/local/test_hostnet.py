"""The Docker API proxy's one rewrite: SAM's container create, moved to the host network with
aws-lambda-rie listening where SAM will call it (127.0.0.1 only); and a round trip through
the proxy over a Unix socket, byte for byte."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

from spconnector.local.hostnet import HostNetworkDockerProxy, host_network_create

SAM_CREATE = {
    "Image": "samcli/lambda-python:3.12-x86_64-abc",
    "Cmd": ["scheduler.handler"],
    "Entrypoint": ["/var/rapid/aws-lambda-rie", "--log-level", "error"],
    "ExposedPorts": {"8080/tcp": {}},
    "HostConfig": {
        "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "7123"}]},
        "Binds": ["/x:/var/task:ro,delegated"],
    },
}


def test_create_moves_to_host_network_and_points_rie_at_sams_port() -> None:
    body = host_network_create(json.loads(json.dumps(SAM_CREATE)))
    assert body["HostConfig"]["NetworkMode"] == "host"
    assert "PortBindings" not in body["HostConfig"] and "ExposedPorts" not in body
    assert body["HostConfig"]["Binds"] == ["/x:/var/task:ro,delegated"]
    entry = body["Entrypoint"]
    assert entry[:3] == SAM_CREATE["Entrypoint"]
    flags = dict(zip(entry[3::2], entry[4::2], strict=True))
    assert flags["--runtime-interface-emulator-address"] == "127.0.0.1:7123"
    host, port = flags["--runtime-api-address"].split(":")
    assert host == "127.0.0.1" and int(port) != 9001  # not RIE's default: no clash


def test_a_wildcard_binding_still_listens_on_loopback_only() -> None:
    create = json.loads(json.dumps(SAM_CREATE))
    create["HostConfig"]["PortBindings"]["8080/tcp"][0]["HostIp"] = "0.0.0.0"
    entry = host_network_create(create)["Entrypoint"]
    assert "127.0.0.1:7123" in entry


def test_other_containers_keep_their_entrypoint() -> None:
    create = {"Image": "busybox", "Entrypoint": ["/bin/sh"], "HostConfig": {}}
    assert host_network_create(create)["Entrypoint"] == ["/bin/sh"]


def test_requests_pass_through_and_creates_are_rewritten(tmp_path: Path) -> None:
    upstream_path = str(tmp_path / "docker.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(upstream_path)
    server.listen(1)
    received: list[bytes] = []

    def fake_docker() -> None:
        conn, _ = server.accept()
        data = b""
        while data.count(b"\r\n\r\n") < 3 or not data.endswith(b"0\r\n\r\n"):
            data += conn.recv(65536)
        received.append(data)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        conn.close()

    thread = threading.Thread(target=fake_docker, daemon=True)
    thread.start()
    big = b"x" * 300_000
    create = json.dumps(SAM_CREATE).encode()
    with HostNetworkDockerProxy(upstream_path) as proxy, socket.socket(socket.AF_UNIX) as c:
        c.connect(proxy.path)
        c.sendall(
            b"POST /v1.35/build HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(big)
            + big
            + b"POST /v1.35/containers/create HTTP/1.1\r\nContent-Type: application/json\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(create)
            + create
            + b"POST /v1.35/x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        )
        thread.join(10)
        reply = c.recv(100)
    data = received[0]
    assert reply.endswith(b"ok")
    assert big in data  # streamed through unchanged
    head, _, rest = data.split(big, 1)[1].partition(b"\r\n\r\n")
    length = int(next(h for h in head.split(b"\r\n") if h.startswith(b"Content-Length")).split()[1])
    assert json.loads(rest[:length])["HostConfig"]["NetworkMode"] == "host"
    assert rest[length:].endswith(b"3\r\nabc\r\n0\r\n\r\n")
