"""`SpApi`: typed SP-API calls for one tenant, over python-amazon-sp-api.

What this layer adds to the library (see library.py for its import-time pitfalls):
- One httpx client with two hooks. The request hook sets the Host header from the URL (the
  library writes `endpoint[8:]`, wrong for http:// endpoints) and bounds the timeout by the
  deadline. The response hook sees every status code — the library turns a non-JSON error
  (HTML 502, empty 429) into an empty payload without raising — and raises, so nothing below
  2xx passes silently; it also feeds `x-amzn-RateLimit-Limit` to the limiter.
- LWA tokens cached per (token URL, app, refresh token) under a lock, instead of the library's
  module-global, lock-free cache keyed by refresh token alone.
- A token bucket per (seller, operation) before each call; retries on 429/5xx/timeouts within
  the deadline; non-idempotent calls (messages, feeds, destinations) retried only when Amazon
  certainly did not act (429, connection refused).
- Request bodies built exactly per Amazon's models: where a library method adds keys the model
  does not define (marketplaceIds in POST bodies, "path"), we call the client's `_request`
  with the exact body instead.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from spconnector.domain import marketplaces
from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.models import Order, OrderItem
from spconnector.domain.money import Money
from spconnector.observability import get_logger
from spconnector.sp import library as lib
from spconnector.sp import models as m
from spconnector.sp.credentials import LwaCredentials
from spconnector.sp.deadline import Deadline
from spconnector.sp.errors import (
    AuthError,
    ClientError,
    ConnectFailed,
    CorruptDocument,
    InvalidResponse,
    NotFound,
    ServerError,
    SpApiError,
    Throttled,
    TransportError,
)
from spconnector.sp.limiter import InProcessLimiter, RateLimiter
from spconnector.sp.retry import RetryPolicy
from spconnector.sp.solicitations import SolicitationCalls

log = get_logger("spconnector.sp")

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

LWA_URL = "https://api.amazon.com/auth/o2/token"
LWA_OPERATION = "lwa:token"
REGION_ENDPOINTS = {
    "na": "https://sellingpartnerapi-na.amazon.com",
    "eu": "https://sellingpartnerapi-eu.amazon.com",
    "fe": "https://sellingpartnerapi-fe.amazon.com",
}
# Never BUYER or RECIPIENT: buyer PII we do not need.
ORDER_INCLUDED_DATA = ("FULFILLMENT", "PROCEEDS", "PACKAGES")
MESSAGE_MAX_CHARS = 2000  # createUnexpectedProblem / createConfirmOrderDetails: 1..2000
_MAX_MESSAGE_LEN = 300  # of an error message we keep from a response


class _HttpFailure(Exception):
    """Raised by the response hook; `_call` turns it into a typed SpApiError."""

    def __init__(self, status: int, code: str | None, message: str, *, lwa: bool) -> None:
        super().__init__(status)
        self.status = status
        self.code = code
        self.message = message
        self.lwa = lwa


# --- LWA tokens --------------------------------------------------------------------------


class _TokenCache:
    """Access tokens by hashed (token URL, app id, refresh token, flavour); one fetch per key."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}
        self._fetching: dict[str, threading.Lock] = {}

    def _fresh(self, key: str) -> dict[str, Any] | None:
        entry = self._entries.get(key)
        return entry[1] if entry and entry[0] > self._clock() else None

    def get(self, key: str, fetch: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            token = self._fresh(key)
            if token is not None:
                return token
            key_lock = self._fetching.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                token = self._fresh(key)
            if token is not None:
                return token
            token = fetch()
            # Refresh two minutes early; LWA tokens live 3600 s.
            ttl = max(30.0, float(token.get("expires_in") or 3600) - 120.0)
            with self._lock:
                self._entries[key] = (self._clock() + ttl, token)
            return token

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


TOKENS = _TokenCache()


class _LwaTokenClient(lib.AccessTokenClient):  # type: ignore[misc]
    """The library's token client, pointed at `lwa_url`, on our httpx client and token cache."""

    def __init__(
        self,
        refresh_token: str | None = None,
        credentials: Any = None,
        proxies: Any = None,
        verify: bool = True,
        *,
        lwa_url: str,
        http: httpx.Client,
    ) -> None:
        super().__init__(
            refresh_token=refresh_token, credentials=credentials, proxies=proxies, verify=verify
        )
        unused: Any = self.__dict__["_transport"]  # the library's own client: not ours
        unused.close()
        self._transport = lib.HttpxTransport(client=http)
        parts = urlsplit(lwa_url)
        self.scheme = f"{parts.scheme}://"
        self.host = parts.netloc
        self.path = parts.path
        self._lwa_url = lwa_url

    def _key(self, flavour: str) -> str:
        raw = "\0".join((self._lwa_url, self.cred.client_id, self.cred.refresh_token, flavour))
        return hashlib.sha256(raw.encode()).hexdigest()

    def get_auth(self) -> Any:
        token = TOKENS.get(
            self._key("refresh_token"),
            lambda: self._request(self._lwa_url, self.data, self.headers),
        )
        return lib.AccessTokenResponse(**token)

    def get_grantless_auth(self, scope: str = "sellingpartnerapi::notifications") -> Any:
        token = TOKENS.get(
            self._key("grantless " + scope),
            lambda: self._request(self._lwa_url, self.grantless_data(scope), self.headers),
        )
        return lib.AccessTokenResponse(**token)

    def _request(self, url: str, data: Any, headers: Any) -> dict[str, Any]:
        # Non-2xx never gets here: the response hook has raised already.
        response = self._transport.request("POST", url, data=data, headers=headers)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("access_token"):
            raise _HttpFailure(
                response.status_code, None, "token response lacks access_token", lwa=True
            )
        return body


# --- the facade ----------------------------------------------------------------------------


def _retry_any(exc: BaseException) -> bool:
    return isinstance(exc, SpApiError) and exc.retryable


def _retry_unsent(exc: BaseException) -> bool:
    """For calls that must not happen twice: only when Amazon certainly did not act."""
    return isinstance(exc, Throttled | ConnectFailed)


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("timestamps sent to Amazon must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _library_marketplace(marketplace_id: str) -> Any:
    for market in lib.Marketplaces:
        if market.marketplace_id == marketplace_id:
            return market
    return lib.Marketplaces.US  # replaced right after construction anyway


class SpApi(SolicitationCalls):
    """SP-API calls for one seller in one marketplace. Safe to share between threads."""

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

    @classmethod
    def for_tenant(
        cls,
        tenant: Any,
        credentials: LwaCredentials | Any,
        *,
        marketplace_id: str | None = None,
        **options: Any,
    ) -> SpApi:
        """From a domain Tenant (its seller id and first marketplace unless one is given)."""
        return cls(
            credentials,
            seller_id=tenant.seller_id,
            marketplace_id=marketplace_id or tenant.marketplace_ids[0],
            **options,
        )

    def __repr__(self) -> str:
        return (
            f"SpApi(seller_id={self.seller_id!r}, marketplace_id={self.marketplace_id!r}, "
            f"endpoint={self.endpoint!r})"
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SpApi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------------

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
        raise _HttpFailure(response.status_code, code, message, lwa=lwa)

    def _scrub(self, text: str) -> str:
        for secret in (self._credentials.lwa_client_secret, self._credentials.refresh_token):
            text = text.replace(secret, "<redacted>")
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

    def _typed(self, operation: str, failure: _HttpFailure) -> SpApiError:
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
                    refresh_token=self._credentials.refresh_token,
                    credentials=self._credentials.as_library_dict(),
                    credential_providers=[lib.FromCodeCredentialProvider],
                    auth_token_client_class=partial(
                        _LwaTokenClient, lwa_url=self.lwa_url, http=self._http
                    ),
                    timeout=self._timeout,
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
        prepare: Callable[[], None] | None = None,
    ) -> T:
        """`prepare` runs before the token is taken (the LWA fetch: its latency must not sit
        between our bucket's clock and Amazon's)."""
        deadline = self.deadline

        def attempt() -> T:
            self._local.operation = operation
            self._local.deadline = deadline
            try:
                if prepare is not None:
                    prepare()
                if limited:
                    self.limiter.acquire(self.seller_id, operation, deadline)
                return request()
            except _HttpFailure as failure:
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
    ) -> Any:
        """Run `invoke(library_client)` under the limiter and retries; returns the library's
        ApiResponse."""

        def request() -> Any:
            return invoke(self._library(cls))

        def warm_token() -> None:
            self._library(cls).auth  # noqa: B018 — fetched once, then from the cache

        return self._call(operation, request, idempotent=idempotent, prepare=warm_token)

    @staticmethod
    def _parse(operation: str, model: type[M], data: Any) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            # include_input=False: a response value (a title, an address) stays out of the text.
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                for e in exc.errors(include_input=False, include_url=False)[:3]
            )
            raise InvalidResponse(
                operation, f"response does not match the model ({problems})"
            ) from None

    # --- LWA ------------------------------------------------------------------------------

    def verify_credentials(self) -> None:
        """Fetch an LWA access token (no SP-API call, no quota used); AuthError if refused."""

        def request() -> None:
            self._library(lib.Messaging).auth  # noqa: B018 — fetches (or reuses) the token

        self._call(LWA_OPERATION, request, limited=False)

    # --- Orders ---------------------------------------------------------------------------

    def get_order(self, order_id: str) -> Order:
        """Orders 2026-01-01 getOrder; Orders v0 (getOrder + getOrderItems) if that fails."""
        try:
            return self.get_order_2026(order_id)
        except (ClientError, InvalidResponse) as exc:
            if exc.operation == LWA_OPERATION:
                raise
            log.info("orders 2026-01-01 failed (%s %s); trying v0", exc.status, exc.code)
        return self.get_order_v0(order_id)

    def get_order_2026(self, order_id: str) -> Order:
        operation = "orders_2026-01-01:getOrder"
        response = self._send(
            lib.OrdersV20260101,
            operation,
            lambda c: c.get_order(order_id, includedData=list(ORDER_INCLUDED_DATA)),
        )
        parsed = self._parse(operation, m.GetOrderResponse2026, response.payload)
        return self._domain(operation, lambda: _order_from_2026(parsed.order, self.marketplace_id))

    def get_order_v0(self, order_id: str) -> Order:
        operation = "ordersV0:getOrder"
        response = self._send(lib.OrdersV0, operation, lambda c: c.get_order(order_id))
        order = self._parse(operation, m.OrderV0, response.payload)
        items = self._order_items_v0(order_id)
        return self._domain(operation, lambda: _order_from_v0(order, items, self.marketplace_id))

    def get_order_items(self, order_id: str) -> tuple[OrderItem, ...]:
        operation = "ordersV0:getOrderItems"
        items = self._order_items_v0(order_id)
        return self._domain(
            operation, lambda: tuple(_item_from_v0(i) for i in items if i.QuantityOrdered > 0)
        )

    def _order_items_v0(self, order_id: str) -> list[m.OrderItemV0]:
        operation = "ordersV0:getOrderItems"
        path = f"/orders/v0/orders/{_quote(order_id)}/orderItems"
        items: list[m.OrderItemV0] = []
        token: str | None = None
        while True:
            params = {"NextToken": token} if token else {}
            # Not the library's get_order_items: it adds four marketplace query parameters.
            response = self._send(
                lib.OrdersV0,
                operation,
                partial(_get_page, path=path, params=params),
            )
            page = self._parse(operation, m.OrderItemsListV0, response.payload)
            items.extend(page.OrderItems)
            token = page.NextToken
            if not token:
                return items

    def _domain(self, operation: str, build: Callable[[], T]) -> T:
        try:
            return build()
        except (ValidationError, ValueError, ArithmeticError) as exc:
            detail = (
                "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                    for e in exc.errors(include_input=False, include_url=False)[:3]
                )
                if isinstance(exc, ValidationError)
                else str(exc)
            )
            raise InvalidResponse(operation, f"cannot map to an order ({detail})") from None

    # --- Messaging ------------------------------------------------------------------------

    def get_messaging_actions(self, order_id: str) -> list[str]:
        operation = "messaging:getMessagingActionsForOrder"
        response = self._send(
            lib.Messaging,
            operation,
            lambda c: c.get_messaging_actions_for_order(
                order_id, marketplaceIds=self.marketplace_id
            ),
        )
        parsed = self._parse(operation, m.GetMessagingActionsForOrderResponse, response.payload)
        return parsed.action_names()

    def get_buyer_locale(self, order_id: str) -> str | None:
        operation = "messaging:GetAttributes"
        response = self._send(
            lib.Messaging,
            operation,
            lambda c: c.get_attributes(order_id, marketplaceIds=self.marketplace_id),
        )
        parsed = self._parse(operation, m.GetAttributesResponse, response.payload)
        return parsed.buyer.locale if parsed.buyer else None

    def create_unexpected_problem(self, order_id: str, text: str) -> None:
        self._send_message("createUnexpectedProblem", "unexpectedProblem", order_id, text)

    def create_confirm_order_details(self, order_id: str, text: str) -> None:
        self._send_message("createConfirmOrderDetails", "confirmOrderDetails", order_id, text)

    def _send_message(self, operation_id: str, action: str, order_id: str, text: str) -> None:
        if not 1 <= len(text) <= MESSAGE_MAX_CHARS:
            raise ValueError(f"message text must be 1–{MESSAGE_MAX_CHARS} characters")
        path = f"/messaging/v1/orders/{_quote(order_id)}/messages/{action}"
        # The library's create_* would add marketplaceIds to the body; the model has only text.
        self._send(
            lib.Messaging,
            f"messaging:{operation_id}",
            lambda c: c._request(
                path,
                params={"marketplaceIds": self.marketplace_id, "method": "POST"},
                data={"text": text},
                add_marketplace=False,
            ),
            idempotent=False,
        )

    # --- Reports --------------------------------------------------------------------------

    def create_report(
        self,
        report_type: str,
        start: datetime | None = None,
        end: datetime | None = None,
        marketplace_ids: Sequence[str] | None = None,
        options: dict[str, str] | None = None,
    ) -> str:
        operation = "reports_2021-06-30:createReport"
        body: dict[str, Any] = {
            "reportType": report_type,
            "marketplaceIds": list(marketplace_ids or [self.marketplace_id]),
        }
        if start is not None:
            body["dataStartTime"] = _iso(start)
        if end is not None:
            body["dataEndTime"] = _iso(end)
        if options:
            body["reportOptions"] = dict(options)
        response = self._send(lib.Reports, operation, lambda c: c.create_report(**body))
        return self._parse(operation, m.CreateReportResponse, response.payload).reportId

    def get_report(self, report_id: str) -> m.Report:
        operation = "reports_2021-06-30:getReport"
        path = f"/reports/2021-06-30/reports/{_quote(report_id)}"
        # Not the library's get_report: it adds marketplace query parameters.
        response = self._send(
            lib.Reports, operation, lambda c: c._request(path, add_marketplace=False)
        )
        return self._parse(operation, m.Report, response.payload)

    def get_report_document(self, document_id: str) -> bytes:
        """getReportDocument, then the download, gunzipped when Amazon says GZIP."""
        operation = "reports_2021-06-30:getReportDocument"
        response = self._send(lib.Reports, operation, lambda c: c.get_report_document(document_id))
        location = self._parse(operation, m.ReportDocument, response.payload)
        return self._download(operation, location)

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

    # --- Feeds ----------------------------------------------------------------------------

    def create_feed_document(self, content_type: str) -> tuple[str, str]:
        operation = "feeds_2021-06-30:createFeedDocument"
        # The library's create_feed_document puts "path" and marketplaceIds into the body.
        response = self._send(
            lib.FeedsV20210630,
            operation,
            lambda c: c._request(
                "/feeds/2021-06-30/documents",
                params={"method": "POST"},
                data={"contentType": content_type},
                add_marketplace=False,
            ),
        )
        parsed = self._parse(operation, m.CreateFeedDocumentResponse, response.payload)
        return parsed.feedDocumentId, parsed.url

    def upload_feed_document(self, url: str, data: bytes, content_type: str) -> None:
        def put() -> None:
            self._http.put(url, content=data, headers={"content-type": content_type})

        self._call("feeds_2021-06-30:uploadFeedDocument", put, limited=False)

    def create_feed(
        self, feed_type: str, document_id: str, marketplace_ids: Sequence[str] | None = None
    ) -> str:
        """createFeed. Retried only on 429: after a 5xx or timeout the feed may exist, and the
        caller (refunds) recovers by listing feeds rather than risk a second refund feed."""
        operation = "feeds_2021-06-30:createFeed"
        body = {
            "feedType": feed_type,
            "marketplaceIds": list(marketplace_ids or [self.marketplace_id]),
            "inputFeedDocumentId": document_id,
        }
        # The library's create_feed puts "path" into the body.
        response = self._send(
            lib.FeedsV20210630,
            operation,
            lambda c: c._request(
                "/feeds/2021-06-30/feeds",
                params={"method": "POST"},
                data=dict(body),
                add_marketplace=False,
            ),
            idempotent=False,
        )
        return self._parse(operation, m.CreateFeedResponse, response.payload).feedId

    def get_feed(self, feed_id: str) -> m.Feed:
        operation = "feeds_2021-06-30:getFeed"
        response = self._send(lib.FeedsV20210630, operation, lambda c: c.get_feed(feed_id))
        return self._parse(operation, m.Feed, response.payload)

    def get_feeds(
        self,
        feed_types: Iterable[str],
        created_since: datetime | None = None,
        marketplace_ids: Sequence[str] | None = None,
        processing_statuses: Iterable[str] | None = None,
    ) -> list[m.Feed]:
        """getFeeds, every page."""
        operation = "feeds_2021-06-30:getFeeds"
        first: dict[str, Any] = {
            "feedTypes": ",".join(feed_types),
            "marketplaceIds": ",".join(marketplace_ids or [self.marketplace_id]),
            "pageSize": 100,
        }
        if created_since is not None:
            first["createdSince"] = _iso(created_since)
        if processing_statuses:
            first["processingStatuses"] = ",".join(processing_statuses)
        feeds: list[m.Feed] = []
        params = first
        while True:
            response = self._send(
                lib.FeedsV20210630, operation, partial(_get_feeds_page, params=params)
            )
            page = self._parse(
                operation,
                m.GetFeedsResponse,
                {**response.payload, "nextToken": response.next_token},
            )
            feeds.extend(page.feeds)
            if not page.nextToken:
                return feeds
            params = {"nextToken": page.nextToken}  # Amazon: the token must come alone

    def get_feed_result_document(self, document_id: str) -> bytes:
        operation = "feeds_2021-06-30:getFeedDocument"
        path = f"/feeds/2021-06-30/documents/{_quote(document_id)}"
        # Not the library's get_feed_result_document: it downloads without our hooks.
        response = self._send(
            lib.FeedsV20210630, operation, lambda c: c._request(path, add_marketplace=False)
        )
        location = self._parse(operation, m.FeedDocument, response.payload)
        return self._download(operation, location)

    # --- Notifications --------------------------------------------------------------------

    def create_sqs_destination(self, arn: str, name: str) -> m.Destination:
        """createDestination (grantless) for an SQS queue."""
        operation = "notifications:createDestination"
        body = {"resourceSpecification": {"sqs": {"arn": arn}}, "name": name}

        def invoke(c: Any) -> Any:
            headers = lib.build_headers(c.endpoint, c.user_agent, c.grantless_auth.access_token)
            # Not _request_grantless_operation: that adds marketplaceIds to the body.
            return c._request(
                "/notifications/v1/destinations",
                params={"method": "POST"},
                data=dict(body),
                headers=headers,
                add_marketplace=False,
            )

        response = self._send(lib.Notifications, operation, invoke, idempotent=False)
        return self._parse(operation, m.Destination, response.payload)

    def get_destinations(self) -> list[m.Destination]:
        """getDestinations (grantless): every destination of the application."""
        operation = "notifications:getDestinations"

        def invoke(c: Any) -> Any:
            headers = lib.build_headers(c.endpoint, c.user_agent, c.grantless_auth.access_token)
            return c._request(
                "/notifications/v1/destinations", headers=headers, add_marketplace=False
            )

        response = self._send(lib.Notifications, operation, invoke)
        payload = response.payload if isinstance(response.payload, list) else []
        return [self._parse(operation, m.Destination, d) for d in payload]

    def get_subscription(
        self, notification_type: str, payload_version: str | None = None
    ) -> m.Subscription | None:
        """getSubscription for this seller; None when there is none (404)."""
        operation = "notifications:getSubscription"
        params = {"payloadVersion": payload_version} if payload_version else {}
        try:
            response = self._send(
                lib.Notifications,
                operation,
                partial(
                    _get_page,
                    path=f"/notifications/v1/subscriptions/{_quote(notification_type)}",
                    params=params,
                ),
            )
        except NotFound:
            return None
        return self._parse(operation, m.Subscription, response.payload)

    def create_subscription(
        self, notification_type: str, destination_id: str, payload_version: str = "1.0"
    ) -> m.Subscription:
        operation = "notifications:createSubscription"
        body = {"payloadVersion": payload_version, "destinationId": destination_id}
        response = self._send(
            lib.Notifications,
            operation,
            lambda c: c._request(
                f"/notifications/v1/subscriptions/{_quote(notification_type)}",
                params={"method": "POST"},
                data=dict(body),
                add_marketplace=False,
            ),
            idempotent=False,
        )
        return self._parse(operation, m.Subscription, response.payload)

    # --- Product Pricing ------------------------------------------------------------------

    def get_seller_feedback_rating(
        self, sku: str, item_condition: str = "New"
    ) -> m.SellerFeedbackRating:
        """The seller's own offer's SellerFeedbackRating (positive %, count over 365 days)."""
        operation = "productPricingV0:getListingOffers"
        response = self._send(
            lib.ProductsV0,
            operation,
            lambda c: c.get_listings_offer(sku, item_condition, MarketplaceId=self.marketplace_id),
        )
        result = self._parse(operation, m.GetOffersResult, response.payload)
        for offer in result.Offers:
            if offer.MyOffer or offer.SellerId == self.seller_id:
                if offer.SellerFeedbackRating is None:
                    break
                return m.SellerFeedbackRating(
                    positive_percent=offer.SellerFeedbackRating.SellerPositiveFeedbackRating,
                    count=offer.SellerFeedbackRating.FeedbackCount,
                )
        raise NotFound(operation, f"no own offer with a feedback rating for SKU {sku!r}")


