"""Knowledge, returns reports, proactive messages, the mailbox settings and the impact page on
fakes: a product question answered from the KB or handed over; a returns report requested
then ingested (bad rows quarantined, the cursor moved); a request for information sent once
through Amazon's Messaging API; the IMAP settings read from the tenant's secret."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from spconnector.domain import (
    CaseStatus,
)
from spconnector.jobs import impact_report, poll_mailbox, poll_returns
from spconnector.jobs.act import act_on, carry_out
from spconnector.jobs.process_case import process_case_event
from spconnector.memory import MemoryRawMail, MemoryReportPages, MemorySecrets
from tests.unit.jobs.conftest import World

MFN = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
FBA = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"


def _order_with(world: World, sku: str) -> Any:
    for order in world.amazon.sim.scenario.orders:
        if (
            order.items[0].sku == sku
            and order.order_id not in world.amazon.used
            and order.status != "Canceled"
        ):
            world.amazon.used.add(order.order_id)
            return order
    pytest.skip(f"no scenario order for {sku}")


def _act(world: World, order_id: str, body: str) -> dict[str, Any]:
    _, events = world.ingest(order_id, body)
    for event in events:
        process_case_event(world.services, event)
    (action,) = world.drain("actions")
    return act_on(world.services, action)


def test_a_product_question_is_answered_from_the_kb(world: World) -> None:
    order = _order_with(world, "KG-SKILLET")

    outcome = _act(world, order.order_id, "Does this skillet work on an induction hob?")

    assert outcome["status"] == CaseStatus.ANSWERED.value, outcome
    assert outcome["reply"]["template"] == "acknowledge.kb_answer"
    assert outcome["reply"]["kb"] == {
        "state": "answered",
        "entry": "KG-SKILLET/faq/induction",
        "entries": ["KG-SKILLET/faq/induction"],
    }
    (mail,) = world.mails
    assert "induction, gas, electric and glass-ceramic hobs" in mail.text
    assert "I'll reply within" not in mail.text  # not a holding reply
    assert world.escalations == []
    (record,) = world.services.impact.ledger.iter_records(world.tid)
    assert record.knowledge == "answered"


def test_a_question_the_kb_cannot_answer_goes_to_a_person(world: World) -> None:
    order = _order_with(world, "KG-SKILLET")

    outcome = _act(world, order.order_id, "Is there a version of the skillet in blue?")

    assert outcome["status"] == CaseStatus.ESCALATED.value, outcome
    assert outcome["reply"]["kb"]["state"] == "handed_over"
    assert outcome["reply"]["template"] == "acknowledge.product_question"  # the holding reply
    (escalation,) = world.escalations
    assert any("not answered from the KB" in r for r in escalation.reasons)


def test_a_returns_report_is_requested_then_ingested(world: World) -> None:
    sim = world.amazon.sim
    broken = dict(sim.scenario.returns_mfn_rows[0])
    broken.update({"Order ID": "not-an-order-id", "Return quantity": "lots"})
    broken["Return request date"] = (world.now() - timedelta(days=1)).isoformat()
    sim.scenario.returns_mfn_rows.append(broken)
    try:
        first = poll_returns.run(world.services, world.tenant, world.now())
        windows = {t: world.services.pending_reports.get(world.tid, t) for t in (MFN, FBA)}
        sim.advance(120)
        second = poll_returns.run(world.services, world.tenant, world.now())
    finally:
        sim.scenario.returns_mfn_rows.remove(broken)

    assert first["ingested"] == 0 and all(first[t]["requested"] for t in (MFN, FBA))
    for report_type in (MFN, FBA):
        window = windows[report_type]
        assert window is not None
        assert second[report_type]["finished"] == [f"{first[report_type]['requested']}:DONE"]
        cursor = world.services.checkpoints.cursor(world.tid, f"report:{report_type}")
        assert cursor == datetime.fromisoformat(window["end"])
    assert second["ingested"] > 0
    assert len(world.drain("case_events")) == second["ingested"]
    assert second["quarantined"] == 1
    raw_mail = world.services.raw_mail
    assert isinstance(raw_mail, MemoryRawMail)
    assert any("1 bad rows" in reason for reason in raw_mail.quarantined(world.tid).values())


def test_a_request_for_information_goes_out_once_through_messaging(world: World) -> None:
    order = world.order(channel="MFN")
    action = world.return_only_action(order.order_id)

    first = act_on(world.services, action)
    again = act_on(world.services, dict(action))
    case = world.services.cases.get(world.tid, action["case_id"])
    (decision,) = world.services.cases.decisions(world.tid, action["case_id"])
    assert case is not None
    below = carry_out(world.services, world.tenant, case, decision, action["decision"])

    assert first["reply"]["status"] == "sent" and first["reply"]["channel"] == "messaging"
    assert again == first
    assert below["reply"] == {"status": "already_sent", "channel": "messaging"}
    sent = [m for m in world.amazon.sim.state.messages_sent if m.order_id == order.order_id]
    assert [m.kind for m in sent] == ["createUnexpectedProblem"]
    text = sent[0].text
    assert order.order_id in text and 1 <= len(text) <= 2000
    assert "@" not in text and "http" not in text.lower()
    # the buyer's locale from getAttributes chooses the language
    assert first["reply"]["language"] == order.buyer_locale.split("-")[0]
    assert world.services.cases.get(world.tid, action["case_id"]).status is CaseStatus.ANSWERED  # type: ignore[union-attr]
    assert world.mails == [] and world.escalations == []


def test_the_imap_settings_come_from_the_tenants_secret(world: World) -> None:
    secrets = world.services.secrets
    assert isinstance(secrets, MemorySecrets)
    secrets.secrets["spconnector/demo-us/imap"] = json.dumps(
        {"host": "imap.example.test", "username": "seller", "password": "pw", "port": 1993}
    )
    tenant = world.services.tenants.update(world.tid, imap_mailbox="spconnector/demo-us/imap")

    settings = poll_mailbox.settings_for(world.services, tenant)

    assert settings is not None
    assert (settings.host, settings.port, settings.mailbox) == ("imap.example.test", 1993, "INBOX")
    assert (
        poll_mailbox.settings_for(
            world.services, world.tenant.model_copy(update={"imap_mailbox": None})
        )
        is None
    )


def test_the_impact_page_is_stored_under_the_tenants_reports(world: World) -> None:
    result = impact_report.run(world.services, world.tenant, world.now())

    pages = world.services.report_pages
    assert isinstance(pages, MemoryReportPages)
    (key,) = pages.pages
    assert key == f"reports/{world.tid}/{world.now():%Y-%m-%d}.html"
    body, content_type = pages.pages[key]
    assert content_type.startswith("text/html") and b"<html" in body.lower()
    assert result == {"report": f"memory://{key}"}
