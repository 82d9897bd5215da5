"""Tenant SP-API credentials in Secrets Manager — the one place for the secret's name; the
adapter that stores and reads `LwaCredentials` (the one type, sp/credentials.py, which owns
the JSON shape). Values are SecretStr: they never show in repr, logs or exceptions."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from spconnector.aws import clients
from spconnector.aws.items import checked_tenant
from spconnector.sp.credentials import CredentialsError, LwaCredentials
from spconnector.sp.errors import AuthError

__all__ = [
    "CredentialsError",
    "LwaCredentials",
    "SecretsManagerCredentials",
    "put_credentials",
    "read_credentials",
    "secret_exists",
    "secret_name_for",
]

SECRET_NAME_TEMPLATE = "spconnector/{tenant}/sp-api"  # noqa: S105 (a name, not a secret)


def secret_name_for(tenant: str) -> str:
    return SECRET_NAME_TEMPLATE.format(tenant=checked_tenant(tenant))


def _sm(client: Any | None) -> Any:
    return client if client is not None else clients.client("secretsmanager")


def _error_code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    return response.get("Error", {}).get("Code") if isinstance(response, dict) else None


def put_credentials(tenant: str, creds: LwaCredentials, *, client: Any | None = None) -> str:
    """Create the tenant's secret, or store a new version if it exists. Returns the ARN."""
    sm = _sm(client)
    name = secret_name_for(tenant)
    try:
        response = sm.create_secret(
            Name=name,
            SecretString=creds.to_secret_string(),
            Description=f"SP-API LWA credentials of spconnector tenant {tenant}",
            Tags=[{"Key": "spconnector:tenant", "Value": tenant}],
        )
    except Exception as exc:
        if _error_code(exc) != "ResourceExistsException":
            raise
        response = sm.put_secret_value(SecretId=name, SecretString=creds.to_secret_string())
    arn: str = response["ARN"]
    return arn


def read_credentials(secret_id: str, *, client: Any | None = None) -> LwaCredentials:
    """Read a secret by name or ARN (Tenant.credentials_secret)."""
    try:
        response = _sm(client).get_secret_value(SecretId=secret_id)
    except Exception as exc:
        if _error_code(exc) == "ResourceNotFoundException":
            raise CredentialsError(f"secret {secret_id} not found") from None
        raise
    return LwaCredentials.from_secret_string(response["SecretString"])


def secret_exists(secret_id: str, *, client: Any | None = None) -> bool:
    try:
        _sm(client).describe_secret(SecretId=secret_id)
    except Exception as exc:
        if _error_code(exc) == "ResourceNotFoundException":
            return False
        raise
    return True


class SecretsManagerCredentials:
    """Reads and caches each tenant's secret; `invalidate` after an auth failure (rotation).

    Failures are AuthError("credentials", …) naming the secret and the error code, never a
    value: the SP client treats them like a refused refresh token."""

    def __init__(
        self,
        client: Any = None,
        *,
        ttl_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, LwaCredentials]] = {}
        self._lock = threading.Lock()

    def get(self, secret_id: str) -> LwaCredentials:
        now = self._clock()
        with self._lock:
            cached = self._cache.get(secret_id)
            if cached and now - cached[0] < self._ttl:
                return cached[1]
        credentials = self._load(secret_id)
        with self._lock:
            self._cache[secret_id] = (now, credentials)
        return credentials

    def invalidate(self, secret_id: str) -> None:
        with self._lock:
            self._cache.pop(secret_id, None)

    def _load(self, secret_id: str) -> LwaCredentials:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = _sm(self._client).get_secret_value(SecretId=secret_id)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "ClientError")
            raise AuthError("credentials", f"cannot read secret {secret_id!r} ({code})") from None
        except BotoCoreError as exc:
            name = type(exc).__name__
            raise AuthError("credentials", f"cannot read secret {secret_id!r} ({name})") from None
        text = response.get("SecretString")
        if not isinstance(text, str):
            raise AuthError("credentials", f"secret {secret_id!r} has no SecretString")
        try:
            data = json.loads(text)
        except ValueError:
            # `from None`: a JSONDecodeError keeps the whole document in `.doc`.
            raise AuthError("credentials", f"secret {secret_id!r} is not JSON") from None
        return LwaCredentials.from_mapping(data, source=f"secret {secret_id!r}")
