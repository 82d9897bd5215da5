"""More tenants of the simulated seller on the embedded environment (tests and benchmarks).

Each tenant gets its own LWA refresh token, so the simulator keeps its own usage-plan buckets
for it as Amazon does per selling partner, and its own credentials secret; everything else
(seller, marketplace, budgets, mode) is the embedded demo tenant's.
"""

from __future__ import annotations

from spconnector.aws.secrets import LwaCredentials, put_credentials
from spconnector.domain import Tenant
from spconnector.local.embedded import Embedded

_SAME = object()  # ses_recipient not given: the default address below


def refresh_token_for(tenant_id: str, label: str = "fleet") -> str:
    return f"Atzr|{label}-{tenant_id}"


def add_tenant(
    env: Embedded,
    tenant_id: str,
    *,
    label: str = "fleet",
    paused: bool = False,
    valid: bool = True,
    ses_recipient: str | object | None = _SAME,
) -> Tenant:
    """Register tenant `tenant_id` (token `refresh_token_for(tenant_id, label)`);
    `valid=False` stores a refresh token the simulator's LWA refuses. Its SES recipient is
    `buyer-messages@<tenant_id>.example` unless `ses_recipient` is given (None: no SES intake)."""
    creds = env.sim.credentials
    token = refresh_token_for(tenant_id, label)
    if valid:
        env.sim.add_refresh_token(token)
    secret = put_credentials(
        tenant_id,
        LwaCredentials(
            lwa_app_id=creds["lwa_app_id"],
            lwa_client_secret=creds["lwa_client_secret"],
            refresh_token=token,
        ),
    )
    recipient = f"buyer-messages@{tenant_id}.example" if ses_recipient is _SAME else ses_recipient
    tenant = Tenant.model_validate(
        env.tenant.model_dump()
        | {
            "tenant_id": tenant_id,
            "credentials_secret": secret,
            "paused": paused,
            "ses_recipient": recipient,
        }
    )
    return env.services.tenants.add(tenant)
