"""A return listed again by a later report, now with Amazon's refund on it, end to end on fakes.

Amazon back-updates its returns reports: a return first listed as approved comes again,
closed, with its Refunded Amount, in a later poll. Within one report the parser keeps the
listing that says Amazon paid (returns_real2, mfn_same_rma_updated.tsv); across two polls
ingest replaces the stored return with it (only ever towards "Amazon paid") and gives the case
a step, so it is decided again; and Act reads the stored return again before any refund, so a
refund decided (or approved by a person) before the re-listing came is not made. Each test
below has its counterpart that moves money or writes, so each check can fail. A refund
already approved and waiting for its feed is not sent either: TrackFeeds reads the stored
return again before it batches the refund.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from spconnector.domain import (
    Action,
    CaseStatus,
    Decision,
    Mode,
    Priority,
    RefundSpec,
)
from spconnector.domain.enums import FulfillmentChannel
from spconnector.intake.returns import parse_returns
from spconnector.jobs import track_feeds
from spconnector.jobs.act import act_on
from spconnector.jobs.approvals import approve
from spconnector.jobs.ingest import ReturnsIngestOutcome, case_id_for, ingest_returns
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.refunding import RETURNS_REPORT
from spconnector.refunds.model import RefundState
from tests.unit.jobs.conftest import World

HEADER = (
    "Order ID\tReturn request date\tReturn request status\tAmazon RMA ID\tCurrency code\t"
    "Merchant SKU\tReturn quantity\tReturn Reason\tOrder Amount\tRefunded Amount"
)
BROKEN = "The item arrived broken, the handle snapped off the first time I used it."


def _listing(world: World, order: Any, status: str, refunded: str) -> ReturnsIngestOutcome:
    """One poll whose report lists the order's return (the same RMA each time)."""
    when = world.now().strftime("%d-%b-%Y")
    sku = order.items[0].sku
    rma = f"DRELIST{order.order_id[-7:]}"
    cells = (order.order_id, when, status, rma, "USD", sku, "1", "CR-DEFECTIVE", "20.00")
    report = (HEADER + "\n" + "\t".join((*cells, refunded)) + "\n").encode()
    parsed = parse_returns(report, fulfillment=FulfillmentChannel.MFN)
    assert parsed.quarantined == [] and len(parsed.records) == 1
    return ingest_returns(world.services, world.tenant, parsed.records)


def _approved(world: World, order: Any) -> ReturnsIngestOutcome:
    return _listing(world, order, "Approved", "")


def _refunded(world: World, order: Any) -> ReturnsIngestOutcome:
    return _listing(world, order, "Closed", "20.00")


def _refund_decided(world: World) -> tuple[Any, str, list[dict[str, Any]]]:
    """A return listed unrefunded and the buyer's mail, decided: a refund of ours, its
    action not yet carried out."""
    order = world.order(channel="MFN", max_total=40.0)
    assert _approved(world, order).ingested == 1
    case_id, events = world.ingest(order.order_id, BROKEN)
    for body in world.drain("case_events") + events:
        process_case_event(world.services, body)
    (decision,) = world.services.cases.decisions(world.tid, case_id)
    assert decision.action is Action.REFUND_WITHOUT_RETURN, decision
    return order, case_id, world.drain("actions")


def _money_made(world: World, order_id: str) -> list[RefundState]:
    refunds = world.services.refund_ledger.refunds_for_order(world.tid, order_id)
    return [r.state for r in refunds if r.state is not RefundState.PROPOSED]


def _external(world: World, order_id: str) -> tuple[str, ...]:
    claim = world.services.refund_ledger.order_claim(world.tid, order_id)
    return () if claim is None else claim.external


def _reasons(world: World) -> str:
    return " | ".join(" ".join(e.reasons) for e in world.escalations)


