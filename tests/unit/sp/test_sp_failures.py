"""Status codes the library would swallow, retries within the deadline, no secret in logs."""

from __future__ import annotations

import logging

import httpx
import pytest

from spconnector.sp.client import SpApi
from spconnector.sp.credentials import LwaCredentials
from spconnector.sp.deadline import Deadline
from spconnector.sp.errors import AuthError, ClientError, ServerError, SpApiError, Throttled
from spconnector.sp.limiter import InProcessLimiter
from spconnector.sp.retry import RetryPolicy
from tests.unit.sp.conftest import CREDENTIALS, SELLER, SENTINEL_REFRESH, SENTINEL_SECRET, US
from tests.unit.sp.fake_amazon import (
    ACCESS_TOKEN,
    ENDPOINT,
    LWA_URL,
    FakeAmazon,
    amazon_error,
    amazon_json,
)

ORDER = "113-1234567-1234567"
PATH = f"/messaging/v1/orders/{ORDER}/attributes"


def test_html_502_raises_server_error_after_retries(api: SpApi, amazon: FakeAmazon) -> None:
    page = httpx.Response(
        502, content=b"<html><body>Bad Gateway</body></html>", headers={"content-type": "text/html"}
    )
    amazon.route("GET", PATH, page)
    with pytest.raises(ServerError) as caught:
        api.get_buyer_locale(ORDER)
    assert caught.value.status == 502
    assert "non-JSON error body (text/html" in str(caught.value)
    assert "Bad Gateway" not in str(caught.value)
    assert len([r for r in amazon.requests if r.url.path == PATH]) == api.retry.max_attempts


def test_empty_429_raises_throttled_and_empties_bucket(amazon: FakeAmazon) -> None:
    limiter = InProcessLimiter(time_scale=1.0, clock=lambda: 100.0)
    api = SpApi(
        CREDENTIALS,
        seller_id=SELLER,
        marketplace_id=US,
        endpoint=ENDPOINT,
        lwa_url=LWA_URL,
        limiter=limiter,
        retry=RetryPolicy(max_attempts=1),
        transport=amazon.transport,
    )
    amazon.route("GET", PATH, httpx.Response(429))
    with pytest.raises(Throttled) as caught:
        api.get_buyer_locale(ORDER)
    assert caught.value.status == 429 and "empty error body" in str(caught.value)
    assert limiter.tokens(SELLER, "messaging:GetAttributes") == 0.0


def test_429_then_success_is_retried(api: SpApi, amazon: FakeAmazon) -> None:
    replies = iter(
        [
            amazon_error(
                429, "QuotaExceeded", "You exceeded your quota for the requested resource."
            ),
            amazon_json(200, {"buyer": {"locale": "en-US"}}, **{"x-amzn-RateLimit-Limit": "1.0"}),
        ]
    )
    amazon.route("GET", PATH, lambda r: next(replies))
    assert api.get_buyer_locale(ORDER) == "en-US"


