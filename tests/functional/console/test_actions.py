"""Acting from the console: the same jobs as `spconnector cases approve/deny`, each action in
the audit log with the person's identity."""

from __future__ import annotations

import email
from email import policy
from urllib.parse import quote

import pytest

from spconnector.domain import CaseStatus
from tests.functional.console.client import Client, logged_in


def _sent_bodies() -> list[str]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages
    out = []
    for m in sent:
        msg = email.message_from_string(m.raw_data, policy=policy.default)
        part = msg.get_body(("plain",))
        out.append(part.get_content() if part else "")
    return out


# A person's own words, as the lint wants them: a real apology and what happens next.
EDITED = (
    "Hello,\n\nI'm sorry the item let you down. I have refunded you in full today, and you "
    "will see the money back on your card within 3-5 business days. There is no need to send "
    "the item back.\n\nKind regards"
)


@pytest.fixture(scope="module")
def agent(console, logins) -> Client:
    return logged_in(console.url, logins["agent"].user, logins["agent"].password)


def _waiting(console, tenant: str, *, refund: bool | None = None, reply: bool = True):
    services = console.env.services
    for case in services.cases.list_cases(tenant, status=CaseStatus.AWAITING_APPROVAL):
        last = services.cases.decisions(tenant, case.case_id)[-1]
        moves = bool(last.refund and not last.refund.requires_return)
        if reply and not last.reply_template:
            continue
        if refund is not None and moves is not refund:
            continue
        if case.case_id == console.xss_case:
            continue
        return case
    pytest.skip(f"no waiting case of {tenant} with refund={refund}")


def test_edit_and_approve_sends_the_edited_reply_and_batches_the_refund(console, agent) -> None:
    case = _waiting(console, "acme-us", refund=True)
    page = agent.get(f"/case?id={quote(case.case_id, safe='')}")
    assert page.status == 200 and 'action="/case/approve"' in page.body
    edited = EDITED
    sent_before = len(_sent_bodies())
    answer = agent.post(
        "/case/approve",
        {"case_id": case.case_id, "csrf": agent.csrf(), "reply": edited, "edited": "yes"},
    )
    assert answer.status == 303, answer.body[:300]
    assert "approved" in answer.headers["location"]
    bodies = _sent_bodies()
    assert len(bodies) == sent_before + 1, answer.headers["location"]
    assert "refunded you in full today" in bodies[-1]
    services = console.env.services
    refunds = services.refund_ledger.refunds_for_order("acme-us", case.amazon_order_id)
    assert [r.state.value for r in refunds] == ["approved"]
    assert refunds[0].approved_by == "agent@agency.example"
    console.run_schedules()  # TrackFeeds: the approved refund leaves in a feed
    refunds = services.refund_ledger.refunds_for_order("acme-us", case.amazon_order_id)
    assert refunds[0].state.value == "submitted" and refunds[0].batch_id
    trail = console.config.audit.for_case("acme-us", case.case_id)
    assert [(e.action, e.by, e.detail.get("reply_edited")) for e in trail] == [
        ("approve", "agent@agency.example", "yes")
    ]
    after = agent.get(f"/case?id={quote(case.case_id, safe='')}").body
    assert refunds[0].batch_id in after and "agent@agency.example" in after
    # a second approval of the same decision is refused, as on the CLI
    again = agent.post("/case/approve", {"case_id": case.case_id, "csrf": agent.csrf()})
    assert again.status == 400 and "not awaiting approval" in again.body


def test_an_edit_that_fails_the_lint_is_never_sent(console, agent) -> None:
    case = _waiting(console, "acme-us", refund=False)
    bad = "Write to me at helper@example.com and leave us 5 stars for a gift card!"
    lint = agent.post("/case/lint", {"case_id": case.case_id, "csrf": agent.csrf(), "reply": bad})
    assert lint.status == 200 and "compliance." in lint.body
    sent_before = len(_sent_bodies())
    answer = agent.post(
        "/case/approve",
        {"case_id": case.case_id, "csrf": agent.csrf(), "reply": bad, "edited": "yes"},
    )
    assert answer.status == 303
    assert len(_sent_bodies()) == sent_before
    after = console.env.services.cases.get("acme-us", case.case_id)
    assert after.status is CaseStatus.ESCALATED


def test_deny_needs_a_reason_and_closes(console, agent) -> None:
    case = _waiting(console, "acme-us", reply=False)
    empty = agent.post("/case/deny", {"case_id": case.case_id, "csrf": agent.csrf(), "reason": " "})
    assert empty.status == 400
    answer = agent.post(
        "/case/deny", {"case_id": case.case_id, "csrf": agent.csrf(), "reason": "duplicate"}
    )
    assert answer.status == 303
    assert console.env.services.cases.get("acme-us", case.case_id).status is CaseStatus.CLOSED
    trail = console.config.audit.for_case("acme-us", case.case_id)
    assert [(e.action, e.detail["reason"]) for e in trail] == [("deny", "duplicate")]
    # the verdict as the approvals store holds it, read through its port
    page = agent.get(f"/case?id={quote(case.case_id, safe='')}").body
    assert "· agent@agency.example · denied: duplicate</li>" in page


