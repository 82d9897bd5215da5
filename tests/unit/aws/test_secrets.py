"""Tenant credentials in Secrets Manager: one name convention, values never shown."""

from __future__ import annotations

import pytest

from spconnector.aws import clients
from spconnector.aws.secrets import (
    CredentialsError,
    LwaCredentials,
    put_credentials,
    read_credentials,
    secret_exists,
    secret_name_for,
)

pytestmark = pytest.mark.usefixtures("aws")
SECRET = "amzn1.oa2-cs.v1.SENTINELclientSECRET"
TOKEN = "Atzr|SENTINELrefreshTOKEN"


def _creds(token: str = TOKEN) -> LwaCredentials:
    return LwaCredentials(
        lwa_app_id="amzn1.application-oa2-client.abc",
        lwa_client_secret=SECRET,
        refresh_token=token,
    )


def test_name_convention() -> None:
    assert secret_name_for("acme") == "spconnector/acme/sp-api"
    with pytest.raises(ValueError):
        secret_name_for("../other")


def test_create_read_and_rotate() -> None:
    arn = put_credentials("acme", _creds())
    assert arn.startswith("arn:aws:secretsmanager:")
    assert secret_exists("spconnector/acme/sp-api")
    got = read_credentials("spconnector/acme/sp-api")
    assert got.refresh_token.get_secret_value() == TOKEN
    assert got.as_library_dict()["lwa_client_secret"] == SECRET
    assert put_credentials("acme", _creds("Atzr|rotated")) == arn
    assert read_credentials(arn).refresh_token.get_secret_value() == "Atzr|rotated"


def test_values_never_show_in_repr_or_errors() -> None:
    creds = _creds()
    for text in (repr(creds), str(creds), f"{creds}"):
        assert SECRET not in text and TOKEN not in text
    sm = clients.client("secretsmanager")
    sm.create_secret(Name="spconnector/broken/sp-api", SecretString=f'{{"refresh_token": "{TOKEN}"')
    with pytest.raises(CredentialsError) as err:
        read_credentials("spconnector/broken/sp-api")
    assert TOKEN not in str(err.value) and err.value.__cause__ is None
    assert err.value.__suppress_context__  # `from None`: no chained JSON error


def test_missing_secret_is_a_clear_error() -> None:
    assert not secret_exists("spconnector/none/sp-api")
    with pytest.raises(CredentialsError, match="not found"):
        read_credentials("spconnector/none/sp-api")


def test_the_secrets_port_says_unreadable_for_a_missing_or_binary_secret() -> None:
    from spconnector.aws.wiring import SecretsManagerSecrets
    from spconnector.jobs.ports import SecretUnreadable

    sm = clients.client("secretsmanager")
    sm.create_secret(Name="spconnector/acme/smtp", SecretString='{"host": "h"}')
    sm.create_secret(Name="spconnector/acme/binary", SecretBinary=b"\x00" + SECRET.encode())
    secrets = SecretsManagerSecrets()

    assert secrets.text("spconnector/acme/smtp") == '{"host": "h"}'
    with pytest.raises(SecretUnreadable, match="ResourceNotFoundException"):
        secrets.text("spconnector/acme/none")
    with pytest.raises(SecretUnreadable, match="holds no text") as binary:
        secrets.text("spconnector/acme/binary")
    assert SECRET not in str(binary.value)
