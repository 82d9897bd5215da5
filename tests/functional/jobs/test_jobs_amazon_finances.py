"""Before an automatic refund, Amazon's Finances API is asked whether the buyer already had
money back for the order (jobs/amazon_finances.py), against the simulator over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from spconnector.jobs.act import act_on
from spconnector.jobs.amazon_finances import check_order
from spconnector.jobs.process_case import process_case_event
from spconnector.jobs.refunding import _refused_by_amazon_finances
from spconnector.sp.errors import Throttled
from spconnector.sp.finances import LIST_BY_ORDER
from spconnector.sp.retry import RetryPolicy
from tests.functional.jobs.conftest import JobsEnv, ingest

BROKEN = "The item arrived broken, the handle snapped off the first time I used it."


def _refund_case(env: JobsEnv, order_id: str) -> dict[str, Any]:
    """Ingest a buyer's broken-item mail, decide and act; the refund decision's outcome."""
    _case_id, events = ingest(env, order_id, BROKEN)
    for body in events:
        process_case_event(env.services, body)
    outcomes = [act_on(env.services, body) for body in env.drain("actions")]
    refunds = [o for o in outcomes if "refund" in o]
    assert refunds, f"the policy decided {[o['action'] for o in outcomes]}"
    return refunds[-1]


def _order(env: JobsEnv) -> Any:
    """An unused small MFN order Amazon has not refunded in the scenario itself."""
    noticed = {order_id for _name, order_id, _a, _p in env.env.sim.scenario.money_backs}
    while True:
        order = env.order(channel="MFN", max_total=60.0)
        if order.order_id not in noticed:
            return order


def _amazon_moved(env: JobsEnv, order_id: str, name: str, amount: str) -> None:
    posted = env.now() - timedelta(hours=2)
    env.env.sim.simulator.state.money_backs.setdefault(order_id, []).append(
        (name, Decimal(amount), posted)
    )


def _finances_calls(env: JobsEnv) -> Iterator[list[str]]:
    """Record the order ids Finances is asked about while the block runs."""
    simulator = env.env.sim.simulator
    answer = simulator.handle
    asked: list[str] = []

    def counted(req: Any) -> Any:
        if req.path.startswith("/finances/v0/orders/"):
            asked.append(req.path.split("/")[4])
        return answer(req)

    simulator.handle = counted  # type: ignore[method-assign]
    try:
        yield asked
    finally:
        simulator.handle = answer  # type: ignore[method-assign]


@pytest.fixture
def finances_asked(jobs_env: JobsEnv) -> Iterator[list[str]]:
    yield from _finances_calls(jobs_env)


@pytest.fixture
def finance_role(jobs_env: JobsEnv) -> Iterator[Any]:
    base = jobs_env.env.sim.base_url

    def grant(granted: bool) -> None:
        httpx.post(f"{base}/_sim/finances/role", json={"granted": granted}).raise_for_status()

    yield grant
    grant(True)


@pytest.fixture
def required(jobs_env: JobsEnv) -> Iterator[Any]:
    registry = jobs_env.services.tenants

    def set_required(value: bool) -> None:
        registry.update(jobs_env.tid, finances_check_required=value)

    yield set_required
    set_required(False)


def test_a_refund_without_money_back_goes_ahead_after_asking(
    jobs_env: JobsEnv, finances_asked: list[str]
) -> None:
    order = _order(jobs_env)
    outcome = _refund_case(jobs_env, order.order_id)
    assert outcome["refund"]["state"] == "approved"
    assert finances_asked == [order.order_id]


@pytest.mark.parametrize(
    ("finances_list", "kind"),
    [
        ("RefundEventList", "refund"),
        ("GuaranteeClaimEventList", "A-to-z guarantee claim"),
        ("ChargebackEventList", "chargeback"),
    ],
)
def test_money_back_at_amazon_refuses_the_refund_and_a_person_decides(
    jobs_env: JobsEnv, finances_list: str, kind: str
) -> None:
    order = _order(jobs_env)
    _amazon_moved(jobs_env, order.order_id, finances_list, "9.99")
    mails_before = len(jobs_env.sent_mail())
    jobs_env.escalations()

    outcome = _refund_case(jobs_env, order.order_id)

    assert outcome["refund"]["state"] == "refused"
    reason = outcome["refund"]["reason"]
    assert f"{kind} of 9.99" in reason and "Finances" in reason
    assert outcome["status"] == "escalated"
    ledger = jobs_env.services.refund_ledger
    assert ledger.refunds_for_order(jobs_env.tid, order.order_id) == [], "a refund was recorded"
    claim = ledger.order_claim(jobs_env.tid, order.order_id)
    assert claim is not None and claim.holder is None
    assert any(kind in note and "9.99" in note for note in claim.external)
    told = [e for e in jobs_env.escalations() if e.get("case_id") == outcome["case_id"]]
    assert told and any(kind in r for r in told[-1]["reasons"])
    assert len(jobs_env.sent_mail()) == mails_before, "the buyer was told of a refund"


def test_an_amazon_refund_notice_order_is_not_refunded_again(jobs_env: JobsEnv) -> None:
    # The scenario's own REFUND_ISSUED notice: Amazon refunded that order (the simulator
    # lists it); a buyer mail about it must not be paid a second time.
    refunded = [o for name, o, _a, _p in jobs_env.env.sim.scenario.money_backs
                if name == "RefundEventList"]  # fmt: skip
    assert refunded
    outcome = _refund_case(jobs_env, refunded[0])
    assert outcome["refund"]["state"] == "refused"
    assert "refund of" in outcome["refund"]["reason"]


def test_without_the_finance_role_the_check_is_skipped_and_counted(
    jobs_env: JobsEnv, finance_role: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    order = _order(jobs_env)
    finance_role(False)
    capsys.readouterr()
    outcome = _refund_case(jobs_env, order.order_id)
    assert outcome["refund"]["state"] == "approved"
    assert "FinancesCheckSkipped" in capsys.readouterr().out  # the EMF line


def test_without_the_finance_role_a_tenant_requiring_the_check_gets_a_person(
    jobs_env: JobsEnv, finance_role: Any, required: Any
) -> None:
    order = _order(jobs_env)
    finance_role(False)
    required(True)
    outcome = _refund_case(jobs_env, order.order_id)
    assert outcome["refund"]["state"] == "refused"
    assert "Finance role" in outcome["refund"]["reason"]
    assert outcome["status"] == "escalated"
    claim = jobs_env.services.refund_ledger.order_claim(jobs_env.tid, order.order_id)
    assert claim is not None and claim.holder is None and not claim.external


def test_throttling_raises_and_gives_the_claim_back(jobs_env: JobsEnv, faults: Any) -> None:
    order = _order(jobs_env)
    tenant = jobs_env.tenant
    client = jobs_env.services.sp(tenant)
    saved = client.retry
    client.retry = RetryPolicy(max_attempts=2, backoff_base=0.0, sleep=lambda _s: None)
    ledger = jobs_env.services.refund_ledger
    own = "adj-throttled-test"
    assert ledger.claim_order(jobs_env.tid, order.order_id, own) is None
    faults(empty_throttle=1.0)
    try:
        with pytest.raises(Throttled) as caught:
            check_order(jobs_env.services, tenant, order.order_id)
        assert caught.value.operation == LIST_BY_ORDER
        with pytest.raises(Throttled):
            _refused_by_amazon_finances(jobs_env.services, tenant, order.order_id, own)
    finally:
        client.retry = saved
    claim = ledger.order_claim(jobs_env.tid, order.order_id)
    assert claim is not None and claim.holder is None, "the claim was kept after a 429"


def test_a_redelivered_action_does_not_ask_again(
    jobs_env: JobsEnv, finances_asked: list[str]
) -> None:
    order = _order(jobs_env)
    _case_id, events = ingest(jobs_env, order.order_id, BROKEN)
    for body in events:
        process_case_event(jobs_env.services, body)
    actions = jobs_env.drain("actions")
    first = [act_on(jobs_env.services, body) for body in actions]
    again = [act_on(jobs_env.services, body) for body in actions]
    assert [o["refund"]["state"] for o in first if "refund" in o] == ["approved"]
    assert [o.get("refund", {}).get("state") for o in again if "refund" in o] in ([], ["approved"])
    assert finances_asked == [order.order_id]


def test_amazon_refunding_while_a_person_is_asked_stops_the_approval(
    jobs_env: JobsEnv, mode: Any
) -> None:
    from spconnector.domain import Mode
    from spconnector.jobs.approvals import approve

    order = _order(jobs_env)
    case_id, events = ingest(jobs_env, order.order_id, BROKEN)
    for body in events:
        process_case_event(jobs_env.services, body)  # decided while live
    mode(Mode.APPROVE)
    held = [act_on(jobs_env.services, body) for body in jobs_env.drain("actions")]
    assert held and held[0]["status"] == "awaiting_approval"
    _amazon_moved(jobs_env, order.order_id, "RefundEventList", "12.00")  # while it waits

    done = approve(jobs_env.services, case_id, by="dana")

    assert done["refund"]["state"] == "refused" and "refund of 12.00" in done["refund"]["reason"]
    ledger = jobs_env.services.refund_ledger
    assert ledger.refunds_for_order(jobs_env.tid, order.order_id) == []
