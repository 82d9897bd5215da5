"""A refund the buyer was told about, which Amazon then rejects, ends FATAL, or never answers:
a person hears of it with the promise attached, the case stops showing `refunded`, and an
outcome nobody knows blocks any further automatic refund on the order (audit 11, items 1, 2
and 6: the reproducers, against the jobs). A refund that moved no money for good gives its
budget reservation back exactly once; a batch that never reached createFeed has a deadline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from spconnector.domain import CaseStatus
from spconnector.jobs import track_feeds
from spconnector.jobs.act import act_on
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.refund_settlement import SettlementError, settle
from spconnector.jobs.spend import give_back_all_unspent
from spconnector.refunds.model import Refund, RefundState
from spconnector.sp.feeds_adapter import SpFeeds

from .conftest import JobsEnv, ingest

DEFECT = "The item arrived broken, it does not work at all."
DAY = 24 * 3600
runner = CliRunner()


def _refunded_and_told(
    env: JobsEnv, *, min_total: float = 0.0, max_total: float = 30
) -> tuple[str, str, dict[str, Any]]:
    """A buyer's message decided, acted on: the refund is approved and the reply sent."""
    order = env.order(channel="MFN", min_total=min_total, max_total=max_total)
    case_id, events = ingest(env, order.order_id, DEFECT)
    for event in events:
        process_case_event(env.services, event)
    outcomes = [act_on(env.services, action) for action in env.drain("actions")]
    assert outcomes and outcomes[-1]["refund"]["state"] == "approved", outcomes
    assert outcomes[-1]["reply"]["status"] == "sent"
    env.escalations()  # what act published is not under test here
    return order.order_id, case_id, outcomes[-1]


def _track_until_settled(env: JobsEnv, runs: int = 4) -> None:
    for _ in range(runs):
        track_feeds.run(env.services, env.tenant, env.now())
        env.env.sim.advance(150)


def _escalations_for(env: JobsEnv, order_id: str) -> list[dict[str, Any]]:
    return [e for e in env.escalations() if e.get("amazon_order_id") == order_id]


def _says(escalation: dict[str, Any], *words: str) -> bool:
    text = " ".join(escalation.get("reasons", [])).lower()
    return all(word.lower() in text for word in words)


def _status(env: JobsEnv, case_id: str) -> CaseStatus:
    case = env.services.cases.get(env.tid, case_id)
    assert case is not None
    return case.status


def test_a_refund_amazon_rejects_is_escalated_with_the_buyers_promise(
    jobs_env: JobsEnv, faults: Any
) -> None:
    order_id, case_id, outcome = _refunded_and_told(jobs_env)
    faults(message_rejected=1.0)

    _track_until_settled(jobs_env)

    assert jobs_env.env.sim.state.refund_count(order_id) == 0  # no money moved
    found = _escalations_for(jobs_env, order_id)
    amount = outcome["refund"]["amount"]
    assert any(_says(e, "rejected", amount, "told") for e in found), [e["reasons"] for e in found]
    promise = next(e["refund"] for e in found if e.get("refund"))
    assert promise["state"] == "failed" and promise["amount"] == amount
    assert promise["adjustment_id"] == outcome["refund"]["adjustment_id"]
    assert "refund_without_return" in promise["buyer_was_told"]
    assert "was sent" in promise["buyer_was_told"]
    assert _status(jobs_env, case_id) is not CaseStatus.REFUNDED


