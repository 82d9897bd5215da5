"""`LwaCredentials`: a tenant's LWA app id, client secret and refresh token — the one type.

Guarantees:
- The secret and the refresh token are SecretStr: they never appear in a repr, a log line, an
  exception message or a validation error (parsing errors never chain the input).
- Every value is stripped and must not be blank.
- One JSON shape, {"lwa_app_id", "lwa_client_secret", "refresh_token"} (the names
  python-amazon-sp-api uses; its LWA_APP_ID / LWA_CLIENT_SECRET / SP_API_REFRESH_TOKEN
  spelling is accepted too when reading).
Where they are stored (Secrets Manager) is an adapter's business: aws/secrets.py.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError, field_validator

from spconnector.sp.errors import AuthError

_KEYS = {
    "lwa_app_id": ("lwa_app_id", "LWA_APP_ID"),
    "lwa_client_secret": ("lwa_client_secret", "LWA_CLIENT_SECRET"),
    "refresh_token": ("refresh_token", "SP_API_REFRESH_TOKEN"),
}


class CredentialsError(ValueError):
    """The credentials are missing or not the expected JSON (the message names no value)."""


class LwaCredentials(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    lwa_app_id: str
    lwa_client_secret: SecretStr
    refresh_token: SecretStr

    @field_validator("lwa_app_id", "lwa_client_secret", "refresh_token", mode="before")
    @classmethod
    def _not_blank(cls, value: Any) -> Any:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if not isinstance(value, str) or not value.strip():
            raise ValueError("must be a non-empty string")
        return value.strip()

    def __repr__(self) -> str:
        return f"LwaCredentials(lwa_app_id={_shorten(self.lwa_app_id)!r}, secrets=<hidden>)"

    __str__ = __repr__

    @classmethod
    def from_mapping(cls, data: Any, *, source: str) -> LwaCredentials:
        """From a parsed secret; AuthError naming the missing fields (never a value)."""
        if not isinstance(data, dict):
            raise AuthError("credentials", f"{source} is not a JSON object")
        values: dict[str, str] = {}
        missing = []
        for name, spellings in _KEYS.items():
            value = next((data[k] for k in spellings if isinstance(data.get(k), str)), "")
            if not value.strip():
                missing.append(name)
            values[name] = value
        if missing:
            raise AuthError("credentials", f"{source} lacks {', '.join(missing)}")
        return cls.model_validate(values)

    @classmethod
    def from_secret_string(cls, text: str) -> LwaCredentials:
        """From the JSON text of a secret or a credentials file; CredentialsError if not."""
        try:
            return cls.from_mapping(json.loads(text), source="credentials")
        except (json.JSONDecodeError, AuthError, ValidationError, TypeError):
            # Never chain: a ValidationError or JSON error would echo the input, the secret.
            fields = "lwa_app_id, lwa_client_secret, refresh_token"
            raise CredentialsError(f"credentials must be a JSON object with {fields}") from None

    @classmethod
    def of(cls, value: Any) -> LwaCredentials:
        """Ours, a mapping, or an object with the three attributes (SecretStr values too)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls.from_mapping(value, source="credentials")
        return cls(
            lwa_app_id=value.lwa_app_id,
            lwa_client_secret=value.lwa_client_secret,
            refresh_token=value.refresh_token,
        )

    def as_library_dict(self) -> dict[str, str]:
        """The `credentials=` mapping python-amazon-sp-api expects (plain values)."""
        return {
            "lwa_app_id": self.lwa_app_id,
            "lwa_client_secret": self.lwa_client_secret.get_secret_value(),
            "refresh_token": self.refresh_token.get_secret_value(),
        }

    def to_secret_string(self) -> str:
        """The JSON a secret stores (the canonical names)."""
        return json.dumps(self.as_library_dict())


def _shorten(value: str) -> str:
    return value if len(value) <= 12 else value[:12] + "…"