def test_client_error_is_not_retried_and_keeps_amazon_code(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route("GET", PATH, amazon_error(400, "InvalidInput", "Invalid order id"))
    with pytest.raises(ClientError) as caught:
        api.get_buyer_locale(ORDER)
    assert caught.value.code == "InvalidInput" and caught.value.status == 400
    assert len([r for r in amazon.requests if r.url.path == PATH]) == 1


def test_create_feed_not_retried_on_5xx(api: SpApi, amazon: FakeAmazon) -> None:
    amazon.route(
        "POST", "/feeds/2021-06-30/feeds", amazon_error(503, "ServiceUnavailable", "try later")
    )
    with pytest.raises(ServerError):
        api.create_feed("POST_PAYMENT_ADJUSTMENT_DATA", "FD1", [US])
    assert len([r for r in amazon.requests if r.url.path == "/feeds/2021-06-30/feeds"]) == 1


def test_retries_give_up_inside_the_time_budget(amazon: FakeAmazon) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    deadline = Deadline.after(10.0, clock=lambda: now[0])
    api = SpApi(
        CREDENTIALS,
        seller_id=SELLER,
        marketplace_id=US,
        endpoint=ENDPOINT,
        lwa_url=LWA_URL,
        limiter=InProcessLimiter(clock=lambda: now[0], sleep=sleep),
        deadline=deadline,
        retry=RetryPolicy(max_attempts=100, backoff_base=1.0, backoff_cap=8.0, sleep=sleep),
        transport=amazon.transport,
    )
    amazon.route("GET", PATH, amazon_error(500, "InternalFailure", "boom"))
    with pytest.raises(ServerError):
        api.get_buyer_locale(ORDER)
    attempts = len([r for r in amazon.requests if r.url.path == PATH])
    assert 1 < attempts < 100
    assert now[0] <= 10.0 - api.retry.min_attempt_seconds


def test_lambda_context_deadline() -> None:
    class Context:
        def get_remaining_time_in_millis(self) -> int:
            return 12_000

    assert Deadline.from_lambda_context(Context(), margin=5.0).remaining() == pytest.approx(7.0)


def test_lwa_refusal_is_auth_error_without_secrets(amazon: FakeAmazon, api: SpApi) -> None:
    # An adversarial LWA echoing the refresh token must not leak it through our error.
    amazon.lwa_response = lambda r: amazon_json(
        400, {"error": "invalid_grant", "error_description": f"bad token {SENTINEL_REFRESH}"}
    )
    with pytest.raises(AuthError) as caught:
        api.get_buyer_locale(ORDER)
    assert caught.value.code == "invalid_grant"
    assert SENTINEL_REFRESH not in str(caught.value)
    assert len(amazon.token_requests) == 1  # a refused grant is not retried


def test_default_marketplace_env_does_not_override(
    monkeypatch: pytest.MonkeyPatch, amazon: FakeAmazon
) -> None:
    monkeypatch.setenv("SP_API_DEFAULT_MARKETPLACE", "DE")
    monkeypatch.setenv("AWS_ENV", "dev")
    api = SpApi(
        CREDENTIALS,
        seller_id=SELLER,
        marketplace_id=US,
        endpoint=ENDPOINT,
        lwa_url=LWA_URL,
        transport=amazon.transport,
    )
    amazon.route("GET", PATH, amazon_json(200, {"buyer": {"locale": "en-US"}}))
    api.get_buyer_locale(ORDER)
    assert amazon.requests[-1].url.params["marketplaceIds"] == US
    import os

    assert os.environ["AWS_ENV"] == "dev" and os.environ["SP_API_DEFAULT_MARKETPLACE"] == "DE"


def test_tokens_are_cached_per_token_url(amazon: FakeAmazon) -> None:
    other_url = "http://lwa-other.test/auth/o2/token"
    other = FakeAmazon(lwa_url=other_url, access_token="Atza|OTHER-SIMULATOR")
    for fake in (amazon, other):
        fake.route("GET", PATH, amazon_json(200, {"buyer": {"locale": "en-US"}}))
    a = SpApi(
        CREDENTIALS,
        seller_id=SELLER,
        marketplace_id=US,
        endpoint=ENDPOINT,
        lwa_url=LWA_URL,
        transport=amazon.transport,
    )
    b = SpApi(
        CREDENTIALS,
        seller_id=SELLER,
        marketplace_id=US,
        endpoint=ENDPOINT,
        lwa_url=other_url,
        transport=other.transport,
    )
    for _ in range(3):
        a.get_buyer_locale(ORDER)
        b.get_buyer_locale(ORDER)  # the fake asserts it gets ITS token, not the other's
    assert len(amazon.token_requests) == 1 and len(other.token_requests) == 1


def test_sentinel_secret_never_logged(
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    amazon: FakeAmazon,
    api: SpApi,
) -> None:
    caplog.set_level(logging.DEBUG)
    amazon.route("GET", PATH, amazon_json(200, {"buyer": {"locale": "en-US"}}))
    amazon.route(
        "GET", f"/messaging/v1/orders/{ORDER}", httpx.Response(502, content=b"<html>oops</html>")
    )
    api.get_buyer_locale(ORDER)
    errors: list[BaseException] = []
    try:
        api.get_messaging_actions(ORDER)
    except SpApiError as exc:
        errors.append(exc)
    amazon.lwa_response = lambda r: amazon_json(
        401, {"error": "invalid_client", "error_description": SENTINEL_SECRET}
    )
    from spconnector.sp.client import TOKENS

    TOKENS.clear()
    try:
        api.get_buyer_locale(ORDER)
    except SpApiError as exc:
        errors.append(exc)
    assert len(errors) == 2
    out, err = capsys.readouterr()
    creds = LwaCredentials.of(CREDENTIALS)
    texts = [
        caplog.text,
        out,
        err,
        repr(api),
        repr(creds),
        str(creds),
        *map(str, errors),
        *map(repr, errors),
    ]
    for text in texts:
        for secret in (SENTINEL_REFRESH, SENTINEL_SECRET, ACCESS_TOKEN):
            assert secret not in text
    assert caplog.records  # something was logged (the retry lines), just no secret
