"""Who may see and do what, over every route of the console (issue 17's isolation proof).

The agent is assigned acme-us and bolt-us; demo-us belongs to someone else. Every page and
action that names demo-us — by the links the console draws or by editing the URL or a form by
hand — answers 404 (it does not exist for them) and changes nothing; the pages that name no
tenant never mention it. The seller viewer reads demo-us and may do nothing there.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from spconnector.domain import CaseStatus
from tests.functional.console.client import XSS, Client, logged_in

OTHER = "demo-us"

# Every route, and how the agent tampers with it to reach demo-us. A route added without a
# row here fails test_every_route_is_covered.
TAMPERED = {
    ("GET", "/"): None,  # names no tenant: checked for leaks instead
    ("GET", "/inbox"): "/inbox?tenant={tenant}",
    ("GET", "/api/inbox"): "/api/inbox?tenant={tenant}",
    ("GET", "/case"): "/case?id={case}",
    ("GET", "/review"): "/review?tenant={tenant}",
    ("GET", "/policies"): "/policies?tenant={tenant}",
    ("GET", "/policies/backtest"): "/policies/backtest?tenant={tenant}",
    ("POST", "/case/approve"): {"case_id": "{case}"},
    ("POST", "/case/deny"): {"case_id": "{case}", "reason": "tampered"},
    ("POST", "/case/reassign"): {"case_id": "{case}", "to": "agent@agency.example"},
    ("POST", "/case/note"): {"case_id": "{case}", "text": "tampered"},
    ("POST", "/case/no-response"): {"case_id": "{case}", "reason": "tampered"},
    ("POST", "/case/notices-read"): {"case_id": "{case}"},
    ("POST", "/case/lint"): {"case_id": "{case}", "reply": "hello"},
    ("POST", "/case/review"): {"case_id": "{case}", "verdict": "down", "note": "tampered"},
}
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/static/<name>"),
    ("GET", "/auth/callback"),  # where a session starts: test_cognito_sign_in.py covers it
}


def _routes(app) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in app._static_routes + app._dynamic_routes}


def _waiting(console, tenant: str):
    cases = console.env.services.cases.list_cases(tenant, status=CaseStatus.AWAITING_APPROVAL)
    assert cases, f"{tenant} has no case waiting"
    return cases[0]


@pytest.fixture(scope="module")
def agent(console, logins) -> Client:
    return logged_in(console.url, logins["agent"].user, logins["agent"].password)


@pytest.fixture(scope="module")
def viewer(console, logins) -> Client:
    return logged_in(console.url, logins["viewer"].user, logins["viewer"].password)


def test_every_route_is_covered(console) -> None:
    assert _routes(console.app) == set(TAMPERED) | PUBLIC


def test_agent_sees_only_assigned_tenants(console, agent) -> None:
    for path in ("/", "/inbox", "/api/inbox", "/review", "/policies"):
        answer = agent.get(path)
        assert answer.status == 200, (path, answer.body[:200])
        assert OTHER not in answer.body, path
        assert "acme-us" in answer.body, path
    overview = agent.get("/").body
    assert 'data-tenant="acme-us"' in overview and 'data-tenant="bolt-us"' in overview


@pytest.mark.parametrize("route", sorted(k for k, v in TAMPERED.items() if v is not None))
def test_agent_cannot_reach_other_tenant_by_tampering(console, agent, route) -> None:
    case = _waiting(console, OTHER)
    services = console.env.services
    trail_before = console.config.audit.for_tenant(OTHER)
    method, _path = route
    spec = TAMPERED[route]
    if method == "GET":
        url = spec.format(tenant=OTHER, case=quote(case.case_id, safe=""))
        answer = agent.get(url)
    else:
        fields = {k: v.format(case=case.case_id) for k, v in spec.items()}
        answer = agent.post(route[1], {**fields, "csrf": agent.csrf()})
    assert answer.status == 404, (route, answer.status, answer.body[:200])
    assert case.case_id not in answer.body and OTHER not in answer.body
    after = services.cases.get(OTHER, case.case_id)
    assert after is not None and after.status is CaseStatus.AWAITING_APPROVAL
    assert console.config.audit.for_tenant(OTHER) == trail_before


def test_a_case_id_naming_one_tenant_and_the_key_of_another_is_refused(console, agent) -> None:
    # acme-us's prefix on demo-us's order: the store refuses the key, the page says 404
    case = _waiting(console, OTHER)
    forged = case.case_id.replace(OTHER, "acme-us", 1)
    assert agent.get(f"/case?id={quote(forged, safe='')}").status == 404


def test_viewer_reads_but_cannot_act(console, viewer) -> None:
    case = _waiting(console, OTHER)
    page = viewer.get(f"/case?id={quote(case.case_id, safe='')}")
    assert page.status == 200
    assert 'action="/case/approve"' not in page.body and 'action="/case/note"' not in page.body
    for path, fields in (
        ("/case/approve", {}),
        ("/case/deny", {"reason": "viewer"}),
        ("/case/reassign", {"to": "viewer@seller.example"}),
        ("/case/note", {"text": "viewer"}),
        ("/case/no-response", {"reason": "viewer"}),
        ("/case/notices-read", {}),
        ("/case/review", {"verdict": "up"}),
    ):
        answer = viewer.post(path, {"case_id": case.case_id, "csrf": viewer.csrf(), **fields})
        assert answer.status == 403, (path, answer.status)
    after = console.env.services.cases.get(OTHER, case.case_id)
    assert after.status is CaseStatus.AWAITING_APPROVAL
    # and the viewer's one tenant is all it sees
    assert "acme-us" not in viewer.get("/inbox").body
    assert viewer.get("/inbox?tenant=acme-us").status == 404


def test_buyer_xss_renders_as_text(console, agent) -> None:
    page = agent.get(f"/case?id={quote(console.xss_case, safe='')}")
    assert page.status == 200
    assert "<script>document.title" not in page.body
    assert "<img src=x" not in page.body
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page.body
    assert "{{ 7*7 }}" in page.body  # buyer text is never template source
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert XSS  # the payload the fixture ingested


def test_forged_post_without_csrf_token_changes_nothing(console, agent, logins) -> None:
    # the admin may deny demo-us's case: only a POST carrying the admin's own token may
    case = _waiting(console, OTHER)
    before = console.config.audit.for_case(OTHER, case.case_id)
    admin = logged_in(console.url, logins["admin"].user, logins["admin"].password)
    for token in (None, "", "forged", agent.csrf()):  # absent, empty, made up, someone else's
        fields = {"case_id": case.case_id, "reason": "forged"}
        if token is not None:
            fields["csrf"] = token
        answer = admin.post("/case/deny", fields)
        assert answer.status == 403, token
    assert console.env.services.cases.get(OTHER, case.case_id).status is (
        CaseStatus.AWAITING_APPROVAL
    )
    assert console.config.audit.for_case(OTHER, case.case_id) == before


def test_no_session_no_pages(console) -> None:
    anonymous = Client(console.url)
    answer = anonymous.get("/inbox")
    assert answer.status == 303 and answer.headers["location"] == "/login"
    assert anonymous.post("/case/deny", {"case_id": "acme-us#order#1"}).status == 401
    tampered = Client(console.url, cookies={"spc_session": "eyJ1IjoiYWRtaW4ifQ.forged"})
    assert tampered.get("/").status == 303
    wrong = anonymous.post("/login", {"user": "agent@agency.example", "password": "guess"})
    assert wrong.status == 401 and "spc_session" not in anonymous.cookies


def test_session_cookie_flags(console, logins) -> None:
    client = Client(console.url)
    answer = client.request(
        "POST",
        "/login",
        {"user": logins["agent"].user, "password": logins["agent"].password},
    )
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie


def test_static_files_are_the_vendored_ones(console) -> None:
    anonymous = Client(console.url)
    htmx = anonymous.get("/static/htmx.min.js")
    assert htmx.status == 200 and "htmx" in htmx.body
    assert anonymous.get("/static/..%2Fapp.py").status == 404
    assert anonymous.get("/static/app.py").status == 404
