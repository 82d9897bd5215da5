"""What each Lambda really does to the table in the demo's weeks of work, against what its role
in template.yaml allows: every call must be granted by an Allow statement whose
dynamodb:LeadingKeys patterns match the key — and the keys a function has no business with
must not be, so a compromised or buggy function cannot reach them.

The demo receives its mail through SES; the IMAP poll (PollMailboxFunction) is run here on its
own, against a real Dovecot mailbox, through the Scheduler's fan-out and the function's
handler as template.yaml wires them.

The check of the demo's own calls (test_each_function_touches_only_keys_its_role_allows) lives
in test_demo_cycle.py, beside the other readers of the demo run: `--dist loadfile` runs a file
on one worker, and a session fixture read from two files would run the demo on both."""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spconnector.aws.clients import client
from spconnector.jobs.fanout import fan_out
from spconnector.local.embedded import embedded
from spconnector.local.invoke import invoke
from spconnector.local.template import Template
from tests.integration.intake.dovecot_server import (
    PASSWORD,
    DovecotServer,
    deliver,
    dovecot_binary,
    start_dovecot,
)
from tests.table_access import grants, permits, recording

from .conftest import ENTRY_POINTS

# Keys no function but the named ones may write (as the demo's tenant would have them).
# The Console carries out what a person approves (jobs.approvals → act.carry_out), so it writes
# what Act writes but Act's idempotency records (tests/functional/console/role.py holds the
# console's own calls to its role).
CARRY_OUT = {"ActFunction", "TenantWorkerFunction", "ConsoleFunction"}
MONEY_KEYS = {
    "demo-us#refundbatch#ATVPDKIKX0DER": {"TenantWorkerFunction"},
    "demo-us#refundfeed#1": {"TenantWorkerFunction"},
    "demo-us#refundlease#ATVPDKIKX0DER": {"TenantWorkerFunction"},
    "demo-us#refund#113-0000000-0000000": CARRY_OUT,
    "demo-us#spend#USD": CARRY_OUT,
    "demo-us#outbox#demo-us#order#113-0000000-0000000": CARRY_OUT,
    "idempotency#act": {"ActFunction"},
    "demo-us#idempotency#act": {"ActFunction"},
}
FUNCTIONS = sorted(
    set(ENTRY_POINTS.values())
    | {"NotificationsFunction", "SchedulerFunction", "PollMailboxFunction", "ConsoleFunction"}
)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_may_write_money_keys_it_has_no_business_with(function: str) -> None:
    for key, writers in MONEY_KEYS.items():
        can_write = permits(function, "PutItem", key) or permits(function, "UpdateItem", key)
        assert can_write == (function in writers), (function, key)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_table_grant_is_bounded_by_leading_keys(function: str) -> None:
    for actions, patterns in grants(function):
        assert "*" not in patterns, (function, actions)
        assert not any(fnmatch.fnmatchcase("anything", p) for p in patterns), patterns
    # a Scan names no partition key, and ForAllValues over no keys holds true: a LeadingKeys
    # condition would not bound it
    for actions, _ in grants(function):
        assert not {"dynamodb:Scan", "dynamodb:*"} & actions, actions


# ---------------------------------------------------------------- the IMAP poll
TEMPLATE = Template.load(Path(__file__).resolve().parents[2] / "template.yaml")
MAIL_USER = "shop"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    if dovecot_binary() is None:
        if os.environ.get("CI"):
            raise RuntimeError("dovecot missing in CI: run tests/setup/system-deps.sh first")
        pytest.skip("dovecot not installed (tests/setup/system-deps.sh)")
    root = Path(tempfile.mkdtemp(prefix="spconnector-dovecot-access-"))
    server = start_dovecot(root, (MAIL_USER,))
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _record(body: dict[str, Any]) -> dict[str, Any]:
    """One SQS record as the mailbox-poll queue's event source delivers it."""
    return {
        "messageId": f"{body['job']}-{body['tenant']}",
        "receiptHandle": "local",
        "body": json.dumps(body),
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:local",
        "awsRegion": "us-east-1",
    }


def test_the_mailbox_poll_runs_in_its_own_function_within_its_role(
    dovecot: DovecotServer,
) -> None:
    touched: set[tuple[str, str]] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with embedded(seed=7, time_scale=60.0) as env:
            services, tenant = env.services, env.tenant
            tid = tenant.tenant_id
            secret = f"spconnector/{tid}/imap"  # as docs/deploy.md names it
            client("secretsmanager").create_secret(
                Name=secret,
                SecretString=json.dumps(
                    {
                        "host": "127.0.0.1",
                        "port": dovecot.port,
                        "username": MAIL_USER,
                        "password": PASSWORD,
                        "cafile": dovecot.cafile,
                    }
                ),
            )
            services.tenants.update(tid, imap_mailbox=secret)
            deliver(dovecot, MAIL_USER, *env.sim.scenario.emails[:3])

            # the Scheduler's tick puts the poll on the mailbox-poll queue, not TenantWorker's
            assert fan_out(services, "poll_mailbox").enqueued == [tid]
            assert env.drain("tenant-work") == []
            (item,) = env.drain("mailbox-poll")
            event = {"Records": [_record(item)]}

            with recording(lambda action, key: touched.add((action, key))):
                outcome = invoke(TEMPLATE, TEMPLATE.function("PollMailboxFunction"), event, env)
            assert outcome.ok, (outcome.record_failures, outcome.error)
            checkpoint = services.checkpoints.imap(tid, "INBOX")
            assert checkpoint is not None and checkpoint.last_uid == 3  # saved, all three read
            assert len(services.cases.list_cases(tid)) >= 1
            assert len(env.drain("case-events")) == 3  # each mail went on to ProcessCase

            # TenantWorker no longer runs it (its role could not): the item fails there
            wrong = invoke(TEMPLATE, TEMPLATE.function("TenantWorkerFunction"), event, env)
            assert wrong.record_failures == [
                "MisroutedJob: job 'poll_mailbox' does not run in TenantWorker"
            ]

    assert (f"{tid}#checkpoint#imap:INBOX") in {key for _, key in touched}
    refused = sorted(pair for pair in touched if not permits("PollMailboxFunction", *pair))
    assert not refused, f"PollMailboxFunction made calls its role refuses: {refused[:10]}"
    # the untrusted-mail function reaches no money key, not even to read it
    for key in MONEY_KEYS:
        for action in ("GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"):
            assert not permits("PollMailboxFunction", action, key), (action, key)
    # and TenantWorker no longer reaches the mailbox's checkpoint
    for action in ("GetItem", "PutItem", "UpdateItem"):
        assert not permits("TenantWorkerFunction", action, f"{tid}#checkpoint#imap:INBOX")
