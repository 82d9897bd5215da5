"""The CLI's AWS-facing commands (`tenants …`, `policy push|history`, `kb push|history|ask`,
`cases …`, `refunds …`, `claims …`) run in-process against in-memory services.

The CLI builds its adapters in three places: `Services.from_env()` (cases, refunds, claims),
`cli.tenants._registry()` (tenants, policy push/history, and kb's tenant check) and
`cli.kb._store()`; each is pointed at one `in_memory_services()` — the same fakes the chaos
harness runs jobs on, held to the DynamoDB adapters' contracts by tests/unit/contracts.
Secrets Manager (`tenants add|update|show` write and look up the credentials secret through
`aws.secrets`) is moto's, so those calls run the real code. `fresh()` starts a new world per
batch, seeded with one tenant and one refund whose outcome is unknown, so inputs reach past
"no such tenant" into the commands' own parsing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from spconnector.domain import Tenant
from spconnector.domain.enums import FulfillmentChannel
from spconnector.domain.money import Money
from spconnector.memory import in_memory_services
from spconnector.refunds.clock import ManualClock
from spconnector.refunds.model import AdjustmentReason, RefundItem, RefundState
from spconnector.refunds.submit import propose

TENANT = "acme"
ORDER = "113-0000001-0000007"
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


class CliServices:
    """One in-memory world the patched CLI seams return; `fresh()` replaces it."""

    def __init__(self) -> None:
        self.services: Any = None
        self.adjustment_id = ""
        self._moto: Any = None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from moto import mock_aws

        from spconnector.aws import clients
        from spconnector.cli import kb, tenants
        from spconnector.jobs.services import Services

        monkeypatch.setattr(Services, "from_env", staticmethod(lambda: self.services))
        monkeypatch.setattr(tenants, "_registry", lambda: self.services.tenants)
        monkeypatch.setattr(kb, "_store", lambda: self.services.kb)
        # nothing reaches real AWS, whatever the input: every boto3 call is moto's
        self._moto = mock_aws()
        self._moto.start()
        clients.reset_clients()
        self.fresh()

    def stop(self) -> None:
        from spconnector.aws import clients

        clients.reset_clients()
        self._moto.stop()

    def fresh(self) -> None:
        services = in_memory_services(clock=lambda: NOW)
        services.tenants.add(
            Tenant(
                tenant_id=TENANT,
                seller_id="A1SELLER",
                region="na",
                marketplace_ids=("ATVPDKIKX0DER",),
                credentials_secret=f"spconnector/{TENANT}/sp-api",
            )
        )
        refund = propose(
            services.refund_ledger,
            ManualClock(NOW),
            tenant=TENANT,
            marketplace_id="ATVPDKIKX0DER",
            amazon_order_id=ORDER,
            case_id=f"{TENANT}#order#{ORDER}",
            decision_step="decide-1",
            fulfillment=FulfillmentChannel.MFN,
            items=[
                RefundItem(
                    amazon_order_item_code="00000000000001",
                    principal=Money.of("12.99", "USD"),
                    shipping=Money.of("0", "USD"),
                    tax=Money.of("0", "USD"),
                )
            ],
            reason=AdjustmentReason.GENERAL_ADJUSTMENT,
        )
        unknown = refund.model_copy(update={"state": RefundState.UNKNOWN})
        services.refund_ledger.replace_refund(unknown, refund.version)
        self.adjustment_id = refund.adjustment_id
        self.services = services
