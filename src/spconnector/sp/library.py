"""The one place that imports python-amazon-sp-api, with its environment pitfalls defused.

- `sp_api.base.marketplaces` reads AWS_ENV at import and fails unless it is PRODUCTION or
  SANDBOX — but AWS_ENV is a common name for a deployment stage ("dev", "prod"). We import with
  PRODUCTION unless SANDBOX is asked for explicitly, then put the variable back.
- `Client.__init__` lets SP_API_DEFAULT_MARKETPLACE override the marketplace it is given (and the
  class default evaluates it at import). The import runs without it; clients built here get the
  tenant's endpoint and marketplace set afterwards (see client.py).
- The library's DEBUG logging prints request headers, access token included: its loggers are
  held at WARNING whatever the root logger's level is.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_ENV_LOCK = threading.Lock()


@contextmanager
def _library_environment() -> Iterator[None]:
    with _ENV_LOCK:
        # read under the lock: read before it, another thread's temporary values would be
        # "restored" for good
        saved = {k: os.environ.get(k) for k in ("AWS_ENV", "SP_API_DEFAULT_MARKETPLACE")}
        if saved["AWS_ENV"] not in ("PRODUCTION", "SANDBOX"):
            os.environ["AWS_ENV"] = "PRODUCTION"
        os.environ.pop("SP_API_DEFAULT_MARKETPLACE", None)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


with _library_environment():
    from sp_api.api.feeds.feeds_2021_06_30 import FeedsV20210630
    from sp_api.api.finances.finances_v0 import FinancesV0
    from sp_api.api.messaging.messaging import Messaging
    from sp_api.api.notifications.notifications import Notifications
    from sp_api.api.orders.orders_2026_01_01 import OrdersV20260101
    from sp_api.api.orders.orders_v0 import OrdersV0
    from sp_api.api.products.products_v0 import ProductsV0
    from sp_api.api.reports.reports import Reports
    from sp_api.api.solicitations.solicitations import Solicitations
    from sp_api.auth import AccessTokenClient
    from sp_api.auth.access_token_response import AccessTokenResponse
    from sp_api.base import ApiResponse, Client, Marketplaces
    from sp_api.base._core import build_headers
    from sp_api.base._transport_httpx import HttpxTransport
    from sp_api.base.credential_provider import FromCodeCredentialProvider
    from sp_api.base.exceptions import SellingApiException

for _name in ("sp_api", "sp_api.base.client", "sp_api.auth.access_token_client"):
    logging.getLogger(_name).setLevel(logging.WARNING)


# Hold the sanitized environment while constructing a library client, too.
library_environment = _library_environment


__all__ = [
    "AccessTokenClient",
    "AccessTokenResponse",
    "ApiResponse",
    "Client",
    "FeedsV20210630",
    "FinancesV0",
    "FromCodeCredentialProvider",
    "HttpxTransport",
    "Marketplaces",
    "Messaging",
    "Notifications",
    "OrdersV0",
    "OrdersV20260101",
    "ProductsV0",
    "Reports",
    "SellingApiException",
    "Solicitations",
    "build_headers",
    "library_environment",
]