def test_a_fatal_feed_is_escalated_and_blocks_a_second_refund(
    jobs_env: JobsEnv, faults: Any
) -> None:
    order_id, case_id, outcome = _refunded_and_told(jobs_env)
    faults(feed_fatal=1.0)  # Amazon applied the adjustment and still says FATAL

    _track_until_settled(jobs_env)
    faults()

    assert jobs_env.env.sim.state.refund_count(order_id) >= 1
    found = _escalations_for(jobs_env, order_id)
    assert any(_says(e, "FATAL", outcome["refund"]["amount"], "told") for e in found), found
    assert _status(jobs_env, case_id) is not CaseStatus.REFUNDED

    # the buyer writes again: the policy would refund again, but the first may have been paid
    mails_before = len(jobs_env.sent_mail())
    _case, events = ingest(jobs_env, order_id, DEFECT)
    for event in events:
        process_case_event(jobs_env.services, event)
    second = [act_on(jobs_env.services, action) for action in jobs_env.drain("actions")]
    _track_until_settled(jobs_env)

    assert second and second[-1]["refund"]["state"] == "refused", second
    assert second[-1]["status"] == "escalated"
    assert len(jobs_env.sent_mail()) == mails_before, "a second 'refunded' reply went out"
    applied = {a.feed_id for a in jobs_env.env.sim.state.adjustments.get(order_id, [])}
    assert len(applied) == 1, "refunded in two feeds"


def test_a_feed_amazon_never_finishes_is_escalated_after_the_deadline(
    jobs_env: JobsEnv, faults: Any
) -> None:
    order_id, case_id, outcome = _refunded_and_told(jobs_env)
    faults(feed_stuck=1.0)
    _track_until_settled(jobs_env)
    faults()
    assert not _escalations_for(jobs_env, order_id)  # still within its deadline

    jobs_env.env.sim.advance(DAY + 3600)
    _track_until_settled(jobs_env, runs=1)

    found = _escalations_for(jobs_env, order_id)
    assert any(_says(e, "not finish", outcome["refund"]["amount"]) for e in found), found
    assert _status(jobs_env, case_id) is not CaseStatus.REFUNDED


def test_a_refund_for_a_marketplace_the_tenant_does_not_list_is_refused_before_the_reply(
    jobs_env: JobsEnv,
) -> None:
    registry = jobs_env.services.tenants
    original = registry.require(jobs_env.tid)
    order = jobs_env.order(channel="MFN", max_total=30)
    _case_id, events = ingest(jobs_env, order.order_id, DEFECT)
    for event in events:
        process_case_event(jobs_env.services, event)
    mails_before = len(jobs_env.sent_mail())
    other = "A1PA6795UKMFR9" if order.marketplace_id != "A1PA6795UKMFR9" else "ATVPDKIKX0DER"
    registry.update(jobs_env.tid, marketplace_ids=(other,))
    try:
        outcomes = [act_on(jobs_env.services, action) for action in jobs_env.drain("actions")]
    finally:
        registry.update(jobs_env.tid, marketplace_ids=original.marketplace_ids)

    assert outcomes[-1]["refund"]["state"] == "refused", outcomes
    assert order.marketplace_id in outcomes[-1]["refund"]["reason"]
    assert outcomes[-1]["status"] == "escalated"
    assert len(jobs_env.sent_mail()) == mails_before, "the buyer was told 'refunded'"
    assert not jobs_env.services.refund_ledger.refunds_for_order(jobs_env.tid, order.order_id)


# ---- budget reservations of refunds that moved no money (issue 11 leftovers) ------------


def _refund_of(env: JobsEnv, order_id: str) -> Refund:
    (refund,) = env.services.refund_ledger.refunds_for_order(env.tid, order_id)
    return refund


def _spent_when_reserved(env: JobsEnv, refund: Refund) -> tuple[Decimal, Decimal]:
    assert refund.reserved_at is not None, "the approval reserved nothing"
    day, month = env.services.spend.spent(env.tid, refund.currency, refund.reserved_at)
    return day, month


def test_a_refund_amazon_rejects_gives_its_budget_back_exactly_once(
    jobs_env: JobsEnv, faults: Any
) -> None:
    order_id, _case_id, _outcome = _refunded_and_told(jobs_env, min_total=30, max_total=70)
    refund = _refund_of(jobs_env, order_id)
    day, month = _spent_when_reserved(jobs_env, refund)
    amount = refund.total.amount
    assert day >= amount and month >= amount  # the approval's reservation is counted

    faults(message_rejected=1.0)
    _track_until_settled(jobs_env)
    faults()

    refund = _refund_of(jobs_env, order_id)
    assert refund.state is RefundState.FAILED and refund.budget_returned_at is not None
    assert _spent_when_reserved(jobs_env, refund) == (day - amount, month - amount)
    # redelivered runs and a second worker's sweep: never given back twice
    _track_until_settled(jobs_env, runs=2)
    for market in jobs_env.tenant.marketplace_ids:
        give_back_all_unspent(jobs_env.services, jobs_env.tid, market)
    assert _spent_when_reserved(jobs_env, refund) == (day - amount, month - amount)


