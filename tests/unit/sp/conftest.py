from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spconnector.sp.client import TOKENS, SpApi
from spconnector.sp.limiter import InProcessLimiter
from spconnector.sp.retry import RetryPolicy
from tests.unit.sp.fake_amazon import ENDPOINT, LWA_URL, FakeAmazon
from tests.unit.sp.model_check import ModelCatalog

SENTINEL_REFRESH = "Atzr|SENTINEL-REFRESH-7f3a9c"
SENTINEL_SECRET = "amzn1.oa2-cs.v1.SENTINEL-SECRET-41d2"
CREDENTIALS = {
    "lwa_app_id": "amzn1.application-oa2-client.test",
    "lwa_client_secret": SENTINEL_SECRET,
    "refresh_token": SENTINEL_REFRESH,
}
SELLER = "A1SELLERTEST"
US = "ATVPDKIKX0DER"


@pytest.fixture(scope="session")
def catalog(sp_api_models: Path) -> ModelCatalog:
    return ModelCatalog(sp_api_models)


@pytest.fixture
def amazon(catalog: ModelCatalog) -> FakeAmazon:
    TOKENS.clear()
    return FakeAmazon(catalog)


@pytest.fixture
def api(amazon: FakeAmazon) -> Iterator[SpApi]:
    with SpApi(
        CREDENTIALS,
        seller_id=SELLER,
        marketplace_id=US,
        endpoint=ENDPOINT,
        lwa_url=LWA_URL,
        limiter=InProcessLimiter(time_scale=1000.0),
        retry=RetryPolicy(sleep=lambda s: None, max_attempts=4),
        transport=amazon.transport,
    ) as client:
        yield client
