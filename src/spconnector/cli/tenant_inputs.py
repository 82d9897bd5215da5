"""What `spconnector tenants add|update` and `policy push` read from the command line, checked:
marketplaces, amounts, credentials (without echo, or from a JSON file), policy files, and the
optional LWA check. Every problem is one line (exit 2) that names the option and never echoes
a credential.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spconnector.cli.errors import fail

if TYPE_CHECKING:
    from spconnector.aws.secrets import LwaCredentials
    from spconnector.domain import Money, Tenant


def parse_marketplace_ids(values: list[str]) -> tuple[tuple[str, ...], str]:
    """Marketplace ids or country codes (US, DE, …) → ids and their single SP-API region."""
    from spconnector.domain import marketplaces

    by_country = {m.country: m for m in marketplaces.BY_ID.values()}
    found = []
    for raw in values:
        market = marketplaces.BY_ID.get(raw) or by_country.get(raw.upper())
        if market is None:
            fail(f"--marketplace {raw!r}: unknown marketplace id or country code")
        found.append(market)
    regions = {m.region for m in found}
    if len(regions) != 1:
        fail("--marketplace: all marketplaces of a tenant must be in one SP-API region")
    return tuple(dict.fromkeys(m.marketplace_id for m in found)), regions.pop()


def parse_money(option: str, text: str | None) -> Money | None:
    from spconnector.domain import Money

    if text is None:
        return None
    parts = text.split()
    try:
        if len(parts) != 2:
            raise ValueError
        return Money.of(parts[0], parts[1].upper())
    except (ValueError, ArithmeticError):
        fail(f"{option} {text!r}: expected an amount and a currency, e.g. '25.00 EUR'")


def credentials_from_input(path: Path | None, lwa_app_id: str | None) -> LwaCredentials:
    from spconnector.aws.secrets import CredentialsError, LwaCredentials

    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # a file that is not UTF-8 is unreadable too
            fail(f"--credentials-file {path}: cannot read ({exc.__class__.__name__})")
        try:
            return LwaCredentials.from_secret_string(text)
        except CredentialsError as exc:
            fail(f"--credentials-file {path}: {exc}")
    app_id = lwa_app_id or typer.prompt("LWA client id (amzn1.application-oa2-client…)")
    secret = typer.prompt("LWA client secret", hide_input=True)
    token = typer.prompt("Refresh token (Atzr|…)", hide_input=True)
    try:
        return LwaCredentials(lwa_app_id=app_id, lwa_client_secret=secret, refresh_token=token)
    except ValueError:
        fail("credentials: the LWA client id, secret and refresh token must not be empty")


def validated_policy(path: Path) -> tuple[str, str]:
    """(text, version) of a policy file, or a one-line error."""
    from spconnector.aws.tenants import validated_policy_version
    from spconnector.policy import PolicyError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read ({exc.__class__.__name__})")
    try:
        return text, validated_policy_version(text)
    except PolicyError as exc:
        fail(f"{path}: {exc}")


def check_credentials(
    tenant: Tenant, creds: LwaCredentials, sp_endpoint: str | None, lwa_url: str | None
) -> None:
    """One cheap check: an LWA token exchange (no SP-API quota used)."""
    from spconnector.sp.client import SpApi
    from spconnector.sp.errors import AuthError, SpApiError

    options: dict[str, Any] = {}
    if sp_endpoint:
        options["endpoint"] = sp_endpoint
    if lwa_url:
        options["lwa_url"] = lwa_url
    try:
        with SpApi.for_tenant(tenant, creds, **options) as api:
            api.verify_credentials()
    except AuthError as exc:
        fail(f"--test-credentials: Amazon refused the credentials ({exc})")
    except SpApiError as exc:
        fail(f"--test-credentials: could not check the credentials ({exc})")


def first_problem(exc: Exception) -> str:
    """One line from a pydantic error: the field and what is wrong (input values omitted —
    they could be a pasted credential)."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors(include_input=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "value"
        return f"{where}: {first['msg']}"
    return str(exc).splitlines()[0]
