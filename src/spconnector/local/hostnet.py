"""Run SAM's Lambda containers in the host's network namespace, talking to 127.0.0.1 only.

`sam local` publishes the container's aws-lambda-rie port (8080) on a random host port and
calls it there, which needs a Docker bridge; `--docker-network host` does not help, SAM never
sets the container's network mode (samcli/local/docker/container.py only *connects* to a
named network, and skips "host"). On machines whose dockerd runs without a bridge (our test
machines: no traffic may leave loopback), this Docker API proxy fixes that at the one place it
can be fixed: SAM talks to Docker through it (DOCKER_HOST=unix://<socket>), and for each
container SAM creates it

- sets HostConfig.NetworkMode to "host" and drops the port bindings, and
- tells aws-lambda-rie to listen on exactly the 127.0.0.1 port SAM will call
  (--runtime-interface-emulator-address), with its Runtime API on another free loopback port
  (two containers on one host must not both take its default, 127.0.0.1:9001).

Everything else passes through unchanged, byte for byte (hijacked attach/exec streams too).
"""

from __future__ import annotations

import json
import os
import re
import socket
import tempfile
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

_CREATE = re.compile(rb"^POST (/v[0-9.]+)?/containers/create(\?\S*)? HTTP/1\.[01]$")
_RIE = "aws-lambda-rie"
_RIE_PORT = "8080/tcp"


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def host_network_create(body: dict[str, Any]) -> dict[str, Any]:
    """The container-create request SAM sent, rewritten to run in the host's network."""
    host = dict(body.get("HostConfig") or {})
    bindings = host.pop("PortBindings", None) or {}
    host["NetworkMode"] = "host"
    body = {**body, "HostConfig": host}
    body.pop("ExposedPorts", None)
    entry = list(body.get("Entrypoint") or [])
    rie_binding = (bindings.get(_RIE_PORT) or [{}])[0]
    if entry and entry[0].endswith(_RIE) and rie_binding.get("HostPort"):
        address = rie_binding.get("HostIp") or "127.0.0.1"
        if address in ("0.0.0.0", ""):  # noqa: S104 - never listen beyond loopback here
            address = "127.0.0.1"
        entry += [
            "--runtime-interface-emulator-address",
            f"{address}:{rie_binding['HostPort']}",
            "--runtime-api-address",
            f"127.0.0.1:{free_loopback_port()}",
        ]
        body["Entrypoint"] = entry
    return body


class HostNetworkDockerProxy:
    """`with HostNetworkDockerProxy() as proxy:` then DOCKER_HOST=proxy.docker_host for SAM."""

    def __init__(self, upstream: str = "/var/run/docker.sock") -> None:
        self.upstream = upstream
        self._dir = tempfile.mkdtemp(prefix="spconnector-docker-")  # 0700: only us
        self.path = str(Path(self._dir) / "docker.sock")
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()

    @property
    def docker_host(self) -> str:
        return f"unix://{self.path}"

    def __enter__(self) -> HostNetworkDockerProxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> HostNetworkDockerProxy:
        self._server.bind(self.path)
        self._server.listen(64)
        self._thread = threading.Thread(target=self._accept, daemon=True, name="docker-proxy")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closed.set()
        with suppress(OSError):
            self._server.close()
        with suppress(OSError):
            os.unlink(self.path)
        with suppress(OSError):
            os.rmdir(self._dir)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(self.upstream)
        except OSError:
            client.close()
            return
        threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
        try:
            _requests(client, upstream)
        except OSError:  # SAM dropped the connection: nothing more to forward
            pass
        finally:
            with suppress(OSError):
                upstream.shutdown(socket.SHUT_WR)


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


class _Reader:
    """Buffered reads off one socket; bodies are streamed through, never held whole (a
    `sam local` build context is tens of MB)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def until(self, marker: bytes) -> bytes | None:
        start = 0
        while (at := self.buffer.find(marker, start)) < 0:
            start = max(len(self.buffer) - len(marker) + 1, 0)
            if not self._fill():
                return None
        end = at + len(marker)
        data = bytes(self.buffer[:end])
        del self.buffer[:end]
        return data

    def exactly(self, n: int) -> bytes | None:
        while len(self.buffer) < n:
            if not self._fill():
                return None
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data

    def copy(self, n: int, sink: socket.socket) -> bool:
        """Forward the next n bytes to `sink` as they arrive."""
        while n > 0:
            if not self.buffer and not self._fill():
                return False
            take = min(n, len(self.buffer))
            sink.sendall(self.buffer[:take])
            del self.buffer[:take]
            n -= take
        return True


def _requests(client: socket.socket, upstream: socket.socket) -> None:
    """Forward HTTP/1.1 requests one by one, rewriting container creates; once a request
    upgrades the connection (attach, exec start), forward the rest as raw bytes."""
    reader = _Reader(client)
    while True:
        head = reader.until(b"\r\n\r\n")
        if head is None:
            return
        lines = head[:-4].split(b"\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get(b"content-length", b"0") or 0)
        if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
            upstream.sendall(head)
            if not _forward_chunked(reader, upstream):
                return
        elif _CREATE.match(lines[0]) and length:
            body = reader.exactly(length)
            if body is None:
                return
            body = json.dumps(host_network_create(json.loads(body))).encode()
            lines = [ln for ln in lines if not ln.lower().startswith(b"content-length:")]
            lines.append(b"Content-Length: " + str(len(body)).encode())
            upstream.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        else:
            upstream.sendall(head)
            if not reader.copy(length, upstream):
                return
        if b"upgrade" in headers or re.search(rb"/(attach|exec/[^/]+/start)\b", lines[0]):
            if reader.buffer:
                upstream.sendall(reader.buffer)
            _pipe(client, upstream)
            return


def _forward_chunked(reader: _Reader, upstream: socket.socket) -> bool:
    while True:
        size_line = reader.until(b"\r\n")
        if size_line is None:
            return False
        upstream.sendall(size_line)
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if not reader.copy(size + 2, upstream):  # the chunk and its CRLF
            return False
        if size == 0:
            return True
