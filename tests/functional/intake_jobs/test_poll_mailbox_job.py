"""The PollMailbox job against a real IMAP server (Dovecot on loopback, TLS): mail is ingested
once, checkpoints live in DynamoDB and survive between runs, and nothing is read twice."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from spconnector.aws.clients import client
from spconnector.jobs import poll_mailbox
from spconnector.local.embedded import embedded
from tests.integration.intake.dovecot_server import (
    PASSWORD,
    DovecotServer,
    deliver,
    dovecot_binary,
    start_dovecot,
)

if dovecot_binary() is None:
    if os.environ.get("CI"):
        raise RuntimeError("dovecot missing in CI: run tests/setup/system-deps.sh first")
    pytest.skip("dovecot not installed (tests/setup/system-deps.sh)", allow_module_level=True)

USER = "shop"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    root = Path(tempfile.mkdtemp(prefix="spconnector-dovecot-job-"))
    server = start_dovecot(root, (USER,))
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_mailbox_is_polled_into_cases_once(dovecot: DovecotServer) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with embedded(seed=7, time_scale=60.0) as env:
            services, tenant = env.services, env.tenant
            secret = "spconnector/demo-us/imap"
            client("secretsmanager").create_secret(
                Name=secret,
                SecretString=json.dumps(
                    {
                        "host": "127.0.0.1",
                        "port": dovecot.port,
                        "username": USER,
                        "password": PASSWORD,
                        "cafile": dovecot.cafile,
                    }
                ),
            )
            tenant = services.tenants.update(tenant.tenant_id, imap_mailbox=secret)
            mails = env.sim.scenario.emails[:3]
            deliver(dovecot, USER, *mails)

            first = poll_mailbox.run(services, tenant, services.now())
            assert first["delivered"] == 3 and first["outcomes"] == ["ingested"] * 3
            assert not first["failed"]
            cases = services.cases.list_cases(tenant.tenant_id)
            assert len(cases) >= 1

            again = poll_mailbox.run(services, tenant, services.now())
            assert again["delivered"] == 0  # the DynamoDB checkpoint remembered

            deliver(dovecot, USER, env.sim.scenario.emails[3])
            third = poll_mailbox.run(services, tenant, services.now())
            assert third["delivered"] == 1
            checkpoint = services.checkpoints.imap(tenant.tenant_id, "INBOX")
            assert checkpoint is not None and checkpoint.last_uid == 4


def test_a_tenant_without_a_mailbox_is_skipped() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with embedded(seed=7) as env:
            result = poll_mailbox.run(env.services, env.tenant, env.services.now())
            assert "skipped" in result


def test_a_refused_login_tells_a_person_and_is_not_retried(dovecot: DovecotServer) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with embedded(seed=7) as env:
            services, tenant = env.services, env.tenant
            secret = "spconnector/demo-us/imap"
            settings = {"host": "127.0.0.1", "port": dovecot.port, "username": USER}
            client("secretsmanager").create_secret(
                Name=secret,
                SecretString=json.dumps(
                    settings | {"password": "not-the-password", "cafile": dovecot.cafile}
                ),
            )
            tenant = services.tenants.update(tenant.tenant_id, imap_mailbox=secret)
            deliver(dovecot, USER, env.sim.scenario.emails[4])

            result = poll_mailbox.run(services, tenant, services.now())  # no raise: no DLQ

            assert result["person_told"] is True
            assert "AUTHENTICATIONFAILED" in result["skipped"]
            assert "not-the-password" not in result["skipped"]
            # the once-a-day alert is remembered in DynamoDB, beside the IMAP checkpoints
            again = poll_mailbox.run(services, tenant, services.now())
            assert again["person_told"] is False
            assert services.checkpoints.imap(tenant.tenant_id, "INBOX") is None