def test_an_unknown_outcome_keeps_its_budget_until_settled_as_not_paid(
    jobs_env: JobsEnv, faults: Any
) -> None:
    order_id, _case_id, _outcome = _refunded_and_told(jobs_env, min_total=30, max_total=70)
    refund = _refund_of(jobs_env, order_id)
    day, month = _spent_when_reserved(jobs_env, refund)
    amount = refund.total.amount

    faults(feed_fatal=1.0)
    _track_until_settled(jobs_env)
    faults()
    refund = _refund_of(jobs_env, order_id)
    assert refund.state is RefundState.UNKNOWN
    assert _spent_when_reserved(jobs_env, refund) == (day, month)  # it may have been paid

    settled = settle(
        jobs_env.services,
        jobs_env.tid,
        order_id,
        refund.adjustment_id,
        paid=False,
        by="ops@seller.example",
        note="no such adjustment in Seller Central",
    )
    assert settled["state"] == "failed"
    assert _spent_when_reserved(jobs_env, refund) == (day - amount, month - amount)
    with pytest.raises(SettlementError):  # settled twice: refused, nothing given back again
        settle(
            jobs_env.services,
            jobs_env.tid,
            order_id,
            refund.adjustment_id,
            paid=False,
            by="ops@seller.example",
            note="again",
        )
    _track_until_settled(jobs_env, runs=1)
    assert _spent_when_reserved(jobs_env, refund) == (day - amount, month - amount)


# ---- a batch that never reached createFeed has a deadline too ---------------------------


def test_a_batch_stuck_before_create_feed_is_escalated_after_the_deadline_never_sent(
    jobs_env: JobsEnv, mode: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    order_id, case_id, outcome = _refunded_and_told(jobs_env, min_total=30, max_total=70)
    refund = _refund_of(jobs_env, order_id)
    day, month = _spent_when_reserved(jobs_env, refund)
    amount = refund.total.amount

    # the submitter dies after marking the batch, before createFeed (a Lambda timeout)
    def crash(_self: SpFeeds, _content_type: str) -> tuple[str, str]:
        raise TimeoutError("Task timed out after 900.00 seconds")

    monkeypatch.setattr(SpFeeds, "create_feed_document", crash)
    with pytest.raises(TimeoutError):
        track_feeds.run(jobs_env.services, jobs_env.tenant, jobs_env.now())
    monkeypatch.undo()
    assert _refund_of(jobs_env, order_id).state is RefundState.SUBMITTED
    mode(paused=True)  # then the seller pauses: recovery may not send the batch again
    _track_until_settled(jobs_env, runs=2)
    assert not _escalations_for(jobs_env, order_id)  # still within its deadline

    jobs_env.env.sim.advance(DAY + 3600)
    _track_until_settled(jobs_env, runs=1)

    found = _escalations_for(jobs_env, order_id)
    assert any(_says(e, "not sent", str(amount), "told") for e in found), found
    assert next(e["refund"] for e in found if e.get("refund"))["state"] == "failed"
    assert _status(jobs_env, case_id) is not CaseStatus.REFUNDED
    refund = _refund_of(jobs_env, order_id)
    assert refund.state is RefundState.FAILED
    assert _spent_when_reserved(jobs_env, refund) == (day - amount, month - amount)
    claim = jobs_env.services.refund_ledger.order_claim(jobs_env.tid, order_id)
    assert claim is None or claim.holder is None  # no money moved: the order is free again

    mode(paused=False)  # resumed: the wound-up batch is never sent after all
    _track_until_settled(jobs_env, runs=2)
    assert jobs_env.env.sim.state.refund_count(order_id) == 0
    assert _refund_of(jobs_env, order_id).state is RefundState.FAILED
    assert outcome["refund"]["adjustment_id"] == refund.adjustment_id
