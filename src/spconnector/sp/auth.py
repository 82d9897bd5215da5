"""LWA access tokens: one cache for every SpApi in the process, one fetch per key.

Guarantees:
- Tokens are cached per hashed (token URL, app id, refresh token, flavour) under a lock,
  instead of python-amazon-sp-api's module-global, lock-free cache keyed by refresh token
  alone: two tenants, or one tenant against two LWA endpoints, never share a token.
- Concurrent callers for one key wait for one fetch; a token is refreshed two minutes before
  it expires.
- The token request goes over the SpApi's own httpx client, so its hooks apply: a refused
  refresh token raises (AuthError after mapping), it is never read as an empty token.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from spconnector.sp import library as lib
from spconnector.sp.errors import HttpFailure

LWA_URL = "https://api.amazon.com/auth/o2/token"
LWA_OPERATION = "lwa:token"


class TokenCache:
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


TOKENS = TokenCache()


class LwaTokenClient(lib.AccessTokenClient):  # type: ignore[misc]
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
            raise HttpFailure(
                response.status_code, None, "token response lacks access_token", lwa=True
            )
        return body
