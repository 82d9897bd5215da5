"""PollMailbox with a mailbox it cannot use: a person is told (once a day), nothing is raised
(so SQS does not redeliver it to the DLQ), and the reason never carries the secret's content."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from spconnector.jobs import poll_mailbox
from spconnector.jobs.ports import MailboxUnusable
from spconnector.memory import MemorySecrets
from tests.unit.jobs.conftest import World

SECRET = "spconnector/demo-us/imap"
GOOD = {"host": "imap.example.test", "username": "seller", "password": "hunter2-secret"}


def _with_secret(world: World, text: str | None) -> None:
    secrets = world.services.secrets
    assert isinstance(secrets, MemorySecrets)
    if text is not None:
        secrets.secrets[SECRET] = text
    world.services.tenants.update(world.tid, imap_mailbox=SECRET)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (None, "missing or cannot be read"),
        ("host=imap.example.test password=hunter2-secret", "not JSON"),
        (json.dumps(["hunter2-secret"]), "not a JSON object"),
        (json.dumps({**GOOD, "password": None}), "password must be text"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "host"}), "host must be text"),
        (json.dumps({**GOOD, "port": "imaps"}), "port is not a whole number"),
        (json.dumps({**GOOD, "port": 99999}), "out of range"),
        (json.dumps({**GOOD, "mailbox": 7}), "mailbox must be text"),
        # found by reading the parser for the fuzz target: each raised OverflowError or
        # RecursionError (a crash of the poll), or was read as port 1
        (json.dumps({**GOOD, "port": float("inf")}), "port is not a whole number"),
        (json.dumps({**GOOD, "port": True}), "port is not a whole number"),
        (json.dumps({**GOOD, "port": 993.5}), "port is not a whole number"),
        ("[" * 100_000, "not JSON"),
    ],
)
def test_an_unusable_secret_is_a_persons_task_not_a_retry(
    world: World, text: str | None, why: str
) -> None:
    _with_secret(world, text)
    tenant = world.services.tenants.require(world.tid)
    with pytest.raises(MailboxUnusable, match=why):
        poll_mailbox.settings_for(world.services, tenant)

    result = poll_mailbox.run(world.services, tenant, world.now())  # does not raise

    assert result["person_told"] is True and why in result["skipped"]
    (task,) = world.escalations
    assert task.tenant == world.tid and task.action == "mailbox_unusable"
    assert task.priority == "high" and task.amazon_order_id is None
    (reason,) = task.reasons
    assert SECRET in reason and why in reason
    assert "hunter2" not in reason and "hunter2" not in result["skipped"]


def test_a_person_is_told_once_a_day_while_every_poll_still_tries(world: World) -> None:
    _with_secret(world, "not json")
    tenant = world.services.tenants.require(world.tid)
    now = world.now()
    told = [
        poll_mailbox.run(world.services, tenant, now + timedelta(minutes=m))["person_told"]
        for m in (0, 5, 60, 23 * 60)
    ]
    assert told == [True, False, False, False]
    assert len(world.escalations) == 1
    later = poll_mailbox.run(world.services, tenant, now + poll_mailbox.ALERT_EVERY)
    assert later["person_told"] is True and len(world.escalations) == 2


def test_a_transient_secrets_error_is_still_retried(world: World) -> None:
    class Throttled(MemorySecrets):
        def text(self, secret_id: str) -> str:
            raise ConnectionError("Secrets Manager throttled")

    world.services.tenants.update(world.tid, imap_mailbox=SECRET)
    world.services.secrets = Throttled()  # type: ignore[misc]
    tenant = world.services.tenants.require(world.tid)
    with pytest.raises(ConnectionError):
        poll_mailbox.run(world.services, tenant, world.now())
    assert world.escalations == []
