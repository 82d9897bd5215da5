"""Requests, responses, Amazon-shaped errors and a small router — no HTTP server here."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from spconnector.sim.core import Simulator


class ApiError(Exception):
    """An SP-API error answer: `{"errors":[{"code","message","details"}]}`."""

    def __init__(self, status: int, code: str, message: str, details: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def response(self) -> Response:
        body = {"errors": [{"code": self.code, "message": self.message, "details": self.details}]}
        return Response.json(self.status, body)


def invalid_input(message: str) -> ApiError:
    return ApiError(400, "InvalidInput", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "NotFound", message)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""
    path_params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls, method: str, target: str, headers: Mapping[str, str], body: bytes = b""
    ) -> Request:
        path, _, query = target.partition("?")
        return cls(method, path, parse_qs(query, keep_blank_values=True), headers, body)

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def list_param(self, name: str) -> list[str]:
        """Array query parameters, sent either comma-separated or repeated."""
        out: list[str] = []
        for value in self.query.get(name, []):
            out.extend(v for v in value.split(",") if v)
        return out

    def require_list(self, name: str) -> list[str]:
        values = self.list_param(name)
        if not values:
            raise invalid_input(f"Missing required parameter: {name}")
        return values

    def json(self) -> Any:
        if not self.body:
            raise invalid_input("Request body is required")
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise invalid_input("Request body is not valid JSON") from None

    def json_object(self) -> dict[str, Any]:
        data = self.json()
        if not isinstance(data, dict):
            raise invalid_input("Request body must be a JSON object")
        return data


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, obj: Any, headers: dict[str, str] | None = None) -> Response:
        hdrs = {"Content-Type": "application/json"}
        hdrs.update(headers or {})
        return cls(status, json.dumps(obj, separators=(",", ":")).encode(), hdrs)


Handler = Callable[["Simulator", Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    operation: str | None  # usage-plan key; None for LWA and /_sim routes


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler, operation: str | None) -> None:
        """`template` uses Amazon's `{param}` placeholders; each matches one path segment."""
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self.routes.append(Route(method, re.compile(f"^{regex}$"), handler, operation))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for (method, path); raises 405-free NotFound semantics to the caller."""
        for route in self.routes:
            m = route.pattern.match(path)
            if m and route.method == method:
                return route, m.groupdict()
        return None
