"""The HTTP side of SpApi: one httpx client, its hooks, error mapping, limiter and retries.

What this layer adds to python-amazon-sp-api (see library.py for its import-time pitfalls):
- One httpx client with two hooks. The request hook sets the Host header from the URL (the
  library writes `endpoint[8:]`, wrong for http:// endpoints) and bounds the timeout by the
  deadline. The response hook sees every status code — the library turns a non-JSON error
  (HTML 502, empty 429) into an empty payload without raising — and raises, so nothing below
  2xx passes silently; it also feeds `x-amzn-RateLimit-Limit` to the limiter.
- Every failure becomes a typed SpApiError (errors.py) whose message holds no credential: the
  client secret and refresh token are scrubbed, a non-JSON body is described, never kept.
- A token bucket per (seller, operation) before each call; retries on 429/5xx/timeouts within
  the deadline; non-idempotent calls (messages, feeds, destinations) retried only when Amazon
  certainly did not act (429, connection refused).
- A response that does not match Amazon's model is an InvalidResponse naming the fields, not
  their values.
"""

from __future__ import annotations

import functools
import gzip
import ssl
import threading
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, Self, TypeVar
from urllib.parse import quote as _urlquote

import httpx
from pydantic import BaseModel, ValidationError

from spconnector.domain import marketplaces
from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.auth import LWA_OPERATION, LWA_URL, LwaTokenClient
from spconnector.sp.credentials import LwaCredentials
from spconnector.sp.deadline import Deadline
from spconnector.sp.errors import (
    AuthError,
    ClientError,
    ConnectFailed,
    CorruptDocument,
    HttpFailure,
    InvalidResponse,
    NotFound,
    ServerError,
    SpApiError,
    Throttled,
    TransportError,
)
from spconnector.sp.limiter import InProcessLimiter, RateLimiter
from spconnector.sp.retry import RetryPolicy

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

REGION_ENDPOINTS = {
    "na": "https://sellingpartnerapi-na.amazon.com",
    "eu": "https://sellingpartnerapi-eu.amazon.com",
    "fe": "https://sellingpartnerapi-fe.amazon.com",
}
_MAX_MESSAGE_LEN = 300  # of an error message we keep from a response


def _retry_any(exc: BaseException) -> bool:
    return isinstance(exc, SpApiError) and exc.retryable


def _retry_unsent(exc: BaseException) -> bool:
    """For calls that must not happen twice: only when Amazon certainly did not act."""
    return isinstance(exc, Throttled | ConnectFailed)


