"""Amazon's notice mail through the jobs (ingest → ProcessCase → Act), shared by the notice
tests: one mail's run, a buyer's message after it, an order's refunds, and the check that no
notice of a fixture corpus moves money in live mode."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from spconnector.domain import CaseStatus
from spconnector.jobs.act import act_on
from spconnector.jobs.ingest import ingest_email
from spconnector.jobs.process_case import process_case_event
from tests.functional.jobs.conftest import JobsEnv, ingest

# what the default policy would refund without a return
BROKEN = "The item arrived broken, the handle snapped off."


def run_mail(env: JobsEnv, raw: bytes) -> tuple[str, list[dict[str, Any]]]:
    outcome = ingest_email(env.services, env.tenant, raw)
    assert outcome.status == "ingested", outcome
    assert outcome.case_id is not None
    routed = [process_case_event(env.services, body) for body in env.drain("case-events")]
    acted = [act_on(env.services, body) for body in env.drain("actions")]
    return outcome.case_id, routed + acted


def buyer_writes(
    env: JobsEnv, order_id: str, ago: timedelta, body: str = BROKEN
) -> tuple[str, list[dict[str, Any]]]:
    """The buyer's relay message on the order, received `ago` before now, through ProcessCase
    and Act: its case id and what Act did."""
    case_id, events = ingest(env, order_id, body, received_at=env.now() - ago)
    for event in events:
        process_case_event(env.services, event)
    return case_id, [act_on(env.services, action) for action in env.drain("actions")]


def refunds_of(env: JobsEnv, order_id: str) -> list[Any]:
    return env.services.refund_ledger.refunds_for_order(env.tid, order_id)


def no_notice_moves_money(env: JobsEnv, gen: Any, first_uid: int, least: int) -> None:
    """Every notice of a layouts-style corpus (`gen`: its generate.py), each about a real
    order of the simulator where one is left, is a notice decision; none refunds."""
    orders: dict[str, str] = {}

    def order(made_up: str) -> str:
        if made_up not in orders:
            orders[made_up] = made_up  # past the simulator's orders: an order it does not know
            # small MFN orders stay for the tests that refund on them
            for channel, low in (("AFN", 0.0), ("MFN", 60.01)):
                try:
                    orders[made_up] = env.order(channel=channel, min_total=low).order_id
                    break
                except LookupError:
                    continue
        return orders[made_up]

    notices = [m for m in gen.mails(order) if m.expected["kind"] not in ("other", "buyer_message")]
    assert len(notices) >= least
    for n, mail in enumerate(notices):
        case_id, outcomes = run_mail(env, gen.render(mail, first_uid + n))
        decisions = env.services.cases.decisions(env.tid, case_id)
        assert decisions, mail.name
        assert not any(d.action.moves_money or d.refund for d in decisions), mail.name
        assert all(d.rules == (f"notice:{mail.expected['kind']}",) for d in decisions), mail.name
        if mail.expected["order"]:
            assert refunds_of(env, mail.expected["order"]) == [], f"{mail.name} refunded"
        case = env.services.cases.get(env.tid, case_id)
        assert case is not None
        assert case.status in (CaseStatus.ESCALATED, CaseStatus.CLOSED), (mail.name, outcomes)
