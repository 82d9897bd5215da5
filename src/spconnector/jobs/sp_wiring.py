"""Build a tenant's SP-API client for the environment we run in.

In AWS: credentials from the tenant's Secrets Manager secret (cached), the rate limiter shared
by all concurrent Lambdas through DynamoDB. Locally (CLI, demo): the same client, in-process
limiter. The simulator is reached by setting SPCONNECTOR_SP_API_ENDPOINT/LWA_TOKEN_URL.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

from spconnector.aws import wiring
from spconnector.domain import Tenant
from spconnector.jobs.settings import Settings
from spconnector.sp.client import LWA_URL, SpApi
from spconnector.sp.limiter import InProcessLimiter, RateLimiter

if TYPE_CHECKING:
    from spconnector.aws.secrets import SecretsManagerCredentials


@cache
def _credentials() -> SecretsManagerCredentials:
    return wiring.sp_credentials()


def _limiter(settings: Settings) -> RateLimiter:
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        # concurrent Lambdas share one bucket per (seller, operation)
        return wiring.shared_sp_limiter(settings.table)
    return InProcessLimiter()


def sp_client_for(
    tenant: Tenant, settings: Settings, *, limiter: RateLimiter | None = None
) -> SpApi:
    return SpApi.for_tenant(
        tenant,
        _credentials().get(tenant.credentials_secret),
        endpoint=settings.sp_api_endpoint or None,
        lwa_url=settings.lwa_token_url or LWA_URL,
        limiter=limiter or _limiter(settings),
    )