def _get_page(client: Any, *, path: str, params: dict[str, str]) -> Any:
    return client._request(path, params=dict(params), add_marketplace=False)


def _get_feeds_page(client: Any, *, params: dict[str, Any]) -> Any:
    return client.get_feeds(**params)


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


# --- mapping to the domain ---------------------------------------------------------------


def _money(amount: Decimal, currency: str) -> Money:
    return Money(amount=amount, currency=currency)


# Orders v0 statuses in the 2026-01-01 vocabulary, so both paths give the same Order.
_V0_STATUS = {
    "Pending": "PENDING",
    "PendingAvailability": "PENDING_AVAILABILITY",
    "Unshipped": "UNSHIPPED",
    "PartiallyShipped": "PARTIALLY_SHIPPED",
    "Shipped": "SHIPPED",
    "Canceled": "CANCELLED",
    "Unfulfillable": "UNFULFILLABLE",
    "InvoiceUnconfirmed": "UNSHIPPED",
}


def _unit_price_2026(line: m.OrderItem2026) -> Money:
    unit = line.product.price.unitPrice if line.product.price else None
    if unit is not None:
        return _money(unit.amount, unit.currencyCode)
    # No list price (e.g. pending): the line's ITEM proceeds divided by its quantity.
    breakdowns = line.proceeds.breakdowns if line.proceeds else ()
    item_total = next((b.subtotal for b in breakdowns if b.type == "ITEM"), None)
    if item_total is None or line.quantityOrdered < 1:
        raise ValueError(f"order item {line.orderItemId} has no price")
    return _money(item_total.amount / line.quantityOrdered, item_total.currencyCode)


