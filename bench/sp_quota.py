"""SP-API quota use: this layer vs. python-amazon-sp-api with its throttle_retry defaults.

One workload for both paths, each run against a fresh simulator (same seed, same fault rates)
at a time scale: `--orders` getOrder (Orders 2026-01-01; 0.5 req/s, burst 30) and `--reports`
createReport (0.0167 req/s, burst 15), the reports spread evenly among the orders (queued
first, four threads would all sit waiting for report tokens while the orders wait behind them,
on both paths alike). In this mix getOrder runs into its usage plan; createReport does not (its
20 calls fit in burst + rate × run time), so the target is judged on getOrder. Paths:

- layer: one shared `SpApi` (InProcessLimiter at 100 % of the plan, AIMD after a 429,
  retries with jittered backoff) called from the pool's threads;
- naive: python-amazon-sp-api clients (one per thread: they are not thread-safe) with the
  library's own `throttle_retry` decorator defaults (10 tries, delay 5 s, ×1.3), the delay
  divided by the time scale so both paths live in the same simulated time.

Modes:
- one pass: each operation is tried once through the path; what fails is counted and dropped
  (the old comparison: the naive path finishes sooner partly because it does less);
- to completion: the caller re-issues a failed operation until it succeeds (what a seller
  needs: every order read, every report requested). Wall time is time until ALL succeeded.

Per path and operation it prints achieved ÷ allowed calls (allowed = burst + rate × simulated
seconds from the operation's first call to its last success), 429s seen, failures seen, and wall
time; the "plan floor" is the least wall time the usage plans allow for the workload.

    .venv/bin/python bench/sp_quota.py [--orders 300] [--reports 20] [--time-scale 100]
                                       [--threads 4] [--fault-rate 0.02]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
SEED = 7
MAX_TRIES_PER_OPERATION = 100  # a safety net for the caller loop; never reached in practice

Task = tuple[str, int]  # (operation, index)
Call = Callable[[Task], None]


@dataclass
class RunResult:
    path: str
    mode: str
    threads: int
    wall: float = 0.0
    ok: Counter[str] = field(default_factory=Counter)
    first_call: dict[str, float] = field(default_factory=dict)  # seconds after the start
    last_ok: dict[str, float] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    unfinished: Counter[str] = field(default_factory=Counter)
    throttled: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def workload(orders: int, reports: int) -> list[Task]:
    """The orders with the reports spread evenly among them (report i before order i×step)."""
    tasks: list[Task] = [(GET_ORDER, i) for i in range(orders)]
    step = max(1, orders // max(1, reports))
    for i in reversed(range(reports)):
        tasks.insert(min(len(tasks), i * step), (CREATE_REPORT, i))
    return tasks


def quota_bound(tasks: list[Task], scale: float, floor: float) -> list[str]:
    """Operations with more calls than burst + rate × 0.9 × the plan floor: those the plans
    (not the workload) hold back, where achieved ÷ allowed says how well pacing does."""
    counts = Counter(op for op, _ in tasks)
    return [
        op
        for op, n in counts.items()
        if n > USAGE_PLANS[op].burst + USAGE_PLANS[op].rate * scale * floor * 0.9
    ]


def _operation_of(request: httpx.Request) -> str | None:
    path = request.url.path
    if path.startswith("/orders/2026-01-01/orders/"):
        return GET_ORDER
    if path == "/reports/2021-06-30/reports" and request.method == "POST":
        return CREATE_REPORT
    return None


def _counting_client(result: RunResult) -> httpx.Client:
    def hook(response: httpx.Response) -> None:
        operation = _operation_of(response.request)
        if response.status_code == 429 and operation:
            with result.lock:
                result.throttled[operation] += 1

    return httpx.Client(event_hooks={"response": [hook]})


class _CountingTransport(httpx.BaseTransport):
    """For the layer, whose own httpx client has its own hooks: count 429s below them."""

    def __init__(self, result: RunResult) -> None:
        self._inner = httpx.HTTPTransport()
        self._result = result

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        operation = _operation_of(request)
        if response.status_code == 429 and operation:
            with self._result.lock:
                self._result.throttled[operation] += 1
        return response

    def close(self) -> None:
        self._inner.close()


def layer_calls(sim: SimServer, result: RunResult, scale: float) -> tuple[Call, Callable[[], None]]:
    api = SpApi(
        sim.credentials,
        seller_id=sim.seller_id,
        marketplace_id=sim.marketplace_id,
        endpoint=sim.base_url,
        lwa_url=sim.lwa_token_url,
        limiter=InProcessLimiter(time_scale=scale),
        retry=RetryPolicy(backoff_base=0.5 / scale, backoff_cap=30 / scale),
        transport=_CountingTransport(result),
    )
    ids = [o.order_id for o in sim.scenario.orders]
    end = sim.scenario.anchor

    def call(task: Task) -> None:
        operation, i = task
        if operation == GET_ORDER:
            api.get_order_2026(ids[i % len(ids)])
        else:
            api.create_report(REPORT_TYPE, end - timedelta(days=30 + i), end)

    return call, api.close


def naive_calls(sim: SimServer, result: RunResult, scale: float) -> tuple[Call, Callable[[], None]]:
    from sp_api.util import throttle_retry

    class SimTokenClient(lib.AccessTokenClient):  # type: ignore[misc]
        scheme = "http://"
        host = sim.base_url.removeprefix("http://")

    http = _counting_client(result)
    local = threading.local()

    def client(cls: Any) -> Any:
        clients = local.__dict__.setdefault("clients", {})
        if cls not in clients:
            c = cls(
                credentials=sim.credentials,
                refresh_token=sim.credentials["refresh_token"],
                auth_token_client_class=SimTokenClient,
            )
            c.endpoint = sim.base_url
            c._transport = lib.HttpxTransport(client=http)
            clients[cls] = c
        return clients[cls]

    delay = 5 / scale  # the library's default delay, in simulated time
    end = sim.scenario.anchor
    ids = [o.order_id for o in sim.scenario.orders]

    # Decorated once, as a user of the library would; note the decorator's try counter is
    # shared by every thread calling the function (the library's own behaviour).
    @throttle_retry(delay=delay)  # type: ignore[untyped-decorator]
    def get_order(order_id: str) -> Any:
        return client(lib.OrdersV20260101).get_order(order_id)

    @throttle_retry(delay=delay)  # type: ignore[untyped-decorator]
    def create_report(days: int) -> Any:
        return client(lib.Reports).create_report(
            reportType=REPORT_TYPE,
            marketplaceIds=[sim.marketplace_id],
            dataStartTime=(end - timedelta(days=days)).isoformat(),
            dataEndTime=end.isoformat(),
        )

    def call(task: Task) -> None:
        operation, i = task
        if operation == GET_ORDER:
            _must(get_order(ids[i % len(ids)]), "order")
        else:
            _must(create_report(30 + i), "reportId")

    return call, http.close


def _must(response: Any, key: str) -> None:
    # The library returns an empty payload for a non-JSON error (HTML 502): a failed operation.
    if not response.payload or key not in response.payload:
        raise RuntimeError("empty payload")


PATHS = {"layer": layer_calls, "naive": naive_calls}
PATH_NAMES = {"layer": "spconnector.sp", "naive": "python-amazon-sp-api throttle_retry"}


def run(
    path: str, tasks: list[Task], *, complete: bool, threads: int, scale: float, faults: Any
) -> RunResult:
    result = RunResult(PATH_NAMES[path], "to completion" if complete else "one pass", threads)
    with SimServer(seed=SEED, time_scale=scale) as sim:
        sim.set_faults(**faults)
        call, close = PATHS[path](sim, result, scale)
        started = time.monotonic()

        def one(task: Task) -> None:
            operation = task[0]
            with result.lock:
                result.first_call.setdefault(operation, time.monotonic() - started)
            for _ in range(MAX_TRIES_PER_OPERATION if complete else 1):
                try:
                    call(task)
                except Exception:
                    with result.lock:
                        result.failures[operation] += 1
                    continue
                with result.lock:
                    result.ok[operation] += 1
                    result.last_ok[operation] = time.monotonic() - started
                return
            if complete:
                with result.lock:
                    result.unfinished[operation] += 1

        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(one, tasks))
        result.wall = time.monotonic() - started
        close()
    return result


def quota_ratio(result: RunResult, operation: str, scale: float) -> float:
    plan = USAGE_PLANS[operation]
    seconds = result.last_ok.get(operation, 0.0) - result.first_call.get(operation, 0.0)
    return result.ok[operation] / (plan.burst + plan.rate * seconds * scale)


def plan_floor(tasks: list[Task], scale: float, *, overlap: bool) -> float:
    """The least wall time the usage plans allow: each operation's calls beyond its burst at
    its rate; the operations one after the other, or overlapping (independent buckets)."""
    counts = Counter(op for op, _ in tasks)
    phases = [
        max(0, n - USAGE_PLANS[op].burst) / (USAGE_PLANS[op].rate * scale)
        for op, n in counts.items()
    ]
    return max(phases) if overlap else sum(phases)


def report(result: RunResult, tasks: list[Task], scale: float, floor: float) -> None:
    counts = Counter(op for op, _ in tasks)
    print(f"  {result.path:36} wall {result.wall:6.2f} s ({result.wall / floor:.2f}× plan floor)")
    for operation, n in counts.items():
        missing = n - result.ok[operation]
        print(
            f"    {operation:34} ok {result.ok[operation]:4}/{n:<4} "
            f"failures seen {result.failures[operation]:3}  "
            f"429s {result.throttled[operation]:4}  "
            f"rate÷plan {quota_ratio(result, operation, scale):.3f}"
            + (f"  NOT DONE {missing}" if missing else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--time-scale", type=float, default=100.0)
    parser.add_argument("--threads", type=int, default=4, help="pool size for the pooled runs")
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=0.02,
        help="share of requests answered 500, and half that of 502 HTML pages (0 for none)",
    )
    args = parser.parse_args()
    faults = {"internal_error": args.fault_rate, "bad_gateway_html": args.fault_rate / 2}
    os.environ.setdefault("AWS_ENV", "PRODUCTION")
    scale = args.time_scale
    tasks = workload(args.orders, args.reports)
    # Interleaved, the operations' plans overlap in time even with one thread.
    floors = dict.fromkeys((1, args.threads), plan_floor(tasks, scale, overlap=True))

    print(
        f"workload: {args.orders} getOrder + {args.reports} createReport spread among them, "
        f"simulator seed {SEED}, time scale {scale:g}, faults {faults}\n"
        f"layer: InProcessLimiter (full burst, 100 % of plan, AIMD after 429), RetryPolicy "
        f"backoff base {0.5 / scale:g} s cap {30 / scale:g} s, max 8 attempts\n"
        f"naive: throttle_retry(delay={5 / scale:g} s) — library defaults tries=10, rate=1.3\n"
        f"plan floor (least wall time the usage plans allow): {floors[1]:.2f} s"
    )
    runs = [(False, 1), (True, 1), (True, args.threads)]
    final: tuple[RunResult, RunResult] | None = None
    for complete, threads in runs:
        mode = "to completion" if complete else "one pass (failed operations dropped)"
        print(f"\n{mode}, {threads} thread{'s' if threads > 1 else ''}:")
        layer = run("layer", tasks, complete=complete, threads=threads, scale=scale, faults=faults)
        report(layer, tasks, scale, floors[threads])
        naive = run("naive", tasks, complete=complete, threads=threads, scale=scale, faults=faults)
        report(naive, tasks, scale, floors[threads])
        print(f"  naive wall time / layer wall time: {naive.wall / layer.wall:.2f}")
        if complete:
            final = (layer, naive)

    assert final is not None
    layer, naive = final
    done = not (sum(layer.unfinished.values()) or sum(layer.failures.values()))
    bound = quota_bound(tasks, scale, floors[args.threads])
    quota = all(quota_ratio(layer, op, scale) >= 0.9 for op in bound)
    faster = layer.wall < naive.wall
    print(
        f"\ntarget, to completion with {args.threads} threads: ≥0.9 of the usage plan "
        f"({', '.join(bound)}) "
        f"{'met' if quota else 'NOT met'}; zero failed operations {'met' if done else 'NOT met'}; "
        f"faster than naive {'met' if faster else 'NOT met'} "
        f"(naive/layer {naive.wall / layer.wall:.2f})"
    )


if __name__ == "__main__":
    main()