def test_a_later_listing_with_amazons_refund_reaches_the_case(world: World) -> None:
    order = world.order(channel="MFN", max_total=40.0)
    assert _approved(world, order).ingested == 1
    (first,) = world.drain("case_events")
    outcome = _refunded(world, order)
    assert (outcome.ingested, outcome.settled, outcome.duplicates) == (0, 1, 0)
    case_id = case_id_for(world.tid, order.order_id)
    (stored,) = world.services.cases.returns(world.tid, case_id)
    assert stored.settled_by_amazon
    # one more step: the case is decided again, by the policy's guard
    (again,) = world.drain("case_events")
    assert again["case_id"] == first["case_id"] == case_id
    process_case_event(world.services, first)
    process_case_event(world.services, again)
    decisions = world.services.cases.decisions(world.tid, case_id)
    assert [d.case_step for d in decisions] == [2]  # both inputs, one decision
    assert decisions[-1].refund is None and "return_settled_by_amazon" in decisions[-1].guards


def test_the_relisting_stops_a_refund_decided_before_it_when_act_runs(world: World) -> None:
    order, case_id, actions = _refund_decided(world)
    assert _refunded(world, order).settled == 1

    outcomes = [act_on(world.services, body) for body in actions]

    assert _money_made(world, order.order_id) == []
    assert outcomes[0]["refund"]["state"] == "refused"
    assert "already refunded" in outcomes[0]["refund"]["reason"]
    assert outcomes[0]["reply"]["status"] == "held"  # no "your refund is made" mail
    assert world.mails == []
    assert [n.startswith(RETURNS_REPORT) for n in _external(world, order.order_id)] == [True]
    assert "already refunded" in _reasons(world)
    # the re-listing's own event: decided again, and the new decision moves no money either
    for body in world.drain("case_events"):
        process_case_event(world.services, body)
    last = world.services.cases.decisions(world.tid, case_id)[-1]
    assert last.refund is None and "return_settled_by_amazon" in last.guards
    for body in world.drain("actions"):
        act_on(world.services, body)
    assert _money_made(world, order.order_id) == []


def test_without_the_relisting_the_same_refund_is_made(world: World) -> None:
    order, _case_id, actions = _refund_decided(world)
    assert _approved(world, order).duplicates == 1  # the same listing again adds nothing
    outcomes = [act_on(world.services, body) for body in actions]
    assert outcomes[0]["refund"]["state"] == "approved"
    assert _money_made(world, order.order_id) == [RefundState.APPROVED]
    assert _external(world, order.order_id) == ()


def test_a_refund_a_person_approves_after_the_relisting_is_not_made(world: World) -> None:
    order, case_id, actions = _refund_decided(world)
    world.services.tenants.update(world.tid, mode=Mode.APPROVE)
    held = [act_on(world.services, body) for body in actions]
    assert held[0]["status"] == "awaiting_approval"
    assert _refunded(world, order).settled == 1  # its event not yet processed

    done = approve(world.services, case_id, by="dana")

    assert done["refund"]["state"] == "refused", done
    assert _money_made(world, order.order_id) == []
    assert world.mails == []
    assert "already refunded" in _reasons(world)
    case = world.services.cases.get(world.tid, case_id)
    assert case is not None and case.status is CaseStatus.ESCALATED


def _sent_in_a_feed(world: World, order: Any, actions: list[dict[str, Any]]) -> None:
    for body in actions:
        act_on(world.services, body)
    for _ in range(4):  # submitted, then Amazon's processing report confirms it
        track_feeds.run(world.services, world.tenant, world.now())
        world.amazon.sim.advance(150)
    assert _money_made(world, order.order_id) == [RefundState.CONFIRMED]


def test_a_relisting_after_our_own_refund_went_out_changes_nothing(world: World) -> None:
    order, case_id, actions = _refund_decided(world)
    _sent_in_a_feed(world, order, actions)
    case = world.services.cases.get(world.tid, case_id)
    told = len(world.escalations)

    # the MFN report lists the seller's own refunds as Refunded Amount too
    outcome = _refunded(world, order)

    assert (outcome.settled, outcome.duplicates) == (0, 1)
    assert world.drain("case_events") == []
    assert world.services.cases.get(world.tid, case_id) == case  # no step, no new status
    assert _money_made(world, order.order_id) == [RefundState.CONFIRMED]  # no second refund
    assert world.amazon.sim.state.refund_count(order.order_id) == 1
    assert len(world.escalations) == told
    (stored,) = world.services.cases.returns(world.tid, case_id)
    assert stored.settled_by_amazon  # the fact is kept: any later refund stops on it