def _delivered_at(order: m.Order2026) -> datetime | None:
    """Amazon gives no delivery timestamp. When every package is DELIVERED, the promised
    latest delivery time is the bound we have (it errs towards the buyer's return window)."""
    packages = order.packages
    if not packages or any(
        p.packageStatus is None or p.packageStatus.status != "DELIVERED" for p in packages
    ):
        return None
    window = order.fulfillment.deliverByWindow if order.fulfillment else None
    return window.latestDateTime if window else None


def _order_from_2026(order: m.Order2026, marketplace_id: str) -> Order:
    items = []
    shipping: Money | None = None
    for line in order.orderItems:
        if line.quantityOrdered < 1:
            continue  # a cancelled line
        product = line.product
        unit_price = _unit_price_2026(line)
        items.append(
            OrderItem(
                sku=product.sellerSku or product.asin or line.orderItemId,
                order_item_id=line.orderItemId,
                asin=product.asin,
                title=product.title,
                quantity=line.quantityOrdered,
                unit_price=unit_price,
            )
        )
        breakdowns = line.proceeds.breakdowns if line.proceeds else ()
        if breakdowns and shipping is None:
            shipping = Money.zero(unit_price.currency)
        for part in breakdowns:
            if part.type == "SHIPPING" and shipping is not None:
                shipping = shipping + _money(part.subtotal.amount, part.subtotal.currencyCode)
    fulfilled_by = order.fulfillment.fulfilledBy if order.fulfillment else None
    return Order(
        amazon_order_id=order.orderId,
        marketplace_id=order.salesChannel.marketplaceId or marketplace_id,
        purchase_date=order.createdTime,
        delivered_at=_delivered_at(order),
        fulfillment_channel=FulfillmentChannel.FBA
        if fulfilled_by == "AMAZON"
        else FulfillmentChannel.MFN,
        items=tuple(items),
        shipping_price=shipping,
        order_status=order.fulfillment.fulfillmentStatus if order.fulfillment else None,
    )


