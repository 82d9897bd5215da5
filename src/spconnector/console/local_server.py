"""Serve the console's resolver on 127.0.0.1 with the standard library (wsgiref).

Each HTTP request becomes an API Gateway HTTP API payload v2.0 event — the shape the Lambda
receives behind the HTTP API (validated in the tests against Powertools' parser model
`APIGatewayProxyEventV2Model`) — and the resolver's answer goes back as the HTTP response.
So the laptop runs the very routes, checks and templates the Lambda runs.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

MAX_BODY = 256 * 1024  # API Gateway allows more; a console form never needs it

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def event_from_environ(environ: dict[str, Any]) -> dict[str, Any]:
    """An HTTP API v2.0 event for one WSGI request (no authorizer: the local login)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(min(length, MAX_BODY)) if length else b""
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    cookies = [c.strip() for c in headers.pop("cookie", "").split(";") if c.strip()]
    raw_query = environ.get("QUERY_STRING", "")
    query: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value  # as API Gateway joins
    path = environ.get("PATH_INFO") or "/"
    method = environ["REQUEST_METHOD"]
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": "local",
            "apiId": "local",
            "domainName": headers.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": path,
                "protocol": environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
                "sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"),
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": f"local-{time.monotonic_ns()}",
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "body": base64.b64encode(body).decode() if body else None,
        "isBase64Encoded": bool(body),
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    return event


def wsgi_app(handle: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., Iterable[bytes]]:
    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        event = event_from_environ(environ)
        result = handle(event)
        status = int(result.get("statusCode", 500))
        headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
        headers += [("Set-Cookie", c) for c in result.get("cookies") or []]
        body = result.get("body") or ""
        data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [data]

    return application


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # request lines carry case ids in query strings; keep the terminal for the URL


@contextmanager
def serving(
    handle: Callable[[dict[str, Any]], dict[str, Any]], host: str = "127.0.0.1", port: int = 0
) -> Iterator[str]:
    """Serve in a thread; yields the base URL (port 0: a free port)."""
    server = make_server(
        host, port, wsgi_app(handle), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