def _approved_not_sent(world: World) -> tuple[Any, str]:
    order, case_id, actions = _refund_decided(world)
    for body in actions:
        act_on(world.services, body)
    assert _money_made(world, order.order_id) == [RefundState.APPROVED]
    # not sent yet, so the refund listed cannot be ours
    assert _refunded(world, order).settled == 1
    return order, case_id


def test_a_relisting_while_our_refund_waits_for_its_feed_tells_a_person(world: World) -> None:
    order, case_id = _approved_not_sent(world)
    for body in world.drain("case_events"):
        process_case_event(world.services, body)
    last = world.services.cases.decisions(world.tid, case_id)[-1]
    assert last.refund is None and "return_settled_by_amazon" in last.guards
    for body in world.drain("actions"):
        act_on(world.services, body)
    assert "return_settled_by_amazon" in _reasons(world)
    assert _money_made(world, order.order_id) == [RefundState.APPROVED]  # no second one


def test_an_approved_refund_is_not_sent_once_the_return_says_amazon_paid(world: World) -> None:
    order, case_id = _approved_not_sent(world)
    market = world.tenant.marketplace_ids[0]

    runs = []
    for _ in range(4):
        runs.append(track_feeds.run(world.services, world.tenant, world.now())[market])
        world.amazon.sim.advance(150)

    assert world.amazon.sim.state.refund_count(order.order_id) == 0
    assert runs[0]["submitted"] == 0 and runs[0]["failed"] == 1
    assert runs[0]["budget_given_back"] == 1 and runs[0]["escalated"] == 1
    (refund,) = world.services.refund_ledger.refunds_for_order(world.tid, order.order_id)
    assert refund.state is RefundState.FAILED and "already refunded" in (refund.failure or "")
    assert [n.startswith(RETURNS_REPORT) for n in _external(world, order.order_id)] == [True]
    assert "Amazon paid this return" in _reasons(world)
    case = world.services.cases.get(world.tid, case_id)
    assert case is not None and case.status is not CaseStatus.REFUNDED


def test_without_the_relisting_the_approved_refund_is_sent(world: World) -> None:
    order, _case_id, actions = _refund_decided(world)
    _sent_in_a_feed(world, order, actions)
    assert world.amazon.sim.state.refund_count(order.order_id) == 1


def test_replaying_the_later_report_is_idempotent(world: World) -> None:
    order = world.order(channel="MFN")
    _approved(world, order)
    assert _refunded(world, order).settled == 1
    world.drain("case_events")
    case_id = case_id_for(world.tid, order.order_id)
    case = world.services.cases.get(world.tid, case_id)
    returns = world.services.cases.returns(world.tid, case_id)

    outcome = _refunded(world, order)

    assert (outcome.ingested, outcome.settled, outcome.duplicates) == (0, 0, 1)
    assert world.drain("case_events") == []
    assert world.services.cases.get(world.tid, case_id) == case  # same version: not written
    assert world.services.cases.returns(world.tid, case_id) == returns


def test_a_relisting_that_repeats_the_first_listing_writes_nothing(world: World) -> None:
    order = world.order(channel="MFN")
    _approved(world, order)
    world.drain("case_events")
    case_id = case_id_for(world.tid, order.order_id)
    case = world.services.cases.get(world.tid, case_id)

    outcome = _approved(world, order)

    assert (outcome.ingested, outcome.settled, outcome.duplicates) == (0, 0, 1)
    assert world.drain("case_events") == []
    assert world.services.cases.get(world.tid, case_id) == case
    (stored,) = world.services.cases.returns(world.tid, case_id)
    assert stored.settled_by_amazon is None


def test_listings_out_of_order_never_take_amazons_refund_back(world: World) -> None:
    order = world.order(channel="MFN")
    assert _refunded(world, order).ingested == 1  # the settled listing came first
    world.drain("case_events")
    case_id = case_id_for(world.tid, order.order_id)
    case = world.services.cases.get(world.tid, case_id)
    # the older, unrefunded listing arrives late; then the settled one again
    assert _approved(world, order).duplicates == 1
    assert _refunded(world, order).duplicates == 1  # settled at its first listing: no step
    assert world.drain("case_events") == []
    assert world.services.cases.get(world.tid, case_id) == case
    (stored,) = world.services.cases.returns(world.tid, case_id)
    assert stored.settled_by_amazon


