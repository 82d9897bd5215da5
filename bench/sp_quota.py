"""SP-API quota use: this layer vs. python-amazon-sp-api with its throttle_retry defaults.

Same workload on both paths, each against a fresh simulator (same seed) running at a time
scale: hundreds of getOrder (Orders 2026-01-01; 0.5 req/s, burst 30) then createReport
(0.0167 req/s, burst 15). For each path and operation it prints achieved ÷ allowed calls
(allowed = burst + rate × elapsed simulated seconds), the 429s seen, failed operations and wall
time; then naive wall time ÷ layer wall time.

The naive path's throttle_retry waits (delay 5 s, ×1.3 each time) are divided by the time scale
too, so both paths live in the same simulated time.

    .venv/bin/python bench/sp_quota.py [--orders 300] [--reports 20] [--time-scale 100]
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from spconnector.sim import SimServer
from spconnector.sp import library as lib
from spconnector.sp.client import SpApi
from spconnector.sp.limiter import InProcessLimiter
from spconnector.sp.retry import RetryPolicy
from spconnector.sp.usage_plans import USAGE_PLANS

GET_ORDER = "orders_2026-01-01:getOrder"
CREATE_REPORT = "reports_2021-06-30:createReport"
REPORT_TYPE = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"


@dataclass
class PathResult:
    name: str
    wall: float = 0.0
    phases: dict[str, tuple[int, float]] = field(default_factory=dict)  # op -> (ok, seconds)
    failures: Counter[str] = field(default_factory=Counter)
    throttled: Counter[str] = field(default_factory=Counter)


def _status_counter(result: PathResult, operation: list[str]) -> Any:
    def hook(response: httpx.Response) -> None:
        if response.status_code == 429:
            result.throttled[operation[0]] += 1

    return hook


def run_layer(orders: int, reports: int, scale: float, faults: dict[str, float]) -> PathResult:
    result = PathResult("spconnector.sp")
    current = [GET_ORDER]
    with SimServer(seed=7, time_scale=scale) as sim:
        sim.set_faults(**faults)
        counting = httpx.HTTPTransport()
        transport = _CountingTransport(counting, _status_counter(result, current))
        api = SpApi(
            sim.credentials,
            seller_id=sim.seller_id,
            marketplace_id=sim.marketplace_id,
            endpoint=sim.base_url,
            lwa_url=sim.lwa_token_url,
            limiter=InProcessLimiter(time_scale=scale),
            retry=RetryPolicy(backoff_base=0.5 / scale, backoff_cap=30 / scale),
            transport=transport,
        )
        ids = [o.order_id for o in sim.scenario.orders]
        end = sim.scenario.anchor
        started = time.monotonic()
        result.phases[GET_ORDER] = _phase(
            result, GET_ORDER, orders, lambda i: api.get_order_2026(ids[i % len(ids)])
        )
        current[0] = CREATE_REPORT
        result.phases[CREATE_REPORT] = _phase(
            result,
            CREATE_REPORT,
            reports,
            lambda i: api.create_report(REPORT_TYPE, end - timedelta(days=30 + i), end),
        )
        result.wall = time.monotonic() - started
        api.close()
    return result


def run_naive(orders: int, reports: int, scale: float, faults: dict[str, float]) -> PathResult:
    from sp_api.util import throttle_retry

    result = PathResult("python-amazon-sp-api throttle_retry")
    current = [GET_ORDER]
    with SimServer(seed=7, time_scale=scale) as sim:
        sim.set_faults(**faults)
        host = sim.base_url.removeprefix("http://")

        class SimTokenClient(lib.AccessTokenClient):  # type: ignore[misc]
            scheme = "http://"

        SimTokenClient.host = host
        hook = _status_counter(result, current)

        def client(cls: Any) -> Any:
            c = cls(
                credentials=sim.credentials,
                refresh_token=sim.credentials["refresh_token"],
                auth_token_client_class=SimTokenClient,
            )
            c.endpoint = sim.base_url
            c._transport = lib.HttpxTransport(client=httpx.Client(event_hooks={"response": [hook]}))
            return c

        orders_api = client(lib.OrdersV20260101)
        reports_api = client(lib.Reports)
        delay = 5 / scale  # the library's default delay, in simulated time

        @throttle_retry(delay=delay)  # type: ignore[untyped-decorator]
        def get_order(order_id: str) -> Any:
            return orders_api.get_order(order_id)

        @throttle_retry(delay=delay)  # type: ignore[untyped-decorator]
        def create_report(days: int) -> Any:
            end = sim.scenario.anchor
            return reports_api.create_report(
                reportType=REPORT_TYPE,
                marketplaceIds=[sim.marketplace_id],
                dataStartTime=(end - timedelta(days=days)).isoformat(),
                dataEndTime=end.isoformat(),
            )

        ids = [o.order_id for o in sim.scenario.orders]
        started = time.monotonic()
        result.phases[GET_ORDER] = _phase(
            result, GET_ORDER, orders, lambda i: _must(get_order(ids[i % len(ids)]), "order")
        )
        current[0] = CREATE_REPORT
        result.phases[CREATE_REPORT] = _phase(
            result, CREATE_REPORT, reports, lambda i: _must(create_report(30 + i), "reportId")
        )
        result.wall = time.monotonic() - started
    return result


class _CountingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, hook: Any) -> None:
        self._inner = inner
        self._hook = hook

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        self._hook(response)
        return response


def _must(response: Any, key: str) -> Any:
    # The library returns an empty payload for a non-JSON error: that is a failed operation.
    if not response.payload or key not in response.payload:
        raise RuntimeError("empty payload")
    return response


def _phase(result: PathResult, operation: str, count: int, call: Any) -> tuple[int, float]:
    ok = 0
    started = time.monotonic()
    for i in range(count):
        try:
            call(i)
            ok += 1
        except Exception:
            result.failures[operation] += 1
    return ok, time.monotonic() - started


def _quota_ratio(operation: str, ok: int, seconds: float, scale: float) -> float:
    plan = USAGE_PLANS[operation]
    allowed = plan.burst + plan.rate * seconds * scale
    return ok / allowed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--time-scale", type=float, default=100.0)
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=0.02,
        help="share of requests answered 500, and again of 502 HTML pages (0 for none)",
    )
    args = parser.parse_args()
    faults = {"internal_error": args.fault_rate, "bad_gateway_html": args.fault_rate / 2}
    os.environ.setdefault("AWS_ENV", "PRODUCTION")
    scale = args.time_scale

    print(
        f"workload: {args.orders} getOrder + {args.reports} createReport at time scale {scale:g}, "
        f"faults {faults}"
    )
    results = [
        run_layer(args.orders, args.reports, scale, faults),
        run_naive(args.orders, args.reports, scale, faults),
    ]
    for r in results:
        print(f"\n{r.name}: wall {r.wall:.2f} s ({r.wall * scale:.0f} simulated s)")
        for operation, (ok, seconds) in r.phases.items():
            ratio = _quota_ratio(operation, ok, seconds, scale)
            print(
                f"  {operation:36} ok {ok:4}  failed {r.failures[operation]:3}  "
                f"429s {r.throttled[operation]:4}  achieved/allowed {ratio:.3f}"
            )
    layer, naive = results
    print(f"\nnaive wall time / layer wall time: {naive.wall / layer.wall:.2f}")
    target = all(
        _quota_ratio(op, ok, sec, scale) >= 0.9 for op, (ok, sec) in layer.phases.items()
    ) and not sum(layer.failures.values())
    print(
        f"target (≥0.9 of the usage plan, zero failures, faster than naive): "
        f"{'met' if target and naive.wall > layer.wall else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
