"""Many Lambdas, one quota: 8 worker processes of one seller calling getOrder at once.

As Act, ProcessCase and TenantWorker invocations of one seller do, each worker is a process of
its own with its own SP-API client; all call Orders 2026-01-01 getOrder (0.5 req/s, burst 30)
for the same seller against one simulator over HTTP, as fast as they can. Two crowds, each
against a fresh simulator (same seed):

- ours: `SpApi` with the `DynamoDbLimiter` — one token bucket per (seller, operation) in the
  DynamoDB table, shared by every worker — on a moto server at 127.0.0.1 (a real HTTP
  DynamoDB API, conditional writes and all), with our retries;
- naive: python-amazon-sp-api clients with the library's `throttle_retry` decorator defaults
  (10 tries, delay 5 s × 1.3 each), each worker retrying on its own.

Every call has a Lambda-like budget of BUDGET_SECONDS (simulated): ours passes it as the
client's Deadline; the naive call is cut by SIGALRM when it runs out, as Lambda's timeout
would end the invocation. A call cut or failed is an operation failed after its budget.

The plan is shortened, not changed: simulator, limiter and the library's delays all run
--time-scale × faster (default 4: 2 getOrder/s instead of 0.5), so 30 s of budget are 7.5 s
of wall time. Shortened further the bench measures this machine instead of the plan: at 10×
(5 getOrder/s) 8 processes + moto server + simulator on 2 shared cores sent ours at 0.77 of
the plan (0 failed, 0 429s; naive 0.98 with 20 of 160 failed and 63 % 429s).

Figures: achieved ÷ allowed (allowed = burst + rate × simulated seconds from the first call
to the last success), 429s ÷ calls sent, operations failed.

    .venv/bin/python bench/crowd.py [--workers 8] [--calls 10] [--time-scale 4]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import socket
import time
from dataclasses import dataclass
from typing import Any

from spconnector.sp.usage_plans import USAGE_PLANS

OPERATION = "orders_2026-01-01:getOrder"
SEED = 7
BUDGET_SECONDS = 30.0  # simulated seconds a call may take (a Lambda's share of its timeout)
TABLE = "crowd"


@dataclass
class WorkerResult:
    ok: int = 0
    failed: int = 0
    sent: int = 0
    throttled: int = 0
    first: float = 0.0
    last_ok: float = 0.0


@dataclass
class Setup:
    base_url: str
    lwa_url: str
    credentials: dict[str, str]
    seller_id: str
    marketplace_id: str
    order_ids: list[str]
    dynamodb_url: str
    scale: float
    calls: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _counting_transport(result: WorkerResult) -> Any:
    import httpx

    class Counting(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            if request.url.path.startswith("/orders/2026-01-01/orders/"):
                result.sent += 1
                result.throttled += response.status_code == 429
            return response

    return Counting()


def ours(setup: Setup, index: int, ready: Any, go: Any, out: Any) -> None:
    import boto3

    from spconnector.sp.client import SpApi
    from spconnector.sp.deadline import Deadline
    from spconnector.sp.limiter import DynamoDbLimiter
    from spconnector.sp.retry import RetryPolicy

    result = WorkerResult()
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=setup.dynamodb_url,
        region_name="us-east-1",
        aws_access_key_id="crowd",
        aws_secret_access_key="crowd",
    )
    api = SpApi(
        setup.credentials,
        seller_id=setup.seller_id,
        marketplace_id=setup.marketplace_id,
        endpoint=setup.base_url,
        lwa_url=setup.lwa_url,
        limiter=DynamoDbLimiter(dynamodb, TABLE, time_scale=setup.scale),
        retry=RetryPolicy(backoff_base=0.5 / setup.scale, backoff_cap=30 / setup.scale),
        transport=_counting_transport(result),
    )
    api.verify_credentials()  # the LWA token, outside the timed calls (a warm container)
    ready.put(index)
    go.wait()
    started = time.time()
    result.first = started
    for n in range(setup.calls):
        api.deadline = Deadline.after(BUDGET_SECONDS / setup.scale)
        try:
            api.get_order_2026(setup.order_ids[(index * setup.calls + n) % len(setup.order_ids)])
        except Exception:
            result.failed += 1
            continue
        result.ok += 1
        result.last_ok = time.time()
    api.close()
    out.put(result)


class _OutOfTime(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _OutOfTime


def naive(setup: Setup, index: int, ready: Any, go: Any, out: Any) -> None:
    import httpx
    from sp_api.util import throttle_retry

    from spconnector.sp import library as lib

    result = WorkerResult()
    os.environ.setdefault("AWS_ENV", "PRODUCTION")

    class SimTokenClient(lib.AccessTokenClient):  # type: ignore[misc]
        scheme = "http://"
        host = setup.base_url.removeprefix("http://")

    def hook(response: httpx.Response) -> None:
        if response.request.url.path.startswith("/orders/2026-01-01/orders/"):
            result.sent += 1
            result.throttled += response.status_code == 429

    http = httpx.Client(event_hooks={"response": [hook]})
    client = lib.OrdersV20260101(
        credentials=setup.credentials,
        refresh_token=setup.credentials["refresh_token"],
        auth_token_client_class=SimTokenClient,
    )
    client.endpoint = setup.base_url
    client._transport = lib.HttpxTransport(client=http)
    client.auth  # noqa: B018 — the LWA token before the timed calls

    @throttle_retry(delay=5 / setup.scale)  # type: ignore[untyped-decorator]
    def get_order(order_id: str) -> Any:
        return client.get_order(order_id)

    signal.signal(signal.SIGALRM, _alarm)
    ready.put(index)
    go.wait()
    result.first = time.time()
    for n in range(setup.calls):
        order_id = setup.order_ids[(index * setup.calls + n) % len(setup.order_ids)]
        signal.setitimer(signal.ITIMER_REAL, BUDGET_SECONDS / setup.scale)
        try:
            response = get_order(order_id)
            signal.setitimer(signal.ITIMER_REAL, 0)
            if not response.payload or "order" not in response.payload:
                raise RuntimeError("empty payload")
        except (_OutOfTime, Exception):
            signal.setitimer(signal.ITIMER_REAL, 0)
            result.failed += 1
            continue
        result.ok += 1
        result.last_ok = time.time()
    http.close()
    out.put(result)


def crowd(kind: str, workers: int, calls: int, scale: float) -> tuple[list[WorkerResult], float]:
    from spconnector.sim import SimServer

    with SimServer(seed=SEED, time_scale=scale) as sim:
        setup = Setup(
            base_url=sim.base_url,
            lwa_url=sim.lwa_token_url,
            credentials=dict(sim.credentials),
            seller_id=sim.seller_id,
            marketplace_id=sim.marketplace_id,
            order_ids=[o.order_id for o in sim.scenario.orders],
            dynamodb_url=DYNAMODB_URL,
            scale=scale,
            calls=calls,
        )
        context = mp.get_context("spawn")
        ready, go, out = context.Queue(), context.Event(), context.Queue()
        target = ours if kind == "ours" else naive
        processes = [
            context.Process(target=target, args=(setup, i, ready, go, out)) for i in range(workers)
        ]
        for p in processes:
            p.start()
        for _ in processes:  # every worker warm (imports, LWA token) before the crowd starts
            ready.get(timeout=300)
        go.set()
        results = [out.get(timeout=600) for _ in processes]
        for p in processes:
            p.join()
        return results, min(r.first for r in results)


def figures(results: list[WorkerResult], scale: float) -> dict[str, float]:
    plan = USAGE_PLANS[OPERATION]
    first = min(r.first for r in results)
    last = max((r.last_ok for r in results if r.ok), default=first)
    ok = sum(r.ok for r in results)
    sent = sum(r.sent for r in results)
    allowed = plan.burst + plan.rate * scale * (last - first)
    return {
        "ok": ok,
        "failed": sum(r.failed for r in results),
        "sent": sent,
        "throttled": sum(r.throttled for r in results),
        "throttled_share": sum(r.throttled for r in results) / max(1, sent),
        "achieved_over_allowed": ok / allowed,
        "wall": last - first,
    }


DYNAMODB_URL = ""


def main() -> None:
    global DYNAMODB_URL
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--calls", type=int, default=10, help="getOrder calls per worker")
    parser.add_argument("--time-scale", type=float, default=4.0)
    args = parser.parse_args()
    os.environ.setdefault("AWS_ENV", "PRODUCTION")

    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    DYNAMODB_URL = f"http://127.0.0.1:{port}"
    try:
        boto3.client(
            "dynamodb",
            endpoint_url=DYNAMODB_URL,
            region_name="us-east-1",
            aws_access_key_id="crowd",
            aws_secret_access_key="crowd",
        ).create_table(
            TableName=TABLE,
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        plan = USAGE_PLANS[OPERATION]
        total = args.workers * args.calls
        print(
            f"crowd bench: {args.workers} worker processes × {args.calls} getOrder of one seller "
            f"({total} calls; plan {plan.rate:g} req/s burst {plan.burst}, shortened "
            f"{args.time_scale:g}× → {plan.rate * args.time_scale:g} req/s), budget "
            f"{BUDGET_SECONDS:g} s simulated per call; plan floor "
            f"{max(0, total - plan.burst) / (plan.rate * args.time_scale):.1f} s wall"
        )
        runs = {}
        for kind, name in (
            ("ours", "spconnector.sp + DynamoDbLimiter (moto server)"),
            ("naive", "python-amazon-sp-api throttle_retry"),
        ):
            results, _ = crowd(kind, args.workers, args.calls, args.time_scale)
            f = figures(results, args.time_scale)
            runs[kind] = f
            print(
                f"  {name:48} ok {f['ok']:.0f}/{total}  failed {f['failed']:.0f}  "
                f"429s {f['throttled']:.0f}/{f['sent']:.0f} sent ({f['throttled_share']:.1%})  "
                f"achieved÷allowed {f['achieved_over_allowed']:.3f}  wall {f['wall']:.1f} s"
            )
    finally:
        server.stop()
    o, n = runs["ours"], runs["naive"]
    print(
        f"  ratios ours/naive: achieved÷allowed "
        f"{o['achieved_over_allowed'] / max(1e-9, n['achieved_over_allowed']):.2f}, "
        f"failed {o['failed']:.0f} vs {n['failed']:.0f}, 429 share {o['throttled_share']:.1%} vs "
        f"{n['throttled_share']:.1%}"
    )
    checks = [
        ("crowd-no-failed", o["failed"] == 0, f"{o['failed']:.0f} failed; naive {n['failed']:.0f}"),
        (
            "crowd-429s-at-most-1pct",
            o["throttled_share"] <= 0.01,
            f"{o['throttled_share']:.2%} of calls; naive {n['throttled_share']:.1%}",
        ),
        (
            "crowd-plan-use-0.9",
            o["achieved_over_allowed"] >= 0.9,
            f"{o['achieved_over_allowed']:.3f} of allowed; naive {n['achieved_over_allowed']:.3f}",
        ),
    ]
    for name, met, text in checks:
        print(f"target {name}: {'met' if met else 'NOT met'} ({text})")


if __name__ == "__main__":
    main()
