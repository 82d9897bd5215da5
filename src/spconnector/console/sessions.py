"""Signed, expiring sessions and the CSRF tokens bound to them (HMAC-SHA256, stdlib only).

A session is a cookie value `<payload>.<signature>`: the payload names the person, their
grants, a random session id and when it expires; the signature is an HMAC under the console's
key, so a tampered or forged cookie reads as no session at all. The CSRF token of a session is
HMAC(key, "csrf:" + session id): a form carries it, and a POST whose token does not match the
session's changes nothing (the cookie alone, which a browser attaches to a forged cross-site
POST, is not enough).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from spconnector.console.identity import Staff

COOKIE = "spc_session"
SIGN_IN_COOKIE = "spc_sign_in"  # a Cognito sign-in under way: its state, nonce, PKCE verifier
DEFAULT_TTL = timedelta(hours=8)  # one working day; then the person logs in again


@dataclass(frozen=True)
class Session:
    staff: Staff
    session_id: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    def __init__(
        self,
        key: bytes,
        *,
        ttl: timedelta = DEFAULT_TTL,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if len(key) < 32:
            raise ValueError("the session key needs at least 32 bytes")
        self._key = key
        self._ttl = ttl
        self._clock = clock

    def _sign(self, purpose: str, payload: str) -> str:
        mac = hmac.new(self._key, f"{purpose}:{payload}".encode(), hashlib.sha256)
        return _b64(mac.digest())

    def issue(self, staff: Staff, *, not_after: datetime | None = None) -> tuple[str, Session]:
        """A new session; it ends after the TTL, or at `not_after` (the ID token's expiry,
        so a person removed in Cognito loses the console when their token would)."""
        expires_at = self._clock() + self._ttl
        if not_after is not None:
            expires_at = min(expires_at, not_after)
        session = Session(staff=staff, session_id=secrets.token_urlsafe(16), expires_at=expires_at)
        body = {
            "u": staff.user,
            "a": staff.admin,
            "r": sorted(staff.reads),
            "w": sorted(staff.acts),
            "s": session.session_id,
            "e": int(session.expires_at.timestamp()),
        }
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._sign('session', payload)}", session

    def read(self, token: str | None) -> Session | None:
        """The session a cookie value carries; None if absent, tampered with or expired."""
        if not token or token.count(".") != 1:
            return None
        payload, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign("session", payload)):
            return None
        try:
            body = json.loads(_unb64(payload))
            expires_at = datetime.fromtimestamp(int(body["e"]), UTC)
            staff = Staff(
                user=str(body["u"]),
                admin=bool(body["a"]),
                reads=frozenset(map(str, body["r"])),
                acts=frozenset(map(str, body["w"])),
            )
            session_id = str(body["s"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires_at <= self._clock():
            return None
        return Session(staff=staff, session_id=session_id, expires_at=expires_at)

    def seal(self, purpose: str, data: dict[str, str], ttl: timedelta) -> str:
        """A signed, expiring value for `purpose` only (e.g. a sign-in's state and nonce)."""
        body = {"d": data, "e": int((self._clock() + ttl).timestamp())}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._sign('sealed:' + purpose, payload)}"

    def unseal(self, purpose: str, token: str | None) -> dict[str, str] | None:
        """What `seal` sealed for this purpose; None if absent, tampered with or expired."""
        if not token or token.count(".") != 1:
            return None
        payload, signature = token.split(".")
        if not hmac.compare_digest(signature, self._sign("sealed:" + purpose, payload)):
            return None
        try:
            body = json.loads(_unb64(payload))
            expires_at = datetime.fromtimestamp(int(body["e"]), UTC)
            data = {str(k): str(v) for k, v in dict(body["d"]).items()}
        except (ValueError, KeyError, TypeError):
            return None
        return data if expires_at > self._clock() else None

    def csrf_token(self, session_id: str) -> str:
        return self._sign("csrf", session_id)

    def csrf_ok(self, session_id: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(session_id))
