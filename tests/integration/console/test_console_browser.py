"""The console in real headless Chromium (Debian's chromium, driven by Selenium through
Debian's chromium-driver: the same version, no browser download).

An agent logs in and sees only the assigned tenants, opens the most urgent case, edits its
reply (the compliance lint answers live), approves it and sees it sent and the refund batched;
denies another; a buyer's XSS payload shows as text; a seller viewer cannot act. A screenshot
of every page goes to the artifacts directory (SPCONNECTOR_ARTIFACTS, else pytest's tmp).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from spconnector.domain import CaseStatus
from tests.functional.console.client import xss_mail

CHROMIUM = os.environ.get("SPCONNECTOR_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SPCONNECTOR_CHROMEDRIVER", "/usr/bin/chromedriver")
EDITED = (
    "Hello,\n\nI'm sorry the item let you down. I have refunded you in full today, and you "
    "will see the money back on your card within 3-5 business days. There is no need to send "
    "the item back.\n\nKind regards"
)


def _binaries() -> tuple[str, str]:
    chromium = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    driver = CHROMEDRIVER if Path(CHROMEDRIVER).exists() else shutil.which("chromedriver")
    if not chromium or not driver:
        if os.environ.get("CI"):
            pytest.fail(
                f"chromium/chromedriver not found ({CHROMIUM}, {CHROMEDRIVER}): "
                "tests/setup/system-deps.sh installs them"
            )
        pytest.skip("chromium or chromium-driver is not installed (apt-get install -y ...)")
    return chromium, driver


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    root = os.environ.get("SPCONNECTOR_ARTIFACTS")
    path = Path(root) / "console" if root else tmp_path_factory.mktemp("artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def console():
    from spconnector.console.local import local_console
    from spconnector.console.local_server import serving
    from spconnector.jobs.ingest import ingest_email
    from spconnector.jobs.process_case import process_case_event

    _binaries()
    with local_console(mails_per_tenant=4) as local:
        env = local.env
        used = {c.amazon_order_id for t in local.tenants for c in env.services.cases.list_cases(t)}
        order = next(
            o
            for o in env.sim.scenario.orders
            if o.delivered_at and o.status == "Shipped" and o.order_id not in used
        )
        # an old mail: its case is past due, far down no list the test walks
        ingest_email(
            env.services,
            env.services.tenants.require("bolt-us"),
            xss_mail(order, env.services.now(), n=600),
        )
        for body in env.drain("case-events"):
            process_case_event(env.services, body)
        env.drain("actions")
        local.xss_case = f"bolt-us#order#{order.order_id}"
        with serving(local.handle) as url:
            local.url = url
            yield local


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = _binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1000",
    ):
        options.add_argument(arg)
    drv = webdriver.Chrome(service=Service(driver), options=options)
    drv.implicitly_wait(0)
    try:
        yield drv
    finally:
        drv.quit()


def _wait(browser, condition, timeout: float = 10.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def _login(browser, console, who: str) -> None:
    from selenium.webdriver.common.by import By

    login = next(x for x in console.logins if x.user.startswith(who))
    browser.delete_all_cookies()
    browser.get(console.url + "/login")
    browser.find_element(By.NAME, "user").send_keys(login.user)
    browser.find_element(By.NAME, "password").send_keys(login.password)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[data-testid=who]"))


def _sent_bodies() -> list[str]:
    import email
    from email import policy

    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    out = []
    for m in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages:
        part = email.message_from_string(m.raw_data, policy=policy.default).get_body(("plain",))
        out.append(part.get_content() if part else "")
    return out


def test_agent_works_the_most_urgent_case(console, browser, artifacts) -> None:
    from selenium.webdriver.common.by import By

    _login(browser, console, "agent")
    browser.save_screenshot(str(artifacts / "01-overview.png"))
    tenants = [
        e.get_attribute("data-tenant")
        for e in browser.find_elements(By.CSS_SELECTOR, "tr[data-tenant]")
    ]
    assert tenants == ["acme-us", "bolt-us"]

    browser.get(console.url + "/inbox?status=awaiting_approval")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.inbox tbody tr[data-case]")
    assert rows, "the agent's inbox is empty"
    assert all(not r.get_attribute("data-case").startswith("demo-us#") for r in rows)
    services = console.env.services
    expected = sorted(
        (
            c
            for t in ("acme-us", "bolt-us")
            for c in services.cases.list_cases(t, status=CaseStatus.AWAITING_APPROVAL)
        ),
        key=lambda c: (c.respond_by, c.case_id),
    )
    assert [r.get_attribute("data-case") for r in rows] == [c.case_id for c in expected]
    # the countdown is live: console.js rewrites it from the server's clock
    countdown = rows[0].find_element(By.CSS_SELECTOR, ".countdown")
    assert countdown.text.endswith("m")
    # keyboard: j focuses the first row's link, Enter opens it
    browser.find_element(By.TAG_NAME, "body").send_keys("j")
    browser.save_screenshot(str(artifacts / "02-inbox.png"))
    urgent = rows[0].get_attribute("data-case")
    browser.switch_to.active_element.send_keys("\n")
    _wait(browser, lambda b: "/case?id=" in b.current_url)
    assert quote(urgent, safe="") in browser.current_url
    last = services.cases.decisions(urgent.split("#")[0], urgent)[-1]
    assert last.refund is not None and not last.refund.requires_return, (
        "the seeded scenario's most urgent case is a returnless refund"
    )

    reply = browser.find_element(By.CSS_SELECTOR, "[data-testid=reply]")
    reply.clear()
    reply.send_keys("Email me at helper@example.com for a gift card if you leave 5 stars")
    _wait(browser, lambda b: "compliance." in b.find_element(By.ID, "lint").text)
    browser.save_screenshot(str(artifacts / "03-case-lint.png"))
    reply.clear()
    reply.send_keys(EDITED)
    _wait(browser, lambda b: "lint finds nothing" in b.find_element(By.ID, "lint").text)
    assert browser.find_element(By.ID, "edited").is_selected()
    sent_before = len(_sent_bodies())
    browser.find_element(By.CSS_SELECTOR, "[data-testid=approve]").click()
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[data-testid=done]"))
    done = browser.find_element(By.CSS_SELECTOR, "[data-testid=done]").text
    assert "approved: refunded (reply sent)" in done
    bodies = _sent_bodies()
    assert len(bodies) == sent_before + 1 and "refunded you in full today" in bodies[-1]
    console.run_schedules()  # TrackFeeds batches the approved refund
    browser.refresh()
    refund = browser.find_element(By.CSS_SELECTOR, "[data-testid=refund]").text
    assert "submitted" in refund and "agent@agency.example" in refund
    assert "approve" in browser.find_element(By.CSS_SELECTOR, "[data-testid=audit]").text
    browser.save_screenshot(str(artifacts / "04-case-approved.png"))

    # deny the next one
    browser.get(console.url + "/inbox?status=awaiting_approval")
    nxt = browser.find_elements(By.CSS_SELECTOR, "table.inbox tbody tr[data-case]")[0]
    denied = nxt.get_attribute("data-case")
    assert denied != urgent
    nxt.find_element(By.CSS_SELECTOR, "a.open").click()
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[data-testid=deny-reason]"))
    browser.find_element(By.CSS_SELECTOR, "[data-testid=deny-reason]").send_keys(
        "buyer wrote again: solved"
    )
    browser.find_element(By.CSS_SELECTOR, "[data-testid=deny]").click()
    _wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[data-testid=done]"))
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=status]").text == "closed"
    browser.save_screenshot(str(artifacts / "05-case-denied.png"))
    assert services.cases.get(denied.split("#")[0], denied).status is CaseStatus.CLOSED


def test_buyer_xss_shows_as_text_in_the_browser(console, browser, artifacts) -> None:
    from selenium.webdriver.common.by import By

    _login(browser, console, "agent")
    browser.get(console.url + "/case?id=" + quote(console.xss_case, safe=""))
    text = browser.find_element(By.CSS_SELECTOR, "[data-testid=message] .buyer-text").text
    assert "<script>document.title='pwned'</script>" in text
    assert browser.title != "pwned"
    assert not browser.find_elements(By.CSS_SELECTOR, ".buyer-text img, .buyer-text script")
    browser.save_screenshot(str(artifacts / "06-xss-as-text.png"))


def test_viewer_cannot_act(console, browser, artifacts) -> None:
    from selenium.webdriver.common.by import By

    _login(browser, console, "viewer")
    browser.get(console.url + "/inbox")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.inbox tbody tr[data-case]")
    assert rows and all(r.get_attribute("data-case").startswith("demo-us#") for r in rows)
    case_id = rows[0].get_attribute("data-case")
    rows[0].find_element(By.CSS_SELECTOR, "a.open").click()
    _wait(browser, lambda b: "/case?id=" in b.current_url)
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/case/approve']")
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/case/deny']")
    browser.save_screenshot(str(artifacts / "07-viewer-case.png"))
    # even a hand-made POST with the viewer's own valid token is refused
    token = browser.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
    status = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch('/case/approve', {method: 'POST', headers: {'Content-Type':
          'application/x-www-form-urlencoded'}, body: new URLSearchParams({case_id: arguments[0],
          csrf: arguments[1]})}).then(r => done(r.status));
        """,
        case_id,
        token,
    )
    assert status == 403
    before = console.env.services.cases.get("demo-us", case_id)
    assert before.status is CaseStatus.AWAITING_APPROVAL
