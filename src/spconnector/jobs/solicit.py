"""Solicit: Amazon's review request for every eligible order of a tenant, once per order.

Scheduled daily per tenant on the TenantWorker path (fanout job "solicit"). For each SHIPPED
order of the last LOOK_BACK days whose day has come (growth.review_requests.plan):

1. claim the order (conditional put, "sending" + time) — a claim held by another run is left
   alone, so duplicate ticks and concurrent workers never both call;
2. ask `getSolicitationActionsForOrder` whether Amazon offers the request (Amazon's own answer
   covers a request already sent from Seller Central, and the window);
3. call `createProductReviewAndSellerFeedbackSolicitation`, then mark "sent" and record a
   `review_request` event in the impact ledger.

A claim found "sending" and older than CLAIM_LEASE means a run died between claim and record:
Amazon may or may not have acted, so we never call blind — we ask whether the action is still
offered. Offered: Amazon did not act, we take the claim over and send. Not offered: it was
sent (or the window shut), recorded as "unconfirmed". Throttled or unconnected calls release
the claim (Amazon certainly did not act); a 5xx or timeout leaves it for that check.

Only tenants in `live` mode send: in `shadow` and `approve` the run reports what it would send.
Exclusions never depend on the buyer's sentiment or a case's outcome (Amazon forbids selective
requests; see policy.schema.SolicitationExclusion).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from spconnector.domain import Tenant
from spconnector.domain.enums import Mode
from spconnector.growth.events import GrowthEvent
from spconnector.growth.review_requests import LOOK_BACK, OrderDates, plan
from spconnector.jobs.policies import policy_for
from spconnector.jobs.ports import GrowthStore
from spconnector.jobs.services import Services
from spconnector.observability import get_logger, tenant_scope
from spconnector.sp.errors import AuthError, ClientError, ConnectFailed, SpApiError, Throttled

log = get_logger(__name__)

# Longer than any run can last (a Lambda stops at 15 minutes): an older "sending" claim is dead.
CLAIM_LEASE = timedelta(minutes=20)


def run(services: Services, tenant: Tenant, now: datetime) -> dict[str, Any]:
    settings = policy_for(services, tenant).solicitations
    summary: dict[str, Any] = {
        "enabled": bool(settings and settings.enabled),
        "sent": [],
        "would_send": [],
        "not_offered": [],
        "unconfirmed": [],
        "held_elsewhere": 0,
        "waiting": 0,
        "window_closed": 0,
        "closed_unasked": 0,
        "never_delivered": 0,
        "errors": [],
    }
    if settings is None or not settings.enabled:
        return summary
    tid = tenant.tenant_id
    store = services.growth
    sp = services.sp(tenant)
    with tenant_scope(tid):
        orders = sp.shipped_orders(now - LOOK_BACK)
        for order in orders:
            dates = OrderDates(
                amazon_order_id=order.amazon_order_id,
                fulfilled_by_amazon=order.fulfilled_by_amazon,
                earliest_delivery=order.earliest_delivery,
                latest_delivery=order.latest_delivery,
                delivered=order.delivered,
            )
            verdict = plan(dates, settings, now).verdict
            if verdict != "send":
                summary["waiting"] += verdict in ("not_yet", "not_delivered")
                if verdict == "closed":
                    summary["window_closed"] += 1
                    # a delivered order whose window shut unasked: the schedule did not run in
                    # time (an order never delivered is never asked: nothing to review)
                    if order.delivered:
                        unasked = store.request_claim(tid, order.amazon_order_id) is None
                        summary["closed_unasked"] += unasked
                    else:
                        summary["never_delivered"] += 1
                continue
            if tenant.mode is not Mode.LIVE:
                if store.request_claim(tid, order.amazon_order_id) is None:
                    summary["would_send"].append(order.amazon_order_id)
                continue
            try:
                outcome = _request_once(services, store, tenant, order.amazon_order_id, now)
            except SpApiError as exc:
                # one order's failure never stops the others; its claim says what to do next
                summary["errors"].append(f"{order.amazon_order_id}: {type(exc).__name__}")
                continue
            if outcome in ("sent", "not_offered", "unconfirmed"):
                summary[outcome].append(order.amazon_order_id)
            elif outcome == "held_elsewhere":
                summary["held_elsewhere"] += 1
    log.info(
        "review requests",
        extra={"sent": len(summary["sent"]), "errors": len(summary["errors"])},
    )
    return summary


def _request_once(
    services: Services, store: GrowthStore, tenant: Tenant, order_id: str, now: datetime
) -> str:
    tid = tenant.tenant_id
    sp = services.sp(tenant)
    claimed_at = now.isoformat()
    if not store.claim_request(tid, order_id, now):
        claim = store.request_claim(tid, order_id) or {}
        state = claim.get("state")
        if state == "sent" or state == "unconfirmed":
            _record(store, tid, order_id, claim, state)  # idempotent: a crash may have skipped it
            return "done"
        if state != "sending":
            return "done"  # refused by Amazon earlier: terminal
        seen = claim.get("claimed_at", "")
        if seen and now - datetime.fromisoformat(seen) < CLAIM_LEASE:
            return "held_elsewhere"  # a live run holds it
        # A dead run's claim: did Amazon act? Ask, never call blind.
        if not sp.review_request_offered(order_id):
            if not store.take_over(tid, order_id, seen, now):
                return "held_elsewhere"
            store.settle_request(
                tid, order_id, "unconfirmed", now, "run died after claiming; Amazon no longer "
                "offers the request (most likely it was sent)",
            )  # fmt: skip
            _record(store, tid, order_id, {"settled_at": now.isoformat()}, "unconfirmed")
            return "unconfirmed"
        if not store.take_over(tid, order_id, seen, now):
            return "held_elsewhere"
    else:
        try:
            offered = sp.review_request_offered(order_id)
        except SpApiError:
            store.release_request(tid, order_id, claimed_at)  # nothing was sent: try later
            raise
        if not offered:
            # Amazon does not offer it: sent from Seller Central already, or outside its window
            store.settle_request(tid, order_id, "refused", now, "not offered by Amazon")
            return "not_offered"
    try:
        sp.create_review_request(order_id)
    except (Throttled, ConnectFailed):
        store.release_request(tid, order_id, claimed_at)  # Amazon certainly did not act
        raise
    except ClientError as exc:
        # Amazon's 403 for this order (sent already, or outside the window) is final; any other
        # refusal may be about us (credentials): the claim stays for the lease check
        if not _refused_for_the_order(exc):
            raise
        store.settle_request(tid, order_id, "refused", now, str(exc.amazon_message))
        return "not_offered"
    store.settle_request(tid, order_id, "sent", now)
    _record(store, tid, order_id, {"settled_at": now.isoformat()}, "sent")
    return "sent"


def _refused_for_the_order(exc: SpApiError) -> bool:
    if isinstance(exc, AuthError):
        text = exc.amazon_message.lower()
        return exc.code == "Unauthorized" and ("not available" in text or "day range" in text)
    return isinstance(exc, ClientError) and exc.status == 400


def _record(store: GrowthStore, tid: str, order_id: str, claim: dict[str, str], state: str) -> None:
    at = claim.get("settled_at") or claim.get("claimed_at")
    if not at:
        return
    store.record(
        GrowthEvent(
            tenant=tid,
            kind="review_request",
            amazon_order_id=order_id,
            at=datetime.fromisoformat(at),
            outcome=state,
        )
    )