def iso(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("timestamps sent to Amazon must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def quote(value: str) -> str:
    """A path segment: every reserved character escaped, "/" included."""
    return _urlquote(value, safe="")


def get_page(client: Any, *, path: str, params: dict[str, str]) -> Any:
    return client._request(path, params=dict(params), add_marketplace=False)


def _library_marketplace(marketplace_id: str) -> Any:
    for market in lib.Marketplaces:
        if market.marketplace_id == marketplace_id:
            return market
    return lib.Marketplaces.US  # replaced right after construction anyway


def describe_validation(exc: ValidationError) -> str:
    # include_input=False: a response value (a title, an address) stays out of the text.
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
        for e in exc.errors(include_input=False, include_url=False)[:3]
    )


@functools.cache
def _library_tls() -> ssl.SSLContext:
    """One verifying TLS context for the httpx clients the library builds per client (and
    that we then replace with ours): building each its own loads the CA bundle, ~35 ms."""
    return httpx.create_ssl_context()


class SpTransport:
    """Calls for one seller in one marketplace, under the limiter, retries and deadline.
    Safe to share between threads."""

    def __init__(
        self,
        credentials: LwaCredentials | Any,
        *,
        seller_id: str,
        marketplace_id: str,
        endpoint: str | None = None,
        lwa_url: str = LWA_URL,
        limiter: RateLimiter | None = None,
        deadline: Deadline | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._credentials = LwaCredentials.of(credentials)
        market = marketplaces.by_id(marketplace_id)
        self.seller_id = seller_id
        self.marketplace_id = marketplace_id
        self.region = market.region
        self.endpoint = (endpoint or REGION_ENDPOINTS[market.region]).rstrip("/")
        self.lwa_url = lwa_url
        self.limiter: RateLimiter = limiter or InProcessLimiter()
        self.deadline = deadline or Deadline.unbounded()  # set per Lambda invocation
        self.retry = retry or RetryPolicy()
        self._timeout = timeout
        self._local = threading.local()
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            event_hooks={"request": [self._on_request], "response": [self._on_response]},
        )
        self._per_thread = threading.local()  # library clients, one set per thread

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- hooks and error mapping ------------------------------------------------------------

    def _on_request(self, request: httpx.Request) -> None:
        request.headers["host"] = request.url.netloc.decode("ascii")
        deadline: Deadline | None = getattr(self._local, "deadline", None)
        if deadline is not None:
            seconds = min(self._timeout, max(0.5, deadline.remaining()))
            request.extensions["timeout"] = httpx.Timeout(seconds).as_dict()

    def _on_response(self, response: httpx.Response) -> None:
        lwa = str(response.request.url).split("?", 1)[0] == self.lwa_url
        if 200 <= response.status_code < 300:
            operation = getattr(self._local, "operation", None)
            limit = response.headers.get("x-amzn-RateLimit-Limit")
            if operation and limit and not lwa:
                try:
                    rate = float(limit)
                except ValueError:
                    return
                self.limiter.observe_rate(self.seller_id, operation, rate)
            return
        response.read()
        code, message = self._error_details(response, lwa=lwa)
        raise HttpFailure(response.status_code, code, message, lwa=lwa)

    def _scrub(self, text: str) -> str:
        for secret in (self._credentials.lwa_client_secret, self._credentials.refresh_token):
            text = text.replace(secret.get_secret_value(), "<redacted>")
        return text[:_MAX_MESSAGE_LEN]

    def _error_details(self, response: httpx.Response, *, lwa: bool) -> tuple[str | None, str]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            errors = body.get("errors")
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                first = errors[0]
                return str(first.get("code") or "") or None, self._scrub(
                    str(first.get("message", ""))
                )
            if lwa and body.get("error"):
                return str(body["error"]), self._scrub(str(body.get("error_description") or ""))
        if not response.content:
            return None, "empty error body"
        kind = response.headers.get("content-type", "unknown type").split(";", 1)[0]
        # The body itself is not kept: an HTML error page is noise, and could echo the request.
        return None, f"non-JSON error body ({kind}, {len(response.content)} bytes)"

    def _typed(self, operation: str, failure: HttpFailure) -> SpApiError:
        status, code, message = failure.status, failure.code, failure.message
        if failure.lwa:
            operation = LWA_OPERATION
            if status == 429:
                return Throttled(operation, message, status=status, code=code)
            if status >= 500:
                return ServerError(operation, message, status=status, code=code)
            return AuthError(
                operation, message or "LWA refused the credentials", status=status, code=code
            )
        if status == 429:
            self.limiter.throttled(self.seller_id, operation)
            return Throttled(operation, message, status=status, code=code)
        if status >= 500:
            return ServerError(operation, message, status=status, code=code)
        if status == 404:
            return NotFound(operation, message, status=status, code=code)
        if status in (401, 403):
            return AuthError(operation, message, status=status, code=code)
        return ClientError(operation, message, status=status, code=code)

    # --- calls ------------------------------------------------------------------------------

    def _library(self, cls: type) -> Any:
        """This thread's library client for an API class. A library client is not thread-safe
        (`_request` keeps the method on the instance), so each thread gets its own; they share
        our httpx client (thread-safe, one connection pool) and the token cache. Threads of one
        SpApi thus call Amazon in parallel, each call still under the shared limiter."""
        clients: dict[type, Any] | None = getattr(self._per_thread, "clients", None)
        if clients is None:
            clients = self._per_thread.clients = {}
        client = clients.get(cls)
        if client is None:
            with lib.library_environment():
                client = cls(
                    marketplace=_library_marketplace(self.marketplace_id),
                    refresh_token=self._credentials.refresh_token.get_secret_value(),
                    credentials=self._credentials.as_library_dict(),
                    credential_providers=[lib.FromCodeCredentialProvider],
                    auth_token_client_class=partial(
                        LwaTokenClient, lwa_url=self.lwa_url, http=self._http
                    ),
                    timeout=self._timeout,
                    verify=_library_tls(),
                )
            # The tenant's endpoint and marketplace, whatever SP_API_DEFAULT_MARKETPLACE says.
            client.endpoint = self.endpoint
            client.marketplace_id = self.marketplace_id
            client._transport.close()
            client._transport = lib.HttpxTransport(client=self._http)
            clients[cls] = client
        return client

    def _call(
        self,
        operation: str,
        request: Callable[[], T],
        *,
        idempotent: bool = True,
        limited: bool = True,
        prepaid: bool = False,
        prepare: Callable[[], None] | None = None,
    ) -> T:
        """`prepare` runs before the token is taken (the LWA fetch: its latency must not sit
        between our bucket's clock and Amazon's). `prepaid`: the caller already took the
        first attempt's token (`RateLimiter.try_acquire`); each retry takes its own."""
        deadline = self.deadline
        unpaid = [not prepaid]  # whether the next attempt must take a token

        def attempt() -> T:
            self._local.operation = operation
            self._local.deadline = deadline
            try:
                if prepare is not None:
                    prepare()
                if limited and unpaid[0]:
                    self.limiter.acquire(self.seller_id, operation, deadline)
                unpaid[0] = True
                return request()
            except HttpFailure as failure:
                raise self._typed(operation, failure) from None
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                raise ConnectFailed(operation, f"cannot connect ({type(exc).__name__})") from None
            except httpx.TimeoutException as exc:
                raise TransportError(operation, f"timed out ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                raise TransportError(
                    operation, f"transport failed ({type(exc).__name__})"
                ) from None
            except lib.SellingApiException as exc:
                # An `errors` list inside a 2xx body: the library raises, we classify.
                code = getattr(exc, "amzn_code", None)
                message = self._scrub(str(getattr(exc, "message", "") or ""))
                raise ClientError(operation, message, code=code) from None
            finally:
                self._local.operation = None
                self._local.deadline = None

        return self.retry.run(
            attempt,
            deadline,
            operation=operation,
            retry_on=_retry_any if idempotent else _retry_unsent,
        )

    def _send(
        self,
        cls: type,
        operation: str,
        invoke: Callable[[Any], Any],
        *,
        idempotent: bool = True,
        prepaid: bool = False,
    ) -> Any:
        """Run `invoke(library_client)` under the limiter and retries; returns the library's
        ApiResponse."""

        def request() -> Any:
            return invoke(self._library(cls))

        def warm_token() -> None:
            self._library(cls).auth  # noqa: B018 — fetched once, then from the cache

        return self._call(
            operation, request, idempotent=idempotent, prepaid=prepaid, prepare=warm_token
        )

    @staticmethod
    def _parse(operation: str, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            problems = describe_validation(exc)
            raise InvalidResponse(
                operation, f"response does not match the model ({problems})"
            ) from None

    def _download(self, operation: str, location: m.DocumentLocation) -> bytes:
        name = f"{operation}:download"

        def fetch() -> bytes:
            # A presigned URL: no SP-API headers, no usage plan.
            content = self._http.get(location.url).content
            if location.compressionAlgorithm != "GZIP":
                return content
            try:
                return gzip.decompress(content)
            except (EOFError, OSError, zlib.error) as exc:
                raise CorruptDocument(name, f"cannot gunzip ({type(exc).__name__})") from None

        return self._call(name, fetch, limited=False)
