"""`spconnector console` on a laptop: the embedded default (moto + the SP-API simulator) with
a few tenants in approve mode, their buyer mail ingested and decided, and seeded staff.

Tenants: the simulator's seller as `demo-us` plus two more (`acme-us`, `bolt-us`) that share
its simulated account, so an agency's inbox has several sellers. `bolt-us` runs live (its
decisions are carried out alone, and fill the review queue); the others wait for approval.
The audit log is the DynamoDB adapter on moto — the same code as in AWS. TrackFeeds, which
batches approved refunds into feeds every two minutes in AWS, runs from `run_schedules`.
"""

from __future__ import annotations

import secrets
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from spconnector.console.app import build_app
from spconnector.console.directory import LocalDirectory, SeededLogin
from spconnector.console.sessions import SessionSigner
from spconnector.console.web import ConsoleConfig
from spconnector.domain import Mode

EXTRA_TENANTS = {"acme-us": Mode.APPROVE, "bolt-us": Mode.LIVE}


@dataclass
class LocalConsole:
    env: Any  # spconnector.local.embedded.Embedded
    app: Any  # APIGatewayHttpResolver
    logins: list[SeededLogin]
    tenants: list[str]
    config: ConsoleConfig
    # one request (or schedule) at a time: moto, the simulator and the jobs' clock are shared
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, event: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            result: dict[str, Any] = self.app.resolve(event, None)
        return result

    def run_schedules(self) -> dict[str, Any]:
        """What the scheduled jobs would do now: TrackFeeds batches approved refunds."""
        from spconnector.jobs import track_feeds

        services = self.env.services
        with self.lock:
            return {
                t.tenant_id: track_feeds.run(services, t, services.now())
                for t in services.tenants.list()
            }


@contextmanager
def local_console(*, seed: int = 7, mails_per_tenant: int = 6) -> Iterator[LocalConsole]:
    from spconnector.aws.audit import DynamoAuditLog
    from spconnector.jobs.act import act_on
    from spconnector.jobs.ingest import ingest_email
    from spconnector.jobs.process_case import process_case_event
    from spconnector.local.embedded import embedded

    with warnings.catch_warnings():
        # no Lambda context here: Powertools idempotency warns it cannot see time left
        warnings.filterwarnings("ignore", message="Couldn't determine the remaining time")
        warnings.filterwarnings("ignore", message="No application metrics to publish")
        with embedded(seed=seed, time_scale=1.0, mode=Mode.APPROVE) as env:
            services = env.services
            tenants = [env.tenant]
            for tenant_id, mode in EXTRA_TENANTS.items():
                tenants.append(
                    services.tenants.add(
                        env.tenant.model_copy(update={"tenant_id": tenant_id, "mode": mode})
                    )
                )
            buyer_mail = list(env.sim.scenario.emails)
            for n, tenant in enumerate(tenants):
                for raw in buyer_mail[n :: len(tenants)][:mails_per_tenant]:
                    ingest_email(services, tenant, raw)
            for body in env.drain("case-events"):
                process_case_event(services, body)
            for body in env.drain("actions"):  # live tenants act alone; approve ones wait
                act_on(services, body)
            services.clock = _clock_near(services, [t.tenant_id for t in tenants])
            ids = sorted(t.tenant_id for t in tenants)
            directory, logins = LocalDirectory.seeded(ids)
            config = ConsoleConfig(
                signer=SessionSigner(secrets.token_bytes(32), clock=services.now),
                audit=DynamoAuditLog(table=services.settings.table),
                directory=directory,
                # plain http on 127.0.0.1: a Secure cookie would not be sent back
                secure_cookies=False,
            )
            app = build_app(lambda: services, config)
            yield LocalConsole(env=env, app=app, logins=logins, tenants=ids, config=config)


def _clock_near(services: Any, tenants: list[str]) -> Callable[[], datetime]:
    """The scenario's mail is weeks old by the simulator's clock: the console's "now" starts
    an hour after the newest case opened (and runs on from there), so its SLA clocks show
    cases due soon and cases overdue, as on a working day."""
    opened = [c.opened_at for t in tenants for c in services.cases.list_cases(t)]
    if not opened:
        clock: Callable[[], datetime] = services.clock
        return clock
    start = max(opened) + timedelta(hours=1)
    began = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - began)
