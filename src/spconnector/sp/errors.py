"""Typed SP-API errors.

Messages carry the operation, the HTTP status and Amazon's error code and message — never a
credential, an access token, a request body or a URL with a presigned query string.
"""

from __future__ import annotations


class SpApiError(Exception):
    """Any failure of an SP-API call that the layer gave up on."""

    retryable: bool = False

    def __init__(
        self,
        operation: str,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        self.operation = operation
        self.status = status
        self.code = code
        self.amazon_message = message
        status_part = f" HTTP {status}" if status is not None else ""
        code_part = f" {code}:" if code else ":"
        super().__init__(f"{operation}{status_part}{code_part} {message}")


class Throttled(SpApiError):
    """429: the usage plan's bucket is empty."""

    retryable = True


class ServerError(SpApiError):
    """5xx, including bodies that are not JSON (an HTML 502 page from a load balancer)."""

    retryable = True


class TransportError(SpApiError):
    """Timeouts and connection failures: nothing reached us, so trying again is safe."""

    retryable = True


class ConnectFailed(TransportError):
    """The connection was never made, so the request was certainly not sent."""


class CorruptDocument(SpApiError):
    """A report or feed document could not be read (e.g. a truncated gzip stream)."""

    retryable = True


class ClientError(SpApiError):
    """4xx other than 429: the request itself is wrong; retrying cannot help."""


class NotFound(ClientError):
    """404: the order, report or feed does not exist for this seller."""


class AuthError(ClientError):
    """LWA refused the credentials, or the API refused the token (401/403)."""


class BudgetExhausted(SpApiError):
    """The time the caller has left is not enough to wait for a token or another attempt.

    Not retried inside the call: the caller (a Lambda) should hand the work back (e.g. let the
    SQS message become visible again) rather than be killed mid-call.
    """


class InvalidResponse(SpApiError):
    """A 2xx response whose body does not match Amazon's model for the operation."""


class HttpFailure(Exception):
    """A non-2xx answer, raised inside an httpx response hook (or by the LWA token client)
    and turned into a typed SpApiError by the transport. Never leaves the sp package."""

    def __init__(self, status: int, code: str | None, message: str, *, lwa: bool) -> None:
        super().__init__(status)
        self.status = status
        self.code = code
        self.message = message
        self.lwa = lwa
