"""Fuzz: a tenant's mailbox secrets (IMAP in, SMTP out) — text an operator pastes into Secrets
Manager, read on every poll and every SMTP reply.

Inputs are the documented JSON shapes with their fields mutated: values swapped for the
audit's hostile ones, for other JSON types (bools, fractions, Infinity, NaN, huge numbers,
lists, objects), fields dropped, the document cut, nested thousands deep, or replaced by junk.
Reading one must give settings or the tenant's `MailboxUnusable` (a person's task) — never any
other exception (a crashed poll never saves its checkpoint), never over a second — and the
reason never carries the password. Settings read are sane: text fields, a port 1-65535."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from hypothesis import given

from spconnector.domain import Tenant
from spconnector.jobs.mailbox_secret import mailbox_secret
from spconnector.jobs.poll_mailbox import settings_for
from spconnector.jobs.ports import MailboxUnusable, SecretUnreadable
from tests.fuzz.budget import BATCH, SEEDS, Tally, fuzz_settings
from tests.fuzz.grammar import HOSTILE, junk, pick

INPUTS = 20_000
PASSWORD = "pw-7f3a-never-shown"
IMAP = {"host": "imap.example.test", "username": "seller", "password": PASSWORD, "port": 993,
        "mailbox": "INBOX", "move_to": "Done", "cafile": "/opt/ca.pem"}  # fmt: skip
SMTP = {"host": "smtp.example.test", "username": "seller", "password": PASSWORD, "port": 465,
        "security": "starttls", "cafile": "/opt/ca.pem"}  # fmt: skip
OTHER_JSON: list[Any] = [True, False, None, 0, -1, 1.5, 993.0, 10**30, [], {}, ["993"], {"a": 1},
                         "993", " 465 ", "0x3e1", "٩٩٣", "9" * 5000]  # fmt: skip


@dataclass
class _Secrets:
    text_of: str | None

    def text(self, secret_id: str) -> str:
        if self.text_of is None:
            raise SecretUnreadable(secret_id)
        return self.text_of


@dataclass
class _Services:
    secrets: _Secrets


def _tenant() -> Tenant:
    from tests.unit.jobs.conftest import SENDER  # the fakes' own tenant fields

    return Tenant.model_validate(
        {"tenant_id": "fuzz", "seller_id": "A1FUZZ", "region": "na",
         "marketplace_ids": ["ATVPDKIKX0DER"], "credentials_secret": "c",
         "approved_sender": SENDER, "imap_mailbox": "imap-secret", "smtp_mailbox": "smtp-secret"}
    )  # fmt: skip


TENANT = _tenant()


def _document(rnd: random.Random, shape: dict[str, Any]) -> str | None:
    roll = rnd.random()
    if roll < 0.03:
        return None  # missing
    if roll < 0.08:
        return junk(rnd, 80)
    if roll < 0.1:
        return rnd.choice("[{") * rnd.randrange(1, 200_000)
    data: dict[str, Any] = dict(shape)
    for _ in range(rnd.randrange(1, 4)):
        key = rnd.choice([*shape, "extra"])
        action = rnd.random()
        if action < 0.2:
            data.pop(key, None)
        elif action < 0.5:
            data[key] = pick(rnd, HOSTILE)
        elif action < 0.8:
            data[key] = rnd.choice([*OTHER_JSON, float("inf"), float("nan"), -float("inf")])
        else:
            data[key] = junk(rnd, 40)
    text = json.dumps(data)
    if rnd.random() < 0.1:
        text = text[: rnd.randrange(len(text) + 1)]
    return text


def _read(kind: str, text: str | None) -> str:
    services = _Services(_Secrets(text))
    try:
        if kind == "IMAP":
            imap = settings_for(services, TENANT)  # type: ignore[arg-type]
            assert imap is not None and 0 < imap.port < 65536
            assert all(isinstance(v, str) for v in (imap.host, imap.username, imap.mailbox))
        else:
            from spconnector.aws.smtp_mail import SmtpSettings, SmtpSettingsError

            data = mailbox_secret(services.secrets, TENANT, "smtp-secret", "SMTP")  # type: ignore[arg-type]
            try:
                smtp = SmtpSettings.from_secret(data)
            except SmtpSettingsError as e:
                raise MailboxUnusable(str(e)) from None
            assert 0 < smtp.port < 65536 and smtp.security in ("ssl", "starttls")
            assert PASSWORD not in repr(smtp)
    except MailboxUnusable as e:
        assert PASSWORD not in str(e), str(e)
        return f"{kind} unusable"
    return f"{kind} read"


tally = Tally(INPUTS)


@fuzz_settings(INPUTS)
@given(seed=SEEDS)
def test_fuzz_mailbox_secrets(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(BATCH):
        kind = rnd.choice(["IMAP", "SMTP"])
        tally.run(_read, kind, _document(rnd, IMAP if kind == "IMAP" else SMTP))


def test_fuzz_mailbox_secrets_ran_their_inputs() -> None:
    tally.check()
    assert set(tally.outcomes) == {"IMAP read", "IMAP unusable", "SMTP read", "SMTP unusable"}
