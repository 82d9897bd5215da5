"""A fake Amazon at the HTTP boundary (httpx.MockTransport) for SpApi unit tests."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from tests.unit.sp.model_check import ModelCatalog

ENDPOINT = "http://sp.test"  # http:// on purpose: the library assumes https:// for Host
LWA_URL = "http://lwa.test/auth/o2/token"
ACCESS_TOKEN = "Atza|FAKE-ACCESS-TOKEN-0123456789"

Handler = Callable[[httpx.Request], httpx.Response]


def amazon_json(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json", **headers},
    )


def amazon_error(status: int, code: str, message: str) -> httpx.Response:
    return amazon_json(status, {"errors": [{"code": code, "message": message}]})


class FakeAmazon:
    def __init__(
        self,
        catalog: ModelCatalog | None = None,
        *,
        lwa_url: str = LWA_URL,
        access_token: str = ACCESS_TOKEN,
    ) -> None:
        self.catalog = catalog
        self.lwa_url = lwa_url
        self.access_token = access_token
        self.requests: list[httpx.Request] = []
        self.operations: list[str] = []
        self.token_requests: list[dict[str, str]] = []
        self.lwa_response: Handler = lambda r: amazon_json(
            200, {"access_token": self.access_token, "token_type": "bearer", "expires_in": 3600}
        )
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def route(self, method: str, path: str, handler: Handler | httpx.Response) -> None:
        fn = handler if callable(handler) else (lambda r, h=handler: h)
        self._routes.insert(0, (method, re.compile("^" + path + "$"), fn))

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if str(request.url) == self.lwa_url:
            self.token_requests.append(dict(httpx.QueryParams(request.content.decode())))
            return self.lwa_response(request)
        if request.url.host == "sp.test":
            assert request.headers["host"] == "sp.test", request.headers["host"]
            assert request.headers.get("x-amz-access-token") == self.access_token
            if self.catalog is not None:
                self.operations.append(self.catalog.check(request))
        for method, pattern, handler in self._routes:
            if method == request.method and pattern.match(
                request.url.raw_path.decode().split("?", 1)[0]
            ):
                return handler(request)
        return amazon_error(
            404, "NotFound", f"no fake route for {request.method} {request.url.path}"
        )