def test_no_task_to_refund_on_arrival_once_the_return_says_amazon_paid(world: World) -> None:
    order = world.order(channel="MFN")
    _approved(world, order)
    (event,) = world.drain("case_events")
    case_id = event["case_id"]
    refund = RefundSpec(amount=order.items[0].unit_price, currency="USD", requires_return=True)
    decision = Decision(
        action=Action.REFUND_ON_RETURN,
        refund=refund,
        ask_for_photos=False,
        reply_template=None,
        priority=Priority.NORMAL,
        respond_by=world.now() + timedelta(hours=24),
        needs_approval=False,
        rules=("unit-test",),
        guards=(),
        explanation="refund when the return arrives",
        policy_version="test",
        tenant=world.tid,
        case_id=case_id,
        decided_at=world.now(),
        case_step=1,
    )
    seq = world.services.cases.add_decision(world.tid, case_id, decision)
    assert _refunded(world, order).settled == 1

    outcome = act_on(world.services, {"tenant": world.tid, "case_id": case_id, "decision": seq})

    assert outcome["refund"]["state"] == "refused", outcome
    assert "already refunded" in _reasons(world)
    assert "once the return arrives" not in _reasons(world)
    assert _money_made(world, order.order_id) == []


def test_a_crash_after_the_return_was_replaced_still_gives_the_case_its_step(
    world: World,
) -> None:
    order = world.order(channel="MFN")
    _approved(world, order)
    world.drain("case_events")
    case_id = case_id_for(world.tid, order.order_id)
    when = world.now().strftime("%d-%b-%Y")
    cells = (order.order_id, when, "Closed", f"DRELIST{order.order_id[-7:]}", "USD")
    row = (*cells, order.items[0].sku, "1", "CR-DEFECTIVE", "20.00", "20.00")
    report = (HEADER + "\n" + "\t".join(row) + "\n").encode()
    (paid,) = parse_returns(report, fulfillment=FulfillmentChannel.MFN).records
    # the first attempt replaced the stored return, then died before the case's step
    assert world.services.cases.settle_return(world.tid, case_id, paid)

    outcome = ingest_returns(world.services, world.tenant, [paid])  # the poll runs again

    assert outcome.settled == 1
    (event,) = world.drain("case_events")
    assert event["case_id"] == case_id
    case = world.services.cases.get(world.tid, case_id)
    assert case is not None and case.settled_return_keys == (paid.dedup_key,)


def test_a_return_stored_by_a_run_that_died_before_its_case_is_not_lost(world: World) -> None:
    order = world.order(channel="MFN")
    case_id = case_id_for(world.tid, order.order_id)
    when = world.now().strftime("%d-%b-%Y")
    cells = (order.order_id, when, "Approved", f"DCRASH{order.order_id[-7:]}", "USD")
    row = (*cells, order.items[0].sku, "1", "CR-DEFECTIVE", "20.00", "")
    report = (HEADER + "\n" + "\t".join(row) + "\n").encode()
    (ret,) = parse_returns(report, fulfillment=FulfillmentChannel.MFN).records
    # the first poll stored the return, then died before the case was written
    assert world.services.cases.add_return(world.tid, case_id, ret, now=world.now())
    assert world.services.cases.get(world.tid, case_id) is None

    outcome = ingest_returns(world.services, world.tenant, [ret])  # the poll runs again

    assert (outcome.ingested, outcome.duplicates) == (1, 0)
    (event,) = world.drain("case_events")
    assert event["case_id"] == case_id
    case = world.services.cases.get(world.tid, case_id)
    assert case is not None and case.return_keys == (ret.dedup_key,)
    # and a third poll is a plain repeat: nothing written, no event
    again = ingest_returns(world.services, world.tenant, [ret])
    assert (again.ingested, again.duplicates) == (0, 1)
    assert world.drain("case_events") == []
