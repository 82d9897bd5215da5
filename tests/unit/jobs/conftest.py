"""Jobs on fakes: every store an in-memory fake (`spconnector.memory.in_memory_services`),
Amazon the SP-API simulator in process (`spconnector.memory.sp`: the real `SpApi`, no socket).
No moto, no Docker, no HTTP; a test reads what a job
did from the fakes (the mails the mailer took, the escalations published, the cases and
refunds stored)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from spconnector.aws.escalations import EscalationSummary
from spconnector.aws.mail import OutgoingMail
from spconnector.domain import (
    Action,
    Budgets,
    Decision,
    FulfillmentChannel,
    Mode,
    Money,
    Priority,
    ReturnRequest,
    Tenant,
)
from spconnector.jobs.services import Services
from spconnector.memory import MemoryQueue, in_memory_services
from spconnector.memory.sp import InProcessAmazon
from spconnector.sp.client import SpApi
from spconnector.sp.limiter import InProcessLimiter
from tests.functional.jobs.conftest import relay_mail

TIME_SCALE = 60.0
TENANT = "demo-us"
SENDER = "service@demo-seller.example"
_RMA = count(1)  # return ids, unique across the session
DEMO_KB = Path(__file__).resolve().parents[3] / "src" / "spconnector" / "kb" / "demo.yaml"


@dataclass
class Amazon:
    """One simulator per test module; tests take distinct orders from its scenario."""

    sim: InProcessAmazon
    used: set[str] = field(default_factory=set)

    def order(self, *, channel: str, max_total: float = 1e9, min_total: float = 0.0) -> Any:
        for order in self.sim.scenario.orders:
            total = sum(float(i.unit_price) * i.quantity for i in order.items)
            if (
                order.fulfillment_channel == channel
                and order.delivered_at is not None
                and order.status == "Shipped"
                and min_total <= total <= max_total
                and order.order_id not in self.used
                # Amazon refunded it (or granted a claim) behind a scenario notice: the
                # Finances check refuses it, so it is no order to refund in a test
                and order.order_id not in {o for _l, o, _a, _p in self.sim.scenario.money_backs}
            ):
                self.used.add(order.order_id)
                return order
        raise LookupError(f"no unused {channel} order within {min_total}..{max_total}")


@pytest.fixture(scope="module")
def amazon() -> Iterator[Amazon]:
    yield Amazon(InProcessAmazon(seed=7, time_scale=TIME_SCALE))


@dataclass
class World:
    services: Services
    amazon: Amazon

    @property
    def tenant(self) -> Tenant:
        return self.services.tenants.require(TENANT)

    @property
    def tid(self) -> str:
        return TENANT

    def now(self) -> datetime:
        return self.services.now()

    def order(self, **kwargs: Any) -> Any:
        return self.amazon.order(**kwargs)

    def drain(self, queue: str) -> list[dict[str, Any]]:
        adapter = getattr(self.services, queue)
        assert isinstance(adapter, MemoryQueue)
        return [m.json() for m in adapter.drain()]

    @property
    def mails(self) -> list[OutgoingMail]:
        return list(self.services.mailer.sent)  # type: ignore[attr-defined]

    @property
    def escalations(self) -> list[EscalationSummary]:
        return list(self.services.escalations.published)  # type: ignore[attr-defined]

    def return_only_action(
        self, order_id: str, action: Action = Action.REQUEST_INFO, template: str = "request_info"
    ) -> dict[str, Any]:
        """A return row (no buyer mail) decided `action`: the action message Act receives."""
        from spconnector.jobs.ingest import ingest_returns

        now = self.now()
        ret = ReturnRequest(
            amazon_order_id=order_id,
            rma_id=f"DUNIT{next(_RMA):05d}",
            reason_code="CR-WRONG_ITEM",
            in_policy=True,
            request_date=now - timedelta(hours=1),
            fulfillment=FulfillmentChannel.MFN,
        )
        assert ingest_returns(self.services, self.tenant, [ret]).ingested == 1
        (event,) = self.drain("case_events")
        decision = Decision(
            action=action,
            refund=None,
            ask_for_photos=False,
            reply_template=template,
            priority=Priority.NORMAL,
            respond_by=None,
            needs_approval=False,
            rules=("unit-test",),
            guards=(),
            explanation="wrong item reported on the return",
            policy_version="test",
            tenant=self.tid,
            case_id=event["case_id"],
            decided_at=now,
            case_step=1,
        )
        seq = self.services.cases.add_decision(self.tid, event["case_id"], decision)
        return {"tenant": self.tid, "case_id": event["case_id"], "decision": seq}

    def ingest(self, order_id: str | None, body: str, **mail: Any) -> tuple[str, list[Any]]:
        """Ingest one relay mail; its case id and the case events it published."""
        from spconnector.jobs.ingest import ingest_email

        mail.setdefault("received_at", self.now() - timedelta(hours=1))
        outcome = ingest_email(self.services, self.tenant, relay_mail(order_id, body, **mail))
        assert outcome.status in ("ingested", "duplicate"), outcome
        assert outcome.case_id is not None
        return outcome.case_id, self.drain("case_events")


@pytest.fixture
def world(amazon: Amazon) -> World:
    sim = amazon.sim

    def sp_for(tenant: Tenant) -> SpApi:
        return sim.sp_for(tenant, limiter=InProcessLimiter(time_scale=TIME_SCALE))

    services = in_memory_services(clock=sim.simulator.clock.now, sp_factory=sp_for)
    tenant = services.tenants.add(
        Tenant(
            tenant_id=TENANT,
            seller_id=sim.seller_id,
            region="na",
            marketplace_ids=(sim.marketplace_id,),
            mode=Mode.LIVE,
            budgets=Budgets(
                autonomy_limit=Money.of("75", "USD"),
                daily_refunds=Money.of("400", "USD"),
                monthly_refunds=Money.of("3000", "USD"),
            ),
            credentials_secret="in-memory",
            approved_sender=SENDER,
            ses_recipient="buyer-messages@demo-seller.example",
        )
    )
    services.kb.push(tenant.tenant_id, DEMO_KB.read_text(encoding="utf-8"))
    return World(services, amazon)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Outside Lambda there is no context: Powertools idempotency warns it cannot see time left.
    for item in items:
        if "unit/jobs" in str(item.fspath):
            item.add_marker(
                pytest.mark.filterwarnings("ignore:Couldn't determine the remaining time")
            )
