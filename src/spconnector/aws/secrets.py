"""Tenant SP-API credentials in Secrets Manager — the one place for the secret's name and
shape. Values are SecretStr: they never show in repr, logs or exceptions."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from spconnector.aws import clients
from spconnector.aws.items import checked_tenant

SECRET_NAME_TEMPLATE = "spconnector/{tenant}/sp-api"  # noqa: S105 (a name, not a secret)


def secret_name_for(tenant: str) -> str:
    return SECRET_NAME_TEMPLATE.format(tenant=checked_tenant(tenant))


class CredentialsError(ValueError):
    """The secret is missing or not the expected JSON (the message names no value)."""


class LwaCredentials(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    lwa_app_id: str = Field(min_length=1)
    lwa_client_secret: SecretStr
    refresh_token: SecretStr

    def to_secret_string(self) -> str:
        return json.dumps(
            {
                "lwa_app_id": self.lwa_app_id,
                "lwa_client_secret": self.lwa_client_secret.get_secret_value(),
                "refresh_token": self.refresh_token.get_secret_value(),
            }
        )

    def as_sp_api_dict(self) -> dict[str, str]:
        """The `credentials=` dict python-amazon-sp-api takes."""
        return {
            "lwa_app_id": self.lwa_app_id,
            "lwa_client_secret": self.lwa_client_secret.get_secret_value(),
            "refresh_token": self.refresh_token.get_secret_value(),
        }

    @classmethod
    def from_secret_string(cls, text: str) -> LwaCredentials:
        try:
            return cls.model_validate(json.loads(text))
        except (json.JSONDecodeError, ValidationError, TypeError):
            # Never chain: a ValidationError or JSON error would echo the input, the secret.
            fields = "lwa_app_id, lwa_client_secret, refresh_token"
            raise CredentialsError(f"credentials must be a JSON object with {fields}") from None


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
