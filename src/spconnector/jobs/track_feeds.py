"""TrackFeeds: approved refunds go out in one adjustment feed per tenant and marketplace, and
submitted feeds are reconciled from Amazon's processing reports, message by message."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from spconnector.domain import Mode, Tenant
from spconnector.jobs.services import Services
from spconnector.refunds.model import Refund, RefundState
from spconnector.refunds.ports import FeedStatus
from spconnector.refunds.submit import RefundPorts, submit_pending, track
from spconnector.sp.feeds_adapter import SpFeeds


class _Clock:
    def __init__(self, services: Services) -> None:
        self._services = services

    def now(self) -> datetime:
        return self._services.now()


def ports_for(services: Services, tenant: Tenant) -> RefundPorts:
    return RefundPorts(
        feeds=SpFeeds(services.sp(tenant)),
        ledger=services.refund_ledger,
        clock=_Clock(services),
        merchant_identifier=tenant.seller_id,
    )


def run(
    services: Services,
    tenant: Tenant,
    now: datetime,
    *,
    finished: Mapping[str, FeedStatus] | None = None,
) -> dict[str, Any]:
    ports = ports_for(services, tenant)
    summary: dict[str, Any] = {}
    for marketplace_id in tenant.marketplace_ids:
        tracked = track(ports, tenant.tenant_id, marketplace_id, finished=finished)
        may_act = not tenant.paused and tenant.mode is not Mode.SHADOW
        submitted = submit_pending(ports, tenant.tenant_id, marketplace_id, may_act=may_act)
        summary[marketplace_id] = {
            "confirmed": tracked.confirmed,
            "failed": tracked.failed,
            "needs_person": tracked.needs_person,
            "submitted": submitted.submitted,
            "feed_id": submitted.feed_id,
            "wait_seconds": submitted.wait_seconds,
            "error": submitted.error,
        }
    return summary


def confirmed_refunds(services: Services, tenant: Tenant) -> list[Refund]:
    return [
        refund
        for marketplace_id in tenant.marketplace_ids
        for refund in services.refund_ledger.refunds_in_state(
            tenant.tenant_id, marketplace_id, RefundState.CONFIRMED
        )
    ]
