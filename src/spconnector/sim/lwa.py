"""Login with Amazon: the token endpoint and access-token checks.

Access tokens are self-contained (subject, expiry, HMAC keyed by the seed), so a client that
caches a token across two simulators with the same seed — python-amazon-sp-api keeps a
process-wide token cache — still presents a valid token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from spconnector.sim.http import ApiError, Request, Response

TOKEN_TTL_SECONDS = 3600
GRANTLESS_SCOPES = frozenset(
    {
        "sellingpartnerapi::notifications",
        "sellingpartnerapi::client_credential:rotation",
        "sellingpartnerapi::migration",
    }
)


@dataclass(frozen=True)
class Credentials:
    lwa_app_id: str
    lwa_client_secret: str
    refresh_token: str

    def as_dict(self) -> dict[str, str]:
        return {
            "lwa_app_id": self.lwa_app_id,
            "lwa_client_secret": self.lwa_client_secret,
            "refresh_token": self.refresh_token,
        }


def credentials_for_seed(seed: int) -> Credentials:
    digest = hashlib.sha256(f"spconnector-sim-{seed}".encode()).hexdigest()
    return Credentials(
        lwa_app_id=f"amzn1.application-oa2-client.sim{digest[:24]}",
        lwa_client_secret=f"amzn1.oa2-cs.v1.sim{digest[24:56]}",
        refresh_token=f"Atzr|IwEBIsim{digest[:40]}",
    )


def _lwa_error(status: int, error: str, description: str) -> Response:
    return Response.json(status, {"error": error, "error_description": description})


class TokenIssuer:
    def __init__(self, seed: int, credentials: Credentials) -> None:
        self.credentials = credentials
        self._key = hashlib.sha256(f"sim-token-key-{seed}".encode()).digest()
        self._refresh_tokens = {credentials.refresh_token}

    def add_refresh_token(self, token: str) -> None:
        self._refresh_tokens.add(token)

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._key, payload, hashlib.sha256).hexdigest()[:32]

    def _issue(self, subject: str) -> str:
        payload = json.dumps({"s": subject, "e": int(time.time()) + TOKEN_TTL_SECONDS}).encode()
        encoded = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"Atza|{encoded}.{self._sign(payload)}"

    def token_endpoint(self, req: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
        grant = form.get("grant_type")
        if grant not in ("refresh_token", "client_credentials"):
            return _lwa_error(
                400, "unsupported_grant_type", "The authorization grant type is not supported"
            )
        if not form.get("client_id") or not form.get("client_secret"):
            return _lwa_error(400, "invalid_request", "Required parameter client_id missing")
        if not (
            hmac.compare_digest(form["client_id"], self.credentials.lwa_app_id)
            and hmac.compare_digest(form["client_secret"], self.credentials.lwa_client_secret)
        ):
            return _lwa_error(401, "invalid_client", "Client authentication failed")
        if grant == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in self._refresh_tokens:
                return _lwa_error(
                    400,
                    "invalid_grant",
                    "The request has an invalid grant parameter : refresh_token",
                )
            subject = "rt:" + hashlib.sha256(refresh.encode()).hexdigest()[:24]
            body = {
                "access_token": self._issue(subject),
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": TOKEN_TTL_SECONDS,
            }
            return Response.json(200, body)
        scope = form.get("scope", "")
        if scope not in GRANTLESS_SCOPES:
            return _lwa_error(400, "invalid_scope", "The request has an invalid parameter : scope")
        body = {
            "access_token": self._issue(f"cc:{form['client_id']}:{scope}"),
            "token_type": "bearer",
            "expires_in": TOKEN_TTL_SECONDS,
        }
        return Response.json(200, body)

    def subject_of(self, req: Request) -> str:
        """The caller behind `x-amz-access-token`; 403 when missing, forged or expired."""
        token = req.headers.get("x-amz-access-token")
        if not token:
            raise ApiError(403, "Unauthorized", "Access to requested resource is denied.")
        try:
            encoded, signature = token.removeprefix("Atza|").rsplit(".", 1)
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            if not hmac.compare_digest(signature, self._sign(payload)):
                raise ValueError("bad signature")
            claims = json.loads(payload)
        except (ValueError, TypeError):
            raise ApiError(
                403, "InvalidToken", "The access token you provided is revoked or malformed."
            ) from None
        if int(claims["e"]) < time.time():
            raise ApiError(403, "Unauthorized", "The access token you provided has expired.")
        return str(claims["s"])
