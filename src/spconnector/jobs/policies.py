"""Which policy a tenant runs: its latest pushed version, else the default policy."""

from __future__ import annotations

from functools import lru_cache

from spconnector.domain import Tenant
from spconnector.jobs.services import Services
from spconnector.policy import Policy, default_policy, load_policy


@lru_cache(maxsize=256)
def _parsed(text: str) -> Policy:
    # keyed by the text itself: a pushed version is immutable, so the parse can be reused
    return load_policy(text)


def policy_for(services: Services, tenant: Tenant) -> Policy:
    current = services.tenants.current_policy(tenant.tenant_id)
    if current is None:
        return default_policy()
    return _parsed(current.text)