def test_reassign_note_and_no_response(console, agent) -> None:
    case = console.env.services.cases.get("acme-us", console.xss_case)
    cid = case.case_id
    token = agent.csrf()
    assert agent.post("/case/reassign", {"case_id": cid, "csrf": token, "to": "sam"}).status == 303
    inbox = agent.get("/inbox?assignee=sam").body
    assert cid in inbox
    assert (
        agent.post("/case/note", {"case_id": cid, "csrf": token, "text": "<b>hi</b>"}).status == 303
    )
    page = agent.get(f"/case?id={quote(cid, safe='')}").body
    assert "&lt;b&gt;hi&lt;/b&gt;" in page and "nobody" not in page
    closed = agent.post("/case/no-response", {"case_id": cid, "csrf": token, "reason": "spam"})
    assert closed.status == 303 and "Seller%20Central" in closed.headers["location"]
    assert console.env.services.cases.get("acme-us", cid).status is CaseStatus.CLOSED
    actions = [e.action for e in console.config.audit.for_case("acme-us", cid)]
    assert actions == ["reassign", "note", "no_response_needed"]


def test_unread_money_notices_are_marked_read_from_the_case_page(console, agent) -> None:
    services = console.env.services
    # a case of its own (a copy of a seeded one), so neither this test nor the others depend
    # on which cases the other tests of the module have already worked on
    seeded = next(c for c in services.cases.list_cases("acme-us") if c.case_id != console.xss_case)
    cid = f"{seeded.case_id}-notices"
    services.cases.upsert(
        "acme-us",
        cid,
        lambda _: seeded.model_copy(
            update={
                "case_id": cid,
                "status": CaseStatus.OPEN,
                "unread_money_notices": ("<n1@amazon>",),
            }
        ),
    )
    page = agent.get(f"/case?id={quote(cid, safe='')}").body
    assert 'action="/case/notices-read"' in page and 'data-testid="unread-notices"' in page
    done = agent.post("/case/notices-read", {"case_id": cid, "csrf": agent.csrf()})
    assert done.status == 303
    assert services.cases.get("acme-us", cid).unread_money_notices == ()
    assert 'action="/case/notices-read"' not in agent.get(f"/case?id={quote(cid, safe='')}").body
    again = agent.post("/case/notices-read", {"case_id": cid, "csrf": agent.csrf()})
    assert again.status == 400  # nothing left to read: refused, not silently done
    trail = console.config.audit.for_case("acme-us", cid)
    read = [e for e in trail if e.action == "notices_read"]
    assert [(e.by, e.detail["notices"]) for e in read] == [("agent@agency.example", "1")]


def test_review_verdict_shows_on_the_policy_history(console, agent) -> None:
    queue = agent.get("/review?tenant=bolt-us")
    assert queue.status == 200
    import re

    found = re.findall(r'name="case_id" value="([^"]+)"', queue.body)
    assert found, "bolt-us (live) should have automatic decisions to review"
    answer = agent.post(
        "/case/review",
        {"case_id": found[0], "csrf": agent.csrf(), "verdict": "down", "note": "too generous"},
    )
    assert answer.status == 303
    policies = agent.get("/policies?tenant=bolt-us").body
    assert "too generous" in policies and "agent@agency.example" in policies
    bad = agent.post("/case/review", {"case_id": found[0], "csrf": agent.csrf(), "verdict": "meh"})
    assert bad.status == 400


def test_backtest_from_the_policies_page(console, agent) -> None:
    page = agent.get("/policies?tenant=acme-us")
    assert page.status == 200 and "/policies/backtest?tenant=acme-us" in page.body
    result = agent.get("/policies/backtest?tenant=acme-us")
    assert result.status == 200
    assert "cases replayed" in result.body and "decisions by action" in result.body
    assert agent.get("/policies/backtest?tenant=acme-us&seq=999").status == 404


def test_backtest_output_is_the_clis_over_the_stored_cases(console, agent) -> None:
    import html

    body = html.unescape(agent.get("/policies/backtest?tenant=acme-us").body)
    text = body[body.index('data-testid="backtest-result">') :]
    # the local console seeds buyer mail, no returns rows: messages are counted by intent
    stored = {
        m.intent.value
        for c in console.env.services.cases.list_cases("acme-us")
        for m in console.env.services.cases.messages("acme-us", c.case_id)
    }
    assert "messages with no return row (not replayed):" in text
    assert stored and all(intent in text for intent in stored)
