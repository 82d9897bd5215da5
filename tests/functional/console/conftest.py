"""One seeded local console per test package: three tenants in approve mode, seeded staff,
and one buyer message carrying an XSS payload (in acme-us)."""

from __future__ import annotations

import pytest

from spconnector.console.local import local_console
from spconnector.console.local_server import serving
from tests.functional.console.client import xss_mail
from tests.functional.console.role import enforced


@pytest.fixture(scope="package")
def console():
    from spconnector.jobs.ingest import ingest_email
    from spconnector.jobs.process_case import process_case_event

    with local_console(mails_per_tenant=4) as local:
        env = local.env
        tenant = env.services.tenants.require("acme-us")
        used = {c.amazon_order_id for t in local.tenants for c in env.services.cases.list_cases(t)}
        order = next(
            o
            for o in env.sim.scenario.orders
            if o.delivered_at and o.status == "Shipped" and o.order_id not in used
        )
        ingest_email(env.services, tenant, xss_mail(order, env.services.now()))
        for body in env.drain("case-events"):
            process_case_event(env.services, body)
        env.drain("actions")
        local.xss_case = f"acme-us#order#{order.order_id}"
        with enforced() as role, serving(role.wrap(local.handle)) as url:
            local.url = url
            local.role = role
            yield local


@pytest.fixture(scope="package")
def logins(console):
    return {login.user.split("@")[0]: login for login in console.logins}


@pytest.fixture(autouse=True)
def _within_the_console_role(request):
    """Fails a console test whose requests made a DynamoDB call the Console role refuses."""
    if "console" not in request.fixturenames:
        yield
        return
    role = request.getfixturevalue("console").role
    before = len(role.refused)
    yield
    refused = role.refused[before:]
    assert not refused, f"the ConsoleFunction role refuses {sorted(set(refused))[:10]}"
