"""Tenant LWA credentials: one Secrets Manager secret per tenant, cached for a while.

The secret is a JSON object {"lwa_app_id", "lwa_client_secret", "refresh_token"} (the names
python-amazon-sp-api uses; its SP_API_REFRESH_TOKEN / LWA_APP_ID / LWA_CLIENT_SECRET spelling is
accepted too). Values never appear in a repr, a log line or an exception message.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spconnector.sp.errors import AuthError

_KEYS = {
    "lwa_app_id": ("lwa_app_id", "LWA_APP_ID"),
    "lwa_client_secret": ("lwa_client_secret", "LWA_CLIENT_SECRET"),
    "refresh_token": ("refresh_token", "SP_API_REFRESH_TOKEN"),
}


@dataclass(frozen=True, slots=True)
class LwaCredentials:
    lwa_app_id: str
    lwa_client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)

    def __repr__(self) -> str:
        return f"LwaCredentials(lwa_app_id={_shorten(self.lwa_app_id)!r}, secrets=<hidden>)"

    __str__ = __repr__

    @classmethod
    def from_mapping(cls, data: Any, *, source: str) -> LwaCredentials:
        if not isinstance(data, dict):
            raise AuthError("credentials", f"{source} is not a JSON object")
        values: dict[str, str] = {}
        missing = []
        for name, spellings in _KEYS.items():
            value = next((data[k] for k in spellings if isinstance(data.get(k), str)), "")
            if not value.strip():
                missing.append(name)
            values[name] = value.strip()
        if missing:
            raise AuthError("credentials", f"{source} lacks {', '.join(missing)}")
        return cls(**values)

    @classmethod
    def of(cls, value: Any) -> LwaCredentials:
        """Ours, a mapping, or an object with the three attributes (SecretStr values too)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls.from_mapping(value, source="credentials")

        def plain(name: str) -> str:
            attr = getattr(value, name)
            return str(attr.get_secret_value() if hasattr(attr, "get_secret_value") else attr)

        return cls(plain("lwa_app_id"), plain("lwa_client_secret"), plain("refresh_token"))

    def as_library_dict(self) -> dict[str, str]:
        """The `credentials=` mapping python-amazon-sp-api expects."""
        return {
            "lwa_app_id": self.lwa_app_id,
            "lwa_client_secret": self.lwa_client_secret,
            "refresh_token": self.refresh_token,
        }


def _shorten(value: str) -> str:
    return value if len(value) <= 12 else value[:12] + "…"


class SecretsManagerCredentials:
    """Reads and caches each tenant's secret; `invalidate` after an auth failure (rotation)."""

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

    def _secrets(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("secretsmanager")
        return self._client

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
            response = self._secrets().get_secret_value(SecretId=secret_id)
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
