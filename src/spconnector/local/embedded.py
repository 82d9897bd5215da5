"""The embedded default: the SP-API simulator and moto in this process, no AWS account.

`EmbeddedEnvironment` starts both, creates what template.yaml would (table, bucket, queues,
topic, a verified sender) and a demo tenant whose credentials secret points at the simulator,
and yields `Services` wired to them. The demo, the end-to-end tests and
`spconnector local invoke` all run through it, so they exercise the same code as the Lambdas.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from spconnector.domain import Mode, Tenant
from spconnector.jobs.services import Services, Settings

if TYPE_CHECKING:
    from spconnector.sim import SimServer


class MissingLocalExtra(RuntimeError):
    pass


@dataclass
class Embedded:
    services: Services
    sim: SimServer
    tenant: Tenant
    queues: dict[str, str]
    bucket: str
    topic_arn: str

    @classmethod
    def create(
        cls,
        sim: SimServer,
        *,
        simulated_clock: bool = True,
        limiter: Any = None,
        mode: Mode = Mode.LIVE,
    ) -> Embedded:
        """What template.yaml would create, in the AWS the environment points at (moto in
        this process or a moto server), Services wired to it and `sim`, and the demo tenant.
        `simulated_clock` False keeps the wall clock, for handlers that run in another process
        and read the real time (bench/first_event.py); `limiter` is the SP-API clients' rate
        limiter (one that runs at the simulator's time scale)."""
        from spconnector.jobs.sp_wiring import sp_client_for
        from spconnector.local.bootstrap import add_demo_tenant, create_resources

        resources = create_resources()
        services = Services(settings=resources.settings(sim))
        if simulated_clock:
            services.clock = lambda: sim.simulator.clock.now()
        if limiter is not None:
            services.sp_factory = partial(
                sp_client_for, settings=services.settings, limiter=limiter
            )
        return cls(
            services=services,
            sim=sim,
            tenant=add_demo_tenant(services, sim, mode=mode),
            queues=resources.queues,
            bucket=resources.bucket,
            topic_arn=resources.topic_arn,
        )

    def drain(self, queue: str, limit: int = 10_000) -> list[dict[str, Any]]:
        """Receive and delete every message on a queue (as SQS would hand them to a Lambda)."""
        import json

        from spconnector.aws.clients import client

        sqs = client("sqs")
        url = self.queues[queue]
        bodies: list[dict[str, Any]] = []
        while len(bodies) < limit:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
            messages = got.get("Messages", [])
            if not messages:
                break
            for m in messages:
                bodies.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return bodies


@contextmanager
def embedded(
    *,
    seed: int = 7,
    time_scale: float = 1.0,
    mode: Mode = Mode.LIVE,
    now: datetime | None = None,
) -> Iterator[Embedded]:
    try:
        from moto import mock_aws
    except ImportError as exc:  # moto is in the [local] and [dev] extras, not the Lambda layer
        raise MissingLocalExtra(
            "the embedded default needs moto: pip install 'spconnector[local]'"
        ) from exc
    from spconnector.aws.clients import reset_clients
    from spconnector.sim import SimServer
    from spconnector.sp.limiter import InProcessLimiter

    with ExitStack() as stack:
        saved = {k: os.environ.get(k) for k in _ENV_KEYS}
        stack.callback(_restore_env, saved)
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "embedded",
                "AWS_SECRET_ACCESS_KEY": "embedded",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
        )
        os.environ.pop("SPCONNECTOR_AWS_ENDPOINT", None)
        stack.enter_context(mock_aws())
        stack.enter_context(moto_one_request_at_a_time())
        reset_clients()
        stack.callback(reset_clients)
        sim = stack.enter_context(SimServer(seed=seed, time_scale=time_scale, now=now))

        # The simulator's clock runs time_scale× faster: so must the client's token buckets,
        # or the demo waits in real time for quota the simulator already refilled.
        env = Embedded.create(sim, limiter=InProcessLimiter(time_scale=time_scale), mode=mode)
        # The environment a Lambda would see, so Services.from_env() (CLI, handlers) finds
        # the same resources; restored on exit.
        os.environ.update(_settings_env(env.services.settings))
        yield env


_moto_lock = threading.RLock()


@contextmanager
def moto_one_request_at_a_time() -> Iterator[None]:
    """Let one request at a time into moto's in-process backends.

    moto is not thread-safe (its docs say so; getmoto/moto#5881). With jobs running in threads
    against it (bench/fanout.py, concurrent deliveries in tests) a GSI query iterates the
    table's item dict while another thread adds a partition ("RuntimeError: dictionary changed
    size during iteration", moto/dynamodb/models/table.py all_items), and two conditional puts
    on one key can both succeed. DynamoDB, SQS and S3 handle each request atomically; with this,
    so does moto. Only moto's handling of a request is serialized: our code (client creation,
    caches, SP-API calls) still runs concurrently. A long-polling ReceiveMessage
    (WaitTimeSeconds > 0) would hold the lock while it waits: use WaitTimeSeconds=0 here.
    """
    from moto.core.models import botocore_stubber

    if "process_request" in vars(botocore_stubber):  # already serialized (nested embedded())
        yield
        return
    unlocked = botocore_stubber.process_request

    def one_at_a_time(request: Any) -> Any:
        with _moto_lock:
            return unlocked(request)

    botocore_stubber.process_request = one_at_a_time  # type: ignore[method-assign]
    try:
        yield
    finally:
        del botocore_stubber.process_request


_ENV_KEYS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "SPCONNECTOR_AWS_ENDPOINT",
    "SPCONNECTOR_TABLE",
    "SPCONNECTOR_BUCKET",
    "SPCONNECTOR_CASE_EVENTS_QUEUE",
    "SPCONNECTOR_ACTIONS_QUEUE",
    "SPCONNECTOR_TENANT_WORK_QUEUE",
    "SPCONNECTOR_MAILBOX_POLL_QUEUE",
    "SPCONNECTOR_ESCALATION_TOPIC",
    "SPCONNECTOR_SP_API_ENDPOINT",
    "SPCONNECTOR_LWA_TOKEN_URL",
    "SPCONNECTOR_BUYER_KEY_SECRET",
)


def _settings_env(settings: Settings) -> dict[str, str]:
    return {
        "SPCONNECTOR_TABLE": settings.table,
        "SPCONNECTOR_BUCKET": settings.bucket,
        "SPCONNECTOR_CASE_EVENTS_QUEUE": settings.case_events_queue,
        "SPCONNECTOR_ACTIONS_QUEUE": settings.actions_queue,
        "SPCONNECTOR_TENANT_WORK_QUEUE": settings.work_queue,
        "SPCONNECTOR_MAILBOX_POLL_QUEUE": settings.mailbox_poll_queue,
        "SPCONNECTOR_ESCALATION_TOPIC": settings.escalation_topic,
        "SPCONNECTOR_SP_API_ENDPOINT": settings.sp_api_endpoint,
        "SPCONNECTOR_LWA_TOKEN_URL": settings.lwa_token_url,
        "SPCONNECTOR_BUYER_KEY_SECRET": settings.buyer_key_secret,
    }


def _restore_env(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
