"""Sign-in through the Cognito hosted UI: OAuth 2.0 authorization code with PKCE (S256).

Guarantees:
- `begin` makes a fresh random `state`, `nonce` and PKCE verifier per attempt; the console keeps
  them in a short-lived signed cookie, never server-side, so any Lambda instance can finish.
- `finish` refuses (SignInRefused, with the reason) unless the `state` Cognito sends back is the
  one this browser was given, the code exchange at the domain's `/oauth2/token` succeeds, and the
  ID token verifies: RS256 under a key from the pool's JWKS (cached by PyJWT's `PyJWKClient`),
  `iss` the pool, `aud` the app client, `exp` in the future, `token_use == "id"` and the
  `nonce` of this attempt. Only then are its claims returned, for `staff_from_claims`.
- Endpoints must be https; plain http is accepted only on 127.0.0.1 (the tests' fake provider).
- Tokens are never logged; an error names the check that failed, not the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

if TYPE_CHECKING:
    import jwt

SCOPES = "openid email"


class SignInRefused(PermissionError):
    """The sign-in did not prove who the person is; the reason is safe to show."""


@dataclass(frozen=True)
class CognitoSettings:
    """Where the user pool's hosted UI lives and who this console is to it."""

    domain: str  # https://<prefix>.auth.<region>.amazoncognito.com
    client_id: str
    issuer: str  # https://cognito-idp.<region>.amazonaws.com/<pool id>
    redirect_uri: str  # https://<console>/auth/callback, registered on the app client
    logout_uri: str  # where the hosted UI's /logout sends the browser, registered too
    jwks_url: str = ""  # default: <issuer>/.well-known/jwks.json
    leeway_seconds: int = 30  # clock skew between Cognito and Lambda
    timeout_seconds: float = 5.0

    @classmethod
    def from_json(cls, text: str) -> CognitoSettings:
        data = json.loads(text)
        return cls(
            domain=str(data["domain"]),
            client_id=str(data["client_id"]),
            issuer=str(data["issuer"]),
            redirect_uri=str(data["redirect_uri"]),
            logout_uri=str(data["logout_uri"]),
        )

    def __post_init__(self) -> None:
        for name in ("domain", "issuer", "redirect_uri", "logout_uri", "jwks_url"):
            value = getattr(self, name)
            if name == "jwks_url" and not value:
                continue
            _check_url(name, value)


def _check_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname == "127.0.0.1":
        return
    raise ValueError(f"{name} must be an https URL (http only on 127.0.0.1): {url!r}")


@dataclass(frozen=True)
class PendingSignIn:
    """What the browser must bring back: kept in the signed sign-in cookie."""

    state: str
    nonce: str
    verifier: str

    def to_dict(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PendingSignIn:
        return cls(
            state=str(data["state"]), nonce=str(data["nonce"]), verifier=str(data["verifier"])
        )


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class CognitoSignIn:
    def __init__(self, settings: CognitoSettings) -> None:
        self.settings = settings
        jwks_url = settings.jwks_url or settings.issuer.rstrip("/") + "/.well-known/jwks.json"
        self._jwks_url = jwks_url

    @cached_property
    def _keys(self) -> jwt.PyJWKClient:
        # PyJWT (and `cryptography` under it) is imported at the first sign-in, not in the
        # Lambda's init; one client per process: keys are cached an hour, refetched when a
        # new `kid` appears
        import jwt

        return jwt.PyJWKClient(
            self._jwks_url,
            cache_keys=True,
            lifespan=3600,
            timeout=int(self.settings.timeout_seconds),
        )

    def begin(self) -> tuple[str, PendingSignIn]:
        """The hosted UI's authorize URL for a fresh attempt, and what to remember of it."""
        pending = PendingSignIn(
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            verifier=secrets.token_urlsafe(48),  # 64 characters: RFC 7636 wants 43-128
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.settings.client_id,
                "redirect_uri": self.settings.redirect_uri,
                "scope": SCOPES,
                "state": pending.state,
                "nonce": pending.nonce,
                "code_challenge": _challenge(pending.verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{self.settings.domain.rstrip('/')}/oauth2/authorize?{query}", pending

    def finish(
        self, pending: PendingSignIn | None, *, code: str | None, state: str | None
    ) -> dict[str, Any]:
        """The verified ID token's claims, or SignInRefused."""
        if pending is None:
            raise SignInRefused("the sign-in expired or was started in another browser")
        if not state or not hmac.compare_digest(state, pending.state):
            raise SignInRefused("the sign-in's state does not match this browser's")
        if not code:
            raise SignInRefused("Cognito sent no authorization code")
        id_token = self._exchange(code, pending.verifier)
        return self.verify(id_token, nonce=pending.nonce)

    def _exchange(self, code: str, verifier: str) -> str:
        body = urlencode(
            {
                "grant_type": "authorization_code",
                "client_id": self.settings.client_id,
                "code": code,
                "redirect_uri": self.settings.redirect_uri,
                "code_verifier": verifier,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in CognitoSettings
            self.settings.domain.rstrip("/") + "/oauth2/token",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310 - https, or http on 127.0.0.1 only
                request, timeout=self.settings.timeout_seconds
            ) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise SignInRefused(f"Cognito refused the code (HTTP {exc.code})") from None
        except (urllib.error.URLError, TimeoutError, ValueError):
            raise SignInRefused("Cognito's token endpoint did not answer") from None
        token = answer.get("id_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise SignInRefused("Cognito's answer held no ID token")
        return token

    def verify(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        import jwt

        try:
            key = self._keys.get_signing_key_from_jwt(id_token)
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key.key,
                algorithms=["RS256"],
                audience=self.settings.client_id,
                issuer=self.settings.issuer,
                leeway=self.settings.leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise SignInRefused("the ID token has expired") from None
        except jwt.InvalidAudienceError:
            raise SignInRefused("the ID token is for another app client") from None
        except jwt.InvalidIssuerError:
            raise SignInRefused("the ID token is from another user pool") from None
        except jwt.PyJWKClientError:
            raise SignInRefused("the ID token's key is not the user pool's") from None
        except jwt.InvalidTokenError:
            raise SignInRefused("the ID token's signature or claims are invalid") from None
        if claims.get("token_use") != "id":
            raise SignInRefused("that is not an ID token")
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise SignInRefused("the ID token's nonce does not match this sign-in")
        return claims

    def logout_url(self) -> str:
        query = urlencode(
            {"client_id": self.settings.client_id, "logout_uri": self.settings.logout_uri}
        )
        return f"{self.settings.domain.rstrip('/')}/logout?{query}"