def _item_from_v0(item: m.OrderItemV0) -> OrderItem:
    price = item.ItemPrice
    if price is None or price.Amount is None or price.CurrencyCode is None:
        raise ValueError(f"order item {item.OrderItemId} has no price")
    if item.QuantityOrdered < 1:
        raise ValueError(f"order item {item.OrderItemId} has quantity {item.QuantityOrdered}")
    return OrderItem(
        sku=item.SellerSKU or item.ASIN,
        order_item_id=item.OrderItemId,
        asin=item.ASIN,
        title=item.Title,
        quantity=item.QuantityOrdered,
        # v0 ItemPrice is the line total (price × quantity).
        unit_price=_money(price.Amount / item.QuantityOrdered, price.CurrencyCode),
    )


def _order_from_v0(order: m.OrderV0, items: list[m.OrderItemV0], marketplace_id: str) -> Order:
    shipping: Money | None = None
    for item in items:
        price = item.ShippingPrice
        if price is not None and price.Amount is not None and price.CurrencyCode:
            amount = _money(price.Amount, price.CurrencyCode)
            shipping = amount if shipping is None else shipping + amount
    return Order(
        amazon_order_id=order.AmazonOrderId,
        marketplace_id=order.MarketplaceId or marketplace_id,
        purchase_date=order.PurchaseDate,
        fulfillment_channel=FulfillmentChannel.FBA
        if order.FulfillmentChannel == "AFN"
        else FulfillmentChannel.MFN,
        items=tuple(_item_from_v0(i) for i in items if i.QuantityOrdered > 0),
        shipping_price=shipping,
        order_status=_V0_STATUS.get(order.OrderStatus, order.OrderStatus),
    )
